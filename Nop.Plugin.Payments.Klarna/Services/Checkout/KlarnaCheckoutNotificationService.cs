using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Configuration;
using Nop.Services.Logging;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Represents the answer to a notification (HTTP status code and a short text for the log)
/// </summary>
/// <param name="StatusCode">HTTP status code</param>
/// <param name="Message">Short description</param>
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
/// Represents the default <see cref="IKlarnaCheckoutNotificationService"/>
/// </summary>
public class KlarnaCheckoutNotificationService : IKlarnaCheckoutNotificationService
{
    #region Fields

    protected readonly IKlarnaApiClient _klarnaApiClient;
    protected readonly IKlarnaCredentialsProvider _credentialsProvider;
    protected readonly IKlarnaOrderRecordService _orderRecordService;
    protected readonly IKlarnaOrderStatusService _orderStatusService;
    protected readonly ILogger _logger;
    protected readonly IOrderService _orderService;
    protected readonly ISettingService _settingService;

    #endregion

    #region Ctor

    public KlarnaCheckoutNotificationService(IKlarnaApiClient klarnaApiClient,
        IKlarnaCredentialsProvider credentialsProvider,
        IKlarnaOrderRecordService orderRecordService,
        IKlarnaOrderStatusService orderStatusService,
        ILogger logger,
        IOrderService orderService,
        ISettingService settingService)
    {
        _klarnaApiClient = klarnaApiClient;
        _credentialsProvider = credentialsProvider;
        _orderRecordService = orderRecordService;
        _orderStatusService = orderStatusService;
        _logger = logger;
        _orderService = orderService;
        _settingService = settingService;
    }

    #endregion

    #region Utilities

    protected static bool SecretMatches(string expected, string actual)
    {
        if (string.IsNullOrEmpty(expected) || string.IsNullOrEmpty(actual))
            return false;

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
    }

