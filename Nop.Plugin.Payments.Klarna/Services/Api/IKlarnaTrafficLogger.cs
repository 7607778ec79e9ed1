using System.Threading.Tasks;

namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Represents an optional sink of the Klarna traffic debug log (implemented by the plugin over nopCommerce's logger)
/// </summary>
public interface IKlarnaTrafficLogger
{
    /// <summary>
    /// Gets a value indicating whether traffic logging is enabled
    /// </summary>
    bool Enabled { get; }

    /// <summary>
    /// Logs one exchange: method, URL, status, duration, correlation id and masked JSON bodies
    /// </summary>
    /// <param name="message">The message (never contains credentials)</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task LogAsync(string message);
}
