using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.Connection;

/// <summary>
/// The Configure page's "Test connection": asks Klarna whether it accepts a set of credentials
/// </summary>
public class KlarnaConnectionTester
{
    #region Constants

    /// <summary>
    /// Gets the id of an order that cannot exist: Klarna answers 404 NO_SUCH_ORDER only after accepting the credentials
    /// </summary>
    public const string ConnectionTestOrderId = "00000000-0000-0000-0000-00000000test";

    #endregion

    #region Fields

    protected readonly IKlarnaApiClient _klarnaApiClient;

    #endregion

    #region Ctor

    public KlarnaConnectionTester(IKlarnaApiClient klarnaApiClient)
    {
        _klarnaApiClient = klarnaApiClient;
    }

    #endregion

    #region Methods

    /// <summary>
    /// Tests credentials by reading an order that cannot exist
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="cancellationToken">The request's cancellation token</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains Klarna's refusal, or null when Klarna accepted the credentials</returns>
    public virtual async Task<KlarnaApiException> TestAsync(KlarnaCredentials credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);

        try
        {
            await _klarnaApiClient.GetOrderAsync(credentials, ConnectionTestOrderId, cancellationToken);
            return null;
        }
        catch (KlarnaApiException exception) when (exception.StatusCode == 404)
        {
            return null;
        }
        catch (KlarnaApiException exception)
        {
            return exception;
        }
    }

    #endregion
}
