using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Services.Logging;

namespace Nop.Plugin.Payments.Klarna.Services;

/// <summary>
/// Writes the Klarna traffic the API client reports (already masked by the client) into nopCommerce's log when the
/// "Debug logging" setting is on
/// </summary>
public class KlarnaTrafficLogger : IKlarnaTrafficLogger
{
    #region Fields

    protected readonly ILogger _logger;
    protected readonly KlarnaSettings _klarnaSettings;

    #endregion

    #region Ctor

    public KlarnaTrafficLogger(ILogger logger, KlarnaSettings klarnaSettings)
    {
        _logger = logger;
        _klarnaSettings = klarnaSettings;
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public bool Enabled => _klarnaSettings.LogDebug;

    /// <inheritdoc />
    public Task LogAsync(string message) => _logger.InformationAsync($"{KlarnaDefaults.SystemName}: {message}");

    #endregion
}
