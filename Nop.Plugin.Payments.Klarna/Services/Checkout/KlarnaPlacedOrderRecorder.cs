using Nop.Plugin.Payments.Klarna.Services.Api.Responses;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Newtonsoft.Json;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Common;
using Nop.Services.Customers;
using Nop.Services.Logging;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Records a Klarna order once nopCommerce saved its order
/// </summary>
public interface IKlarnaPlacedOrderRecorder
{
    /// <summary>
    /// Records a placed Klarna order once: the KlarnaOrderRecord (read back from Klarna), the Authorize operation, the
    /// merchant reference (custom order number), an order note, and the checkout attempt as placed
    /// </summary>
    /// <param name="order">The placed order</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the record (null for other payment methods)</returns>
    Task<KlarnaOrderRecord> RecordPlacedOrderAsync(Order order);
}

/// <summary>
/// Represents the default <see cref="IKlarnaPlacedOrderRecorder"/>
/// </summary>
public class KlarnaPlacedOrderRecorder : IKlarnaPlacedOrderRecorder
{
    #region Fields

    protected readonly ICustomerService _customerService;
    protected readonly IGenericAttributeService _genericAttributeService;
    protected readonly IKlarnaApiClient _klarnaApiClient;
    protected readonly IKlarnaCheckoutAttemptStore _attemptStore;
    protected readonly IKlarnaCredentialsProvider _credentialsProvider;
    protected readonly IKlarnaOrderRecordService _orderRecordService;
    protected readonly ILogger _logger;
    protected readonly KlarnaOrderNotes _notes;

    #endregion

    #region Ctor

