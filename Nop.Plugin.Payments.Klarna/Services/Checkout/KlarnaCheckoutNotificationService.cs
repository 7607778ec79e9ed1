using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Logging;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Configuration;
using Nop.Services.Logging;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Represents the answer to a notification: HTTP status code and a machine-readable reason for Klarna's and the shop's logs
/// </summary>
/// <param name="StatusCode">HTTP status code</param>
/// <param name="Message">Reason (snake_case, never shown to a person)</param>
public record KlarnaNotificationOutcome(int StatusCode, string Message);

/// <summary>
/// Handles Klarna's fraud-status notifications (merchant_urls.notification)
/// </summary>
public interface IKlarnaCheckoutNotificationService
{
    /// <summary>
    /// Handles a notification: checks the secret of the URL, never trusts the body (only order_id is used to find the
    /// order, which is re-read from Klarna), applies the outcome once
    /// </summary>
    /// <param name="secret">The secret segment of the notification URL</param>
    /// <param name="body">The request body (JSON)</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the HTTP answer</returns>
    Task<KlarnaNotificationOutcome> HandleAsync(string secret, string body);
}

/// <summary>
/// Represents the default <see cref="IKlarnaCheckoutNotificationService"/>: it checks the secret of the URL and the body, then
/// hands the order to the order engine's reconciliation (under the order's lock, on a fresh read of Klarna's order, through
/// the policy: an accepted, rejected or stopped fraud decision, also repeated and out of order, changes only what Klarna's
/// order says; a rejected order is cancelled through the same command path)
/// </summary>
public class KlarnaCheckoutNotificationService : IKlarnaCheckoutNotificationService
{
    #region Constants

    /// <summary>
    /// Gets the name under which refused wrong secrets are counted (<see cref="KlarnaWarningThrottle"/>)
    /// </summary>
    public const string WrongSecretWarning = "Notification.WrongSecret";

    #endregion

    #region Fields

    protected readonly IKlarnaOperationExecutor _executor;
    protected readonly IKlarnaOrderRecordService _orderRecordService;
    protected readonly ILogger _logger;
    protected readonly ISettingService _settingService;
    protected readonly KlarnaWarningThrottle _warningThrottle;

    #endregion

    #region Ctor

    public KlarnaCheckoutNotificationService(IKlarnaOperationExecutor executor,
        IKlarnaOrderRecordService orderRecordService,
        ILogger logger,
        ISettingService settingService,
        KlarnaWarningThrottle warningThrottle)
    {
        _executor = executor;
        _orderRecordService = orderRecordService;
        _logger = logger;
        _settingService = settingService;
        _warningThrottle = warningThrottle;
    }

    #endregion

    #region Utilities

    protected static bool SecretMatches(string expected, string actual)
    {
        if (string.IsNullOrEmpty(expected) || string.IsNullOrEmpty(actual))
            return false;

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
    }

    /// <summary>
    /// Logs a refused wrong secret: the first one, then at most one warning a minute with the count since the last one
    /// (a flood of forged notifications must not flood the log)
    /// </summary>
    /// <returns>A task that represents the asynchronous operation</returns>
    protected virtual async Task LogWrongSecretAsync()
    {
        var count = _warningThrottle.CountOccurrence(WrongSecretWarning);
        if (count == 1)
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: notification with a wrong secret refused (more are counted: at most one warning a minute)");
        else if (count > 1)
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: {count} notifications with a wrong secret refused since the last warning");
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaNotificationOutcome> HandleAsync(string secret, string body)
    {
        if (string.IsNullOrEmpty(secret))
            return new(401, "missing_secret");

        if (string.IsNullOrWhiteSpace(body) || body.Length > KlarnaDefaults.Checkout.MaxNotificationBytes)
            return new(400, "body_missing_or_oversized");

        string klarnaOrderId;
        string eventType;
        try
        {
            var json = JObject.Parse(body);
            klarnaOrderId = json.Value<string>("order_id")?.Trim();
            eventType = json.Value<string>("event_type")?.Trim();
        }
        catch (Exception)
        {
            return new(400, "malformed_json");
        }

        if (string.IsNullOrEmpty(klarnaOrderId) || klarnaOrderId.Length > 255)
            return new(400, "order_id_missing");

        var record = await _orderRecordService.GetByKlarnaOrderIdAsync(klarnaOrderId);
        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(record?.StoreId ?? 0);
        if (!SecretMatches(settings.NotificationSecret, secret))
        {
            await LogWrongSecretAsync();
            return new(403, "wrong_secret");
        }

        if (record is null)
            return new(404, "unknown_order");

        //never trust the body: the decision is what Klarna's order says when the engine reads it
        var result = await _executor.ReconcileAsync(new KlarnaReconcileRequest
        {
            OrderId = record.OrderId,
            Initiator = KlarnaInitiator.Notification,
            InitiatedBy = string.IsNullOrEmpty(eventType) ? KlarnaInitiator.Notification.ToString() : eventType[..Math.Min(eventType.Length, 100)],
            Wait = true
        });

        switch (result.Refusal?.Code)
        {
            case KlarnaRefusalCode.NotKlarnaOrder:
                return new(404, "unknown_order");
            case KlarnaRefusalCode.KlarnaUnreadable or KlarnaRefusalCode.NoCredentials:
                return new(503, "klarna_unreadable_retry_later");
            case KlarnaRefusalCode.OrderBusy or KlarnaRefusalCode.Unexpected:
                return new(503, "order_busy_retry_later");
        }

        //not 2xx while the cancel of a rejected order has not gone through: Klarna sends the notification again
        if (!result.Success)
            return new(503, "rejected_cancel_pending");

        return new(200, result.View?.Decision?.FraudStatus?.ToLowerInvariant() ?? "handled");
    }

    #endregion
}
