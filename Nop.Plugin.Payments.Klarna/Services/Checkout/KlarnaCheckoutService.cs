using Microsoft.AspNetCore.Http;
using Newtonsoft.Json;
using Nop.Core;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Responses;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Common;
using Nop.Services.Configuration;
using Nop.Services.Customers;
using Nop.Services.Directory;
using Nop.Services.Localization;
using Nop.Services.Logging;
using Nop.Services.Orders;
using Nop.Services.Payments;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Represents the checkout side of the payment method: hidden rules, payment info form, Klarna order creation and the
/// records of the placed order
/// </summary>
/// <remarks>
/// Failed placement: ProcessPaymentAsync cancels the authorization itself whenever it fails after Klarna authorized
/// (create order refused, fraud REJECTED, unexpected error). Once the Klarna order exists, nopCommerce may still fail to
/// save its order; ProcessPaymentAsync therefore parks "klarnaOrderId|orderGuid" in a customer generic attribute, which
/// <see cref="RecordPlacedOrderAsync"/> clears when the order exists (OrderPlacedEvent / PostProcessPayment). A leftover
/// marker found at the customer's next payment step or next ProcessPayment whose order guid has no nopCommerce order means
/// the placement failed: that Klarna order is cancelled (Order Management cancel with an idempotency key).
/// </remarks>
public class KlarnaCheckoutService : IKlarnaCheckoutService
{
    #region Fields

    protected readonly ICountryService _countryService;
    protected readonly ICustomerService _customerService;
    protected readonly IGenericAttributeService _genericAttributeService;
    protected readonly IKlarnaApiClient _klarnaApiClient;
    protected readonly IKlarnaCheckoutSessionService _sessionService;
    protected readonly IKlarnaCredentialsProvider _credentialsProvider;
    protected readonly IKlarnaOrderRecordService _orderRecordService;
    protected readonly IKlarnaOrderStatusService _orderStatusService;
    protected readonly ILocalizationService _localizationService;
    protected readonly ILogger _logger;
    protected readonly IOrderService _orderService;
    protected readonly ISettingService _settingService;
    protected readonly IStoreContext _storeContext;
    protected readonly IWebHelper _webHelper;
    protected readonly IWorkContext _workContext;

    #endregion

    #region Ctor

    public KlarnaCheckoutService(ICountryService countryService,
        ICustomerService customerService,
        IGenericAttributeService genericAttributeService,
        IKlarnaApiClient klarnaApiClient,
        IKlarnaCheckoutSessionService sessionService,
        IKlarnaCredentialsProvider credentialsProvider,
        IKlarnaOrderRecordService orderRecordService,
        IKlarnaOrderStatusService orderStatusService,
        ILocalizationService localizationService,
        ILogger logger,
        IOrderService orderService,
        ISettingService settingService,
        IStoreContext storeContext,
        IWebHelper webHelper,
        IWorkContext workContext)
    {
        _countryService = countryService;
        _customerService = customerService;
        _genericAttributeService = genericAttributeService;
        _klarnaApiClient = klarnaApiClient;
        _sessionService = sessionService;
        _credentialsProvider = credentialsProvider;
        _orderRecordService = orderRecordService;
        _orderStatusService = orderStatusService;
        _localizationService = localizationService;
        _logger = logger;
        _orderService = orderService;
        _settingService = settingService;
        _storeContext = storeContext;
        _webHelper = webHelper;
        _workContext = workContext;
    }

    #endregion

    #region Utilities

    protected virtual Task<string> ResourceAsync(string key, string fallback) =>
        _localizationService.GetCheckoutResourceAsync(key, fallback);

    protected static string GetCustomValue(ProcessPaymentRequest request, string name) =>
        request?.CustomValues?.FirstOrDefault(value => string.Equals(value?.Name, name, StringComparison.Ordinal))?.Value;

    protected static CustomValue HiddenValue(string name, string value) =>
        new(name, value, CustomValueDisplayLocation.Payment, false) { Name = name, Value = value, DisplayToCustomer = false };

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

    /// <summary>
    /// Gets the notification URL given to Klarna (the plugin's route with the store's secret)
    /// </summary>
    /// <param name="settings">Settings</param>
    /// <returns>URL</returns>
    protected virtual string GetNotificationUrl(KlarnaSettings settings) =>
        $"{_webHelper.GetStoreLocation()}{KlarnaDefaults.Checkout.NotificationPath}/{Uri.EscapeDataString(settings.NotificationSecret ?? string.Empty)}";