    public KlarnaPlacedOrderRecorder(ICustomerService customerService,
        IGenericAttributeService genericAttributeService,
        IKlarnaApiClient klarnaApiClient,
        IKlarnaCheckoutAttemptStore attemptStore,
        IKlarnaCredentialsProvider credentialsProvider,
        IKlarnaOrderRecordService orderRecordService,
        ILogger logger,
        KlarnaOrderNotes notes)
    {
        _customerService = customerService;
        _genericAttributeService = genericAttributeService;
        _klarnaApiClient = klarnaApiClient;
        _attemptStore = attemptStore;
        _credentialsProvider = credentialsProvider;
        _orderRecordService = orderRecordService;
        _logger = logger;
        _notes = notes;
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaOrderRecord> RecordPlacedOrderAsync(Order order)
    {
        if (order is null || !string.Equals(order.PaymentMethodSystemName, KlarnaDefaults.SystemName, StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrEmpty(order.AuthorizationTransactionId))
        {
            return null;
        }

        var existing = await _orderRecordService.GetByOrderIdAsync(order.Id);
        if (existing is not null)
            return existing;

        var customer = await _customerService.GetCustomerByIdAsync(order.CustomerId);
        var klarnaOrderId = order.AuthorizationTransactionId;

        // the checkout attempt that created the Klarna order: placed now (its credentials are the ones the order was made with)
        var attempt = await _attemptStore.GetByKlarnaOrderIdAsync(klarnaOrderId);
        if (attempt is not null)
        {
            attempt.Status = KlarnaCheckoutAttemptStatus.Placed;
            attempt.OrderId = order.Id;
            attempt.OrderGuid = order.OrderGuid;
            attempt.RequestJson = null;
            await _attemptStore.UpdateAsync(attempt);
        }

        var credentials = attempt is null
            ? await _credentialsProvider.GetCredentialsAsync(order.StoreId)
            : await _credentialsProvider.GetCredentialsAsync(order.StoreId, (KlarnaRegion)attempt.RegionId, (KlarnaEnvironment)attempt.EnvironmentId);
        KlarnaOrder klarnaOrder = null;
        string readError = null;
        if (credentials is not null)
        {
            try
            {
                klarnaOrder = await _klarnaApiClient.GetOrderAsync(credentials, klarnaOrderId);
            }
            catch (Exception exception)
            {
                readError = exception.Message;
                await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: Klarna order {klarnaOrderId} could not be read after checkout ({exception.Message})", exception, customer);
            }
        }

        var now = DateTime.UtcNow;
        var currency = klarnaOrder?.PurchaseCurrency?.ToUpperInvariant() ?? order.CustomerCurrencyCode;
        var amount = klarnaOrder?.OrderAmount ?? KlarnaAmount.ToMinor(order.OrderTotal * (order.CurrencyRate <= 0 ? 1m : order.CurrencyRate), currency);
        var sessionId = attempt?.SessionId ?? (customer is null ? null
            : await _genericAttributeService.GetAttributeAsync<string>(customer, KlarnaDefaults.Checkout.SessionIdAttribute, order.StoreId));
        var record = new KlarnaOrderRecord
        {
            OrderId = order.Id,
            StoreId = order.StoreId,
            KlarnaOrderId = klarnaOrderId,
            KlarnaReference = klarnaOrder?.KlarnaReference,
            SessionId = sessionId,
            Region = credentials?.Region ?? KlarnaRegion.Europe,
            Environment = credentials?.Environment ?? KlarnaEnvironment.Playground,
            CurrencyCode = currency,
            FraudStatus = klarnaOrder?.FraudStatus?.ToUpperInvariant() ?? order.AuthorizationTransactionResult,
            KlarnaStatus = klarnaOrder?.Status ?? KlarnaOrderStatus.Authorized,
            OrderAmountMinor = amount,
            CapturedAmountMinor = klarnaOrder?.CapturedAmount ?? 0,
            RefundedAmountMinor = klarnaOrder?.RefundedAmount ?? 0,
            RemainingAuthorizedAmountMinor = klarnaOrder?.RemainingAuthorizedAmount ?? amount,
            ExpiresAtUtc = klarnaOrder?.ExpiresAt?.UtcDateTime,
            InitialPaymentMethod = klarnaOrder?.InitialPaymentMethod?.Description ?? klarnaOrder?.InitialPaymentMethod?.Type,
            AppliedStatusEvents = string.Empty,
            SyncRequested = klarnaOrder is null,
            CreatedOnUtc = now,
            UpdatedOnUtc = now,
            LastSyncedOnUtc = klarnaOrder is null ? null : now
        };
        await _orderRecordService.InsertAsync(record);

        if (sessionId is not null && customer is not null)
            await _genericAttributeService.SaveAttributeAsync<string>(customer, KlarnaDefaults.Checkout.SessionIdAttribute, null, order.StoreId);

        await _orderRecordService.InsertOperationAsync(new KlarnaOperation
        {
            OrderId = order.Id,
            KlarnaOrderId = klarnaOrderId,
            Kind = KlarnaOperationKind.Authorize,
            Status = KlarnaOperationStatus.Succeeded,
            AmountMinor = amount,
            CurrencyCode = currency,
            LinesJson = klarnaOrder?.OrderLines is null ? null : JsonConvert.SerializeObject(klarnaOrder.OrderLines),
            IdempotencyKey = $"authorize-{klarnaOrderId}",
            KlarnaId = klarnaOrderId,
            KlarnaReference = klarnaOrder?.KlarnaReference,
            Description = record.FraudStatus,
            Initiator = KlarnaInitiator.Checkout,
            InitiatedBy = customer?.Email ?? $"customer {order.CustomerId}",
            CreatedOnUtc = now,
            UpdatedOnUtc = now
        });

        // merchant_reference1 was the order guid while the order did not exist: now the custom order number
        var note = new List<(KlarnaNoteCode, object[])>
        {
            (KlarnaNoteCode.Authorized, new object[] { klarnaOrderId, record.KlarnaReference ?? "-", new KlarnaMoney(amount, currency), record.FraudStatus })
        };
        if (record.ExpiresAtUtc.HasValue)
            note.Add((KlarnaNoteCode.AuthorizationExpires, new object[] { record.ExpiresAtUtc.Value }));
        if (credentials is not null && !string.IsNullOrEmpty(order.CustomOrderNumber))
        {
            try
            {
                await _klarnaApiClient.UpdateMerchantReferencesAsync(credentials, klarnaOrderId, order.CustomOrderNumber, order.OrderGuid.ToString(),
                    $"merchant-references-{klarnaOrderId}-{order.CustomOrderNumber}");
            }
            catch (Exception exception)
            {
                note.Add((KlarnaNoteCode.MerchantReferenceNotSet, new object[] { order.CustomOrderNumber, exception.Message }));
                await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: merchant references of Klarna order {klarnaOrderId} not updated ({exception.Message})", exception, customer);
            }
        }

        if (readError is not null)
            note.Add((KlarnaNoteCode.NotReadBack, new object[] { readError }));
        await _notes.AddAsync(order.Id, note);

        return record;
    }

    #endregion
}