    protected virtual async Task AddOrderNoteAsync(Order order, string note)
    {
        await _orderService.InsertOrderNoteAsync(new OrderNote
        {
            OrderId = order.Id,
            Note = note,
            DisplayToCustomer = false,
            CreatedOnUtc = DateTime.UtcNow
        });
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaNotificationOutcome> HandleAsync(string secret, string body)
    {
        if (string.IsNullOrEmpty(secret))
            return new(401, "missing secret");

        if (string.IsNullOrWhiteSpace(body) || body.Length > KlarnaDefaults.Checkout.MaxNotificationBytes)
            return new(400, "missing or oversized body");

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
            return new(400, "malformed JSON");
        }

        if (string.IsNullOrEmpty(klarnaOrderId) || klarnaOrderId.Length > 255)
            return new(400, "order_id missing");

        var record = await _orderRecordService.GetByKlarnaOrderIdAsync(klarnaOrderId);
        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(record?.StoreId ?? 0);
        if (!SecretMatches(settings.NotificationSecret, secret))
        {
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: notification with a wrong secret refused");
            return new(403, "wrong secret");
        }

        if (record is null)
            return new(404, "unknown order");

        var order = await _orderService.GetOrderByIdAsync(record.OrderId);
        if (order is null)
            return new(404, "unknown order");

        // never trust the body: the decision is what Klarna says when asked
        KlarnaOrder klarnaOrder;
        try
        {
            var credentials = await _credentialsProvider.GetCredentialsAsync(record.StoreId, record.Region, record.Environment);
            if (credentials is null)
                return new(503, "credentials missing");

            klarnaOrder = await _klarnaApiClient.GetOrderAsync(credentials, klarnaOrderId);
        }
        catch (Exception exception)
        {
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: Klarna order {klarnaOrderId} could not be read for notification {eventType} ({exception.Message})", exception);
            return new(503, "Klarna could not be read; retry later");
        }

        if (!string.Equals(klarnaOrder?.OrderId ?? klarnaOrderId, klarnaOrderId, StringComparison.OrdinalIgnoreCase))
            return new(400, "order mismatch");

        var fraudStatus = klarnaOrder?.FraudStatus?.Trim().ToUpperInvariant();
        var previousFraudStatus = record.FraudStatus;
        record.FraudStatus = fraudStatus ?? record.FraudStatus;
        record.KlarnaStatus = klarnaOrder?.Status ?? record.KlarnaStatus;
        if (klarnaOrder is not null)
        {
            record.OrderAmountMinor = klarnaOrder.OrderAmount;
            record.CapturedAmountMinor = klarnaOrder.CapturedAmount;
            record.RefundedAmountMinor = klarnaOrder.RefundedAmount;
            record.RemainingAuthorizedAmountMinor = klarnaOrder.RemainingAuthorizedAmount;
            record.ExpiresAtUtc = klarnaOrder.ExpiresAt?.UtcDateTime ?? record.ExpiresAtUtc;
        }

        record.UpdatedOnUtc = DateTime.UtcNow;
        record.LastSyncedOnUtc = record.UpdatedOnUtc;
        await _orderRecordService.UpdateAsync(record);

        switch (fraudStatus)
        {
            case KlarnaFraudStatus.Accepted:
                if (order.PaymentStatusId == (int)PaymentStatus.Pending)
                {
                    order.PaymentStatusId = (int)PaymentStatus.Authorized;
                    await _orderService.UpdateOrderAsync(order);
                    await AddOrderNoteAsync(order, $"Klarna accepted order {klarnaOrderId} after its fraud review ({eventType ?? "notification"}): payment authorized.");
                }

                await _orderStatusService.ApplyEventAsync(order, KlarnaStatusEvent.Authorized);
                return new(200, "accepted");

            case KlarnaFraudStatus.Rejected:
            case KlarnaFraudStatus.Stopped:
            {
                var decision = fraudStatus == KlarnaFraudStatus.Stopped ? "stopped" : "rejected";
                var cancelNote = string.Empty;
                var cancelFailed = false;

                //cancel Klarna's authorization while it is still open: also when Klarna sends the notification again after a
                //failed cancel (the payment is already voided then); the fixed idempotency key makes a repeat harmless
                if (string.Equals(klarnaOrder?.Status, KlarnaOrderStatus.Authorized, StringComparison.OrdinalIgnoreCase) && (klarnaOrder?.CapturedAmount ?? 0) == 0)
                {
                    try
                    {
                        var credentials = await _credentialsProvider.GetCredentialsAsync(record.StoreId, record.Region, record.Environment);
                        await _klarnaApiClient.CancelOrderAsync(credentials, klarnaOrderId, $"fraud-cancel-{klarnaOrderId}");
                        record.KlarnaStatus = KlarnaOrderStatus.Cancelled;
                        record.RemainingAuthorizedAmountMinor = 0;
                        await _orderRecordService.UpdateAsync(record);
                        cancelNote = " The Klarna order was cancelled.";
                    }
                    catch (Exception exception)
                    {
                        cancelFailed = true;
                        cancelNote = $" The Klarna order could not be cancelled ({exception.Message}); it is tried again when Klarna sends the notification again.";
                        await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: {decision} Klarna order {klarnaOrderId} could not be cancelled", exception);
                    }
                }

                if ((PaymentStatus)order.PaymentStatusId is PaymentStatus.Pending or PaymentStatus.Authorized)
                {
                    order.PaymentStatusId = (int)PaymentStatus.Voided;
                    await _orderService.UpdateOrderAsync(order);
                    await AddOrderNoteAsync(order, $"Klarna {decision} order {klarnaOrderId} " +
                        $"({eventType ?? "notification"}): do not ship; payment voided.{cancelNote}");
                }
                else if (cancelNote.Length > 0)
                    await AddOrderNoteAsync(order, $"Klarna {decision} order {klarnaOrderId} ({eventType ?? "notification"}):{cancelNote}");

                await _orderStatusService.ApplyEventAsync(order, KlarnaStatusEvent.Cancelled);

                //not 2xx while the authorization is still open: Klarna sends the notification again
                return cancelFailed ? new(503, "rejected; the Klarna order could not be cancelled yet") : new(200, "rejected");
            }

            default:
                if (!string.Equals(previousFraudStatus, fraudStatus, StringComparison.OrdinalIgnoreCase))
                    await AddOrderNoteAsync(order, $"Klarna notification {eventType}: fraud status is {fraudStatus ?? "unknown"}.");

                return new(200, "no decision yet");
        }
    }

    #endregion
}