    /// <summary>
    /// Cancels the authorization (best effort: logged, never thrown)
    /// </summary>
    protected virtual async Task CancelAuthorizationAsync(KlarnaCredentials credentials, string authorizationToken, Customer customer)
    {
        try
        {
            await _klarnaApiClient.CancelAuthorizationAsync(credentials, authorizationToken);
        }
        catch (Exception exception)
        {
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: the authorization could not be cancelled ({exception.Message})", exception, customer);
        }
    }

    /// <summary>
    /// Cancels a Klarna order whose nopCommerce order was never saved (best effort)
    /// </summary>
    protected virtual async Task CancelOrphanOrderAsync(KlarnaCredentials credentials, string klarnaOrderId, Customer customer)
    {
        try
        {
            await _klarnaApiClient.CancelOrderAsync(credentials, klarnaOrderId, $"checkout-cancel-{klarnaOrderId}");
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: Klarna order {klarnaOrderId} was cancelled because nopCommerce did not save its order", customer: customer);
        }
        catch (Exception exception)
        {
            await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: Klarna order {klarnaOrderId} has no nopCommerce order and could not be cancelled ({exception.Message})", exception, customer);
        }
    }

    /// <summary>
    /// Settles a Klarna order left by a previous ProcessPayment of the customer: records it when its order exists,
    /// cancels it when nopCommerce never saved the order
    /// </summary>
    /// <param name="customer">Customer</param>
    /// <param name="storeId">Store identifier</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    public virtual async Task SettlePendingOrderAsync(Customer customer, int storeId)
    {
        if (customer is null)
            return;

        var marker = await _genericAttributeService.GetAttributeAsync<string>(customer, KlarnaDefaults.Checkout.PendingOrderAttribute, storeId);
        if (string.IsNullOrEmpty(marker))
            return;

        var parts = marker.Split('|');
        await _genericAttributeService.SaveAttributeAsync<string>(customer, KlarnaDefaults.Checkout.PendingOrderAttribute, null, storeId);
        if (parts.Length != 2 || !Guid.TryParse(parts[1], out var orderGuid))
            return;

        var order = await _orderService.GetOrderByGuidAsync(orderGuid);
        if (order is not null)
        {
            await RecordPlacedOrderAsync(order);
            return;
        }

        var credentials = await _credentialsProvider.GetCredentialsAsync(storeId);
        if (credentials is not null)
            await CancelOrphanOrderAsync(credentials, parts[0], customer);
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<bool> HidePaymentMethodAsync(IList<ShoppingCartItem> cart)
    {
        var store = await _storeContext.GetCurrentStoreAsync();
        var credentials = await _credentialsProvider.GetCredentialsAsync(store.Id);
        if (credentials is null || string.IsNullOrEmpty(credentials.Username) || string.IsNullOrEmpty(credentials.Password))
            return true;

        var customer = await _workContext.GetCurrentCustomerAsync();
        var currency = await _workContext.GetWorkingCurrencyAsync();
        var billingAddress = await _customerService.GetCustomerBillingAddressAsync(customer);
        var country = billingAddress?.CountryId is int countryId && countryId > 0 ? await _countryService.GetCountryByIdAsync(countryId) : null;

        return !KlarnaCheckoutRegions.IsServed(credentials.Region, country?.TwoLetterIsoCode, currency?.CurrencyCode);
    }

    /// <inheritdoc />
    public virtual async Task<IList<string>> ValidatePaymentFormAsync(IFormCollection form)
    {
        var warnings = new List<string>();
        var token = form?[KlarnaDefaults.Checkout.AuthorizationTokenField].ToString();
        if (string.IsNullOrWhiteSpace(token))
            warnings.Add(await ResourceAsync("AuthorizationRequired", "Please complete the payment with Klarna before you continue."));
        else if (token.Length > 4096)
            warnings.Add(await ResourceAsync("AuthorizationInvalid", "Klarna's authorization is not valid. Please try again."));

        return warnings;
    }

    /// <inheritdoc />
    public virtual async Task<ProcessPaymentRequest> GetPaymentInfoAsync(IFormCollection form)
    {
        var request = new ProcessPaymentRequest();
        request.CustomValues ??= new CustomValues();

        var token = form?[KlarnaDefaults.Checkout.AuthorizationTokenField].ToString()?.Trim();
        var sessionId = form?[KlarnaDefaults.Checkout.SessionIdField].ToString()?.Trim();
        if (string.IsNullOrEmpty(sessionId))
        {
            var customer = await _workContext.GetCurrentCustomerAsync();
            var store = await _storeContext.GetCurrentStoreAsync();
            sessionId = await _genericAttributeService.GetAttributeAsync<string>(customer, KlarnaDefaults.Checkout.SessionIdAttribute, store.Id);
        }

        request.CustomValues.Add(HiddenValue(KlarnaDefaults.Checkout.AuthorizationTokenCustomValue, token));
        request.CustomValues.Add(HiddenValue(KlarnaDefaults.Checkout.SessionIdCustomValue, sessionId));
        request.CustomValues.Add(HiddenValue(KlarnaDefaults.Checkout.CategoryCustomValue, form?[KlarnaDefaults.Checkout.CategoryField].ToString()?.Trim()));
        return request;
    }

    /// <inheritdoc />
    public virtual async Task<ProcessPaymentResult> ProcessPaymentAsync(ProcessPaymentRequest processPaymentRequest)
    {
        ArgumentNullException.ThrowIfNull(processPaymentRequest);

        var result = new ProcessPaymentResult { Errors = new List<string>(), NewPaymentStatus = PaymentStatus.Pending };
        var customer = await _customerService.GetCustomerByIdAsync(processPaymentRequest.CustomerId);
        await SettlePendingOrderAsync(customer, processPaymentRequest.StoreId);

        var token = GetCustomValue(processPaymentRequest, KlarnaDefaults.Checkout.AuthorizationTokenCustomValue);
        if (string.IsNullOrWhiteSpace(token))
        {
            result.Errors.Add(await ResourceAsync("AuthorizationRequired", "Please complete the payment with Klarna before you continue."));
            return result;
        }

        var cartRequest = await _sessionService.BuildCartRequestAsync(customer, processPaymentRequest.StoreId, orderTotal: processPaymentRequest.OrderTotal);
        if (cartRequest.Error is not null)
        {
            if (cartRequest.Credentials is not null)
                await CancelAuthorizationAsync(cartRequest.Credentials, token, customer);

            result.Errors.Add(cartRequest.Error);
            return result;
        }

        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(processPaymentRequest.StoreId);
        var request = cartRequest.Request;
        request.MerchantReference1 = processPaymentRequest.OrderGuid.ToString();
        request.MerchantUrls = new KlarnaMerchantUrls
        {
            Confirmation = $"{_webHelper.GetStoreLocation()}checkout/completed",
            Notification = GetNotificationUrl(settings)
        };
        request.AutoCapture = false;

        KlarnaCreateOrderResponse response;
        try
        {
            response = await _klarnaApiClient.CreateOrderAsync(cartRequest.Credentials, token, request);
        }
        catch (KlarnaApiException exception)
        {
            await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: Klarna refused to create the order ({exception.Message})", exception, customer);
            if (exception.StatusCode != 404)
                await CancelAuthorizationAsync(cartRequest.Credentials, token, customer);

            result.Errors.Add(exception.StatusCode == 404
                ? await ResourceAsync("AuthorizationExpired", "Klarna's authorization has expired. Please go back to the payment step and pay with Klarna again.")
                : await ResourceAsync("CreateOrderFailed", "Klarna could not accept the order. Please go back to the payment step and try again, or choose another payment method."));
            return result;
        }
        catch (Exception exception)
        {
            await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: the Klarna order could not be created ({exception.Message})", exception, customer);
            await CancelAuthorizationAsync(cartRequest.Credentials, token, customer);
            result.Errors.Add(await ResourceAsync("CreateOrderFailed", "Klarna could not accept the order. Please go back to the payment step and try again, or choose another payment method."));
            return result;
        }

        var fraudStatus = response.FraudStatus?.Trim().ToUpperInvariant() ?? KlarnaFraudStatus.Accepted;
        if (fraudStatus is KlarnaFraudStatus.Rejected or KlarnaFraudStatus.Stopped)
        {
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: Klarna rejected order {response.OrderId} (fraud status {fraudStatus})", customer: customer);
            await CancelAuthorizationAsync(cartRequest.Credentials, token, customer);
            if (!string.IsNullOrEmpty(response.OrderId))
                await CancelOrphanOrderAsync(cartRequest.Credentials, response.OrderId, customer);

            result.Errors.Add(await ResourceAsync("Rejected", "Klarna declined this purchase. Please choose another payment method."));
            return result;
        }

        // until nopCommerce saved the order: a leftover marker means the placement failed (see the class remarks)
        await _genericAttributeService.SaveAttributeAsync(customer, KlarnaDefaults.Checkout.PendingOrderAttribute,
            $"{response.OrderId}|{processPaymentRequest.OrderGuid}", processPaymentRequest.StoreId);

        result.AuthorizationTransactionId = response.OrderId;
        result.AuthorizationTransactionResult = fraudStatus;
        // fraud PENDING: the order stays pending (nopCommerce moves an Authorized order to Processing) until the notification
        result.NewPaymentStatus = fraudStatus == KlarnaFraudStatus.Pending ? PaymentStatus.Pending : PaymentStatus.Authorized;
        return result;
    }

    /// <inheritdoc />
    public virtual async Task PostProcessPaymentAsync(PostProcessPaymentRequest postProcessPaymentRequest)
    {
        var order = postProcessPaymentRequest?.Order;
        if (order is null)
            return;

        var record = await RecordPlacedOrderAsync(order);
        if (record is null)
            return;

        var pending = string.Equals(record.FraudStatus, KlarnaFraudStatus.Pending, StringComparison.OrdinalIgnoreCase);
        await _orderStatusService.ApplyEventAsync(order, pending ? KlarnaStatusEvent.FraudPending : KlarnaStatusEvent.Authorized);
    }

    /// <summary>
    /// Records a placed Klarna order once: the KlarnaOrderRecord (read back from Klarna), the Authorize operation, the
    /// merchant reference (custom order number) and an order note
    /// </summary>
    /// <param name="order">The placed order</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the record (null for other payment methods)</returns>
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
        if (customer is not null)
        {
            var marker = await _genericAttributeService.GetAttributeAsync<string>(customer, KlarnaDefaults.Checkout.PendingOrderAttribute, order.StoreId);
            if (marker?.StartsWith(order.AuthorizationTransactionId + "|", StringComparison.Ordinal) == true)
                await _genericAttributeService.SaveAttributeAsync<string>(customer, KlarnaDefaults.Checkout.PendingOrderAttribute, null, order.StoreId);
        }

        var credentials = await _credentialsProvider.GetCredentialsAsync(order.StoreId);
        var klarnaOrderId = order.AuthorizationTransactionId;
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
        var sessionId = customer is null ? null
            : await _genericAttributeService.GetAttributeAsync<string>(customer, KlarnaDefaults.Checkout.SessionIdAttribute, order.StoreId);
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
            Description = $"Fraud status {record.FraudStatus}",
            Initiator = KlarnaInitiator.Checkout,
            InitiatedBy = customer?.Email ?? $"customer {order.CustomerId}",
            CreatedOnUtc = now,
            UpdatedOnUtc = now
        });

        // merchant_reference1 was the order guid while the order did not exist: now the custom order number
        var referenceNote = string.Empty;
        if (credentials is not null && !string.IsNullOrEmpty(order.CustomOrderNumber))
        {
            try
            {
                await _klarnaApiClient.UpdateMerchantReferencesAsync(credentials, klarnaOrderId, order.CustomOrderNumber, order.OrderGuid.ToString(),
                    $"merchant-references-{klarnaOrderId}-{order.CustomOrderNumber}");
            }
            catch (Exception exception)
            {
                referenceNote = $" The merchant reference could not be set to {order.CustomOrderNumber} ({exception.Message}).";
                await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: merchant references of Klarna order {klarnaOrderId} not updated ({exception.Message})", exception, customer);
            }
        }

        var expires = record.ExpiresAtUtc.HasValue ? $", authorization expires {record.ExpiresAtUtc.Value:yyyy-MM-dd HH:mm} UTC" : string.Empty;
        var readNote = readError is null ? string.Empty : $" Klarna could not be read back ({readError}); the status synchronization will complete the record.";
        await AddOrderNoteAsync(order, $"Klarna order {klarnaOrderId} (reference {record.KlarnaReference ?? "-"}) authorized: " +
            $"{KlarnaAmount.FromMinor(amount, currency).ToString(System.Globalization.CultureInfo.InvariantCulture)} {currency}, fraud status {record.FraudStatus}{expires}.{referenceNote}{readNote}");

        return record;
    }

    #endregion
}
