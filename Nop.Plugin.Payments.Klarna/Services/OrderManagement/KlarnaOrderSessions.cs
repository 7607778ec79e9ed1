using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Configuration;
using Nop.Services.Logging;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Opens the engine's sessions: the nopCommerce order (the caller's instance, or loaded once) and the store's settings
/// before the lock; the record, the credentials, the operations and one read of Klarna's order under it
/// </summary>
public class KlarnaOrderSessions
{
    #region Fields

    protected readonly IKlarnaApiClient _apiClient;
    protected readonly IKlarnaCredentialsProvider _credentialsProvider;
    protected readonly ILogger _logger;
    protected readonly KlarnaOrderNotes _notes;
    protected readonly IOrderService _orderService;
    protected readonly IKlarnaOrderRecordService _recordService;
    protected readonly ISettingService _settingService;

    #endregion

    #region Ctor

    public KlarnaOrderSessions(IKlarnaApiClient apiClient,
        IKlarnaCredentialsProvider credentialsProvider,
        ILogger logger,
        KlarnaOrderNotes notes,
        IOrderService orderService,
        IKlarnaOrderRecordService recordService,
        ISettingService settingService)
    {
        _apiClient = apiClient;
        _credentialsProvider = credentialsProvider;
        _logger = logger;
        _notes = notes;
        _orderService = orderService;
        _recordService = recordService;
        _settingService = settingService;
    }

    #endregion

    #region Methods

    /// <summary>
    /// Opens a session (no lock yet): the order and its store's settings
    /// </summary>
    /// <param name="order">The order instance the caller holds (nopCommerce's buttons and events, the admin action), or null</param>
    /// <param name="orderId">The order identifier when no instance is given</param>
    /// <param name="initiator">Who or what starts it</param>
    /// <param name="settings">The settings when the caller has loaded them (a sync run), or null</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the session, or the refusal</returns>
    public virtual async Task<(KlarnaOrderSession Session, KlarnaRefusal Refusal)> OpenAsync(Order order, int orderId, KlarnaInitiator initiator,
        KlarnaSettings settings = null)
    {
        order ??= orderId > 0 ? await _orderService.GetOrderByIdAsync(orderId) : null;
        if (order is null || order.Deleted || !string.Equals(order.PaymentMethodSystemName, KlarnaDefaults.SystemName, StringComparison.OrdinalIgnoreCase))
            return (null, new KlarnaRefusal(KlarnaRefusalCode.NotKlarnaOrder));

        settings ??= await _settingService.LoadSettingAsync<KlarnaSettings>(order.StoreId);
        return (new KlarnaOrderSession(order, settings, initiator), null);
    }

    /// <summary>
    /// Loads what the session works on, under the order's lock: the record, the credentials, one read of Klarna's order
    /// (cancelled with the request: nothing is written before it) and the operations; the read is brought up to what the
    /// plugin already knows Klarna did (<see cref="KlarnaReadCatchUp"/>)
    /// </summary>
    /// <param name="session">Session</param>
    /// <param name="credentials">Credentials the caller has built (a sync run), or null</param>
    /// <param name="cancellationToken">The request's cancellation token</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains null when loaded, else why not (Klarna's failure of the read included)</returns>
    public virtual async Task<KlarnaOperationResult> LoadAsync(KlarnaOrderSession session, KlarnaCredentials credentials, CancellationToken cancellationToken)
    {
        var order = session.Order;
        session.Record = await _recordService.GetByOrderIdAsync(order.Id);
        if (session.Record is null || string.IsNullOrEmpty(session.Record.KlarnaOrderId))
            return KlarnaOperationResult.Refused(KlarnaRefusalCode.NotKlarnaOrder);

        var record = session.Record;
        session.Credentials = credentials ?? _credentialsProvider.GetCredentials(session.Settings, record.Region, record.Environment);
        if (session.Credentials is null)
        {
            await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: no Klarna credentials for order {order.Id} ({record.Region} {record.Environment}, store {order.StoreId})");
            return KlarnaOperationResult.Refused(KlarnaRefusalCode.NoCredentials, record.Region.ToString(), record.Environment.ToString());
        }

        try
        {
            session.KlarnaOrder = await _apiClient.GetOrderAsync(session.Credentials, record.KlarnaOrderId, cancellationToken)
                ?? throw new KlarnaApiException(0, "EMPTY_ANSWER", Array.Empty<string>(), null, null, "Klarna returned no order");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            var failure = KlarnaFailure.Of(exception);

            //a sync run records its failures in the run (settings page) and logs them once per run; Klarna sends a notification
            //again until it is answered 200 (no note per attempt); what an admin or an automatic capture asked for leaves a note
            if (session.Initiator != KlarnaInitiator.StatusSync)
            {
                await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: Klarna order {record.KlarnaOrderId} of order {order.Id} could not be read " +
                    $"(error {failure.ErrorCode}, correlation id {failure.CorrelationId ?? "none"})", exception);
            }
            if (session.Initiator is not (KlarnaInitiator.StatusSync or KlarnaInitiator.Notification))
                await _notes.AddAsync(order.Id, KlarnaNoteCode.ReadFailed, failure.ErrorCode, failure.Messages, failure.CorrelationId ?? "-");
            return new KlarnaOperationResult
            {
                Refusal = new KlarnaRefusal(KlarnaRefusalCode.KlarnaUnreadable, failure.ErrorCode, failure.Messages, failure.CorrelationId),
                KlarnaError = failure
            };
        }

        session.SetOperations(await _recordService.GetOperationsAsync(order.Id));
        KlarnaReadCatchUp.CatchUp(session.KlarnaOrder, session.Operations, record);
        return null;
    }

    /// <summary>
    /// Reads Klarna's order again (after an extension, whose new expiry only Klarna knows); keeps the copy when the read fails
    /// </summary>
    /// <param name="session">Session</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    public virtual async Task RereadAsync(KlarnaOrderSession session)
    {
        try
        {
            session.KlarnaOrder = await _apiClient.GetOrderAsync(session.Credentials, session.Record.KlarnaOrderId, CancellationToken.None) ?? session.KlarnaOrder;
            KlarnaReadCatchUp.CatchUp(session.KlarnaOrder, session.Operations, session.Record);
        }
        catch (Exception exception)
        {
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: Klarna order {session.Record.KlarnaOrderId} could not be read again after its extension", exception);
        }
    }

    #endregion
}
