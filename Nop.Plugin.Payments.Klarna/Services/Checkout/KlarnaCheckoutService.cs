using Microsoft.AspNetCore.Http;
using Nop.Core;
using Nop.Core.Domain.Logging;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Responses;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
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
/// Represents the checkout side of the payment method as nopCommerce calls it: hidden rules, the payment info form, the
/// Klarna order (through <see cref="IKlarnaOrderPlacementService"/>, which records every attempt before the call) and the
/// record of the placed order (<see cref="IKlarnaPlacedOrderRecorder"/>)
/// </summary>
/// <remarks>
/// Multi-step flow (Klarna's auto_finalize:false): the payment info step authorizes; for a pay-now category Klarna answers
/// finalize_required and no token, so the form carries the flag instead; the confirm page calls finalize() when the
/// customer confirms and posts the token (<see cref="SaveFinalizedTokenAsync"/>) into nopCommerce's payment request
/// before the order is placed.
/// </remarks>
public class KlarnaCheckoutService : IKlarnaCheckoutService
{
    #region Fields

    protected readonly ICountryService _countryService;
    protected readonly ICustomerService _customerService;
    protected readonly IGenericAttributeService _genericAttributeService;
    protected readonly IKlarnaCheckoutSessionService _sessionService;
    protected readonly IKlarnaCredentialsProvider _credentialsProvider;
    protected readonly IKlarnaOrderPlacementService _placementService;
    protected readonly IKlarnaOrderStatusService _orderStatusService;
    protected readonly IKlarnaPlacedOrderRecorder _recorder;
    protected readonly ILocalizationService _localizationService;
    protected readonly ILogger _logger;
    protected readonly IOrderProcessingService _orderProcessingService;
    protected readonly ISettingService _settingService;
    protected readonly IStoreContext _storeContext;
    protected readonly IWebHelper _webHelper;
    protected readonly IWorkContext _workContext;

    #endregion

    #region Ctor

    public KlarnaCheckoutService(ICountryService countryService,
        ICustomerService customerService,
        IGenericAttributeService genericAttributeService,
        IKlarnaCheckoutSessionService sessionService,
        IKlarnaCredentialsProvider credentialsProvider,
        IKlarnaOrderPlacementService placementService,
        IKlarnaOrderStatusService orderStatusService,
        IKlarnaPlacedOrderRecorder recorder,
        ILocalizationService localizationService,
        ILogger logger,
        IOrderProcessingService orderProcessingService,
        ISettingService settingService,
        IStoreContext storeContext,
        IWebHelper webHelper,
        IWorkContext workContext)
    {
        _countryService = countryService;
        _customerService = customerService;
        _genericAttributeService = genericAttributeService;
        _sessionService = sessionService;
        _credentialsProvider = credentialsProvider;
        _placementService = placementService;
        _orderStatusService = orderStatusService;
        _recorder = recorder;
        _localizationService = localizationService;
        _logger = logger;
        _orderProcessingService = orderProcessingService;
        _settingService = settingService;
        _storeContext = storeContext;
        _webHelper = webHelper;
        _workContext = workContext;
    }

    #endregion

    #region Utilities

    protected virtual Task<string> ResourceAsync(KlarnaCheckoutMessage message) =>
        _localizationService.GetCheckoutTextAsync(message);

    protected static string GetCustomValue(ProcessPaymentRequest request, string name) =>
        request?.CustomValues?.FirstOrDefault(value => string.Equals(value?.Name, name, StringComparison.Ordinal))?.Value;

    protected static CustomValue HiddenValue(string name, string value) =>
        new(name, value, CustomValueDisplayLocation.Payment, false) { Name = name, Value = value, DisplayToCustomer = false };

    /// <summary>
    /// Gets the notification URL given to Klarna (the plugin's route with the store's secret)
    /// </summary>
    /// <param name="settings">Settings</param>
    /// <returns>URL</returns>
    protected virtual string GetNotificationUrl(KlarnaSettings settings) =>
        $"{_webHelper.GetStoreLocation()}{KlarnaDefaults.Checkout.NotificationPath}/{Uri.EscapeDataString(settings.NotificationSecret ?? string.Empty)}";

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
        if (KlarnaCheckoutRegions.IsServed(credentials.Region, country?.TwoLetterIsoCode, currency?.CurrencyCode))
            return false;

        // not a Klarna market: Klarna would refuse the session, so the method is not offered (and the reason kept for debugging)
        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(store.Id);
        if (settings.LogDebug || _logger.IsEnabled(LogLevel.Debug))
        {
            var countryCurrency = KlarnaCheckoutRegions.GetCurrency(country?.TwoLetterIsoCode);
            await _logger.InsertLogAsync(LogLevel.Debug, $"{KlarnaDefaults.SystemName}: Klarna is not offered at checkout: " + (country is null ? "the customer has no billing country yet"
                : countryCurrency is null ? $"Klarna Payments does not serve {country.TwoLetterIsoCode}"
                : !KlarnaCheckoutRegions.IsServed(credentials.Region, country.TwoLetterIsoCode, countryCurrency)
                    ? $"{country.TwoLetterIsoCode} is not served by the configured region {credentials.Region}"
                    : $"Klarna takes only {countryCurrency} in {country.TwoLetterIsoCode}, the cart is in {currency?.CurrencyCode ?? "no currency"}"), customer: customer);
        }

        return true;
    }

    /// <inheritdoc />
    public virtual async Task<IList<string>> ValidatePaymentFormAsync(IFormCollection form)
    {
        var warnings = new List<string>();
        var token = form?[KlarnaDefaults.Checkout.AuthorizationTokenField].ToString();
        var finalizeRequired = string.Equals(form?[KlarnaDefaults.Checkout.FinalizeRequiredField].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(token) && !finalizeRequired)
            warnings.Add(await ResourceAsync(KlarnaCheckoutMessage.AuthorizationRequired));
        else if (token?.Trim().Length > KlarnaDefaults.Checkout.MaxAuthorizationTokenLength)
            warnings.Add(await ResourceAsync(KlarnaCheckoutMessage.AuthorizationInvalid));

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

        var finalizeRequired = string.IsNullOrEmpty(token)
            && string.Equals(form?[KlarnaDefaults.Checkout.FinalizeRequiredField].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        request.CustomValues.Add(HiddenValue(KlarnaDefaults.Checkout.AuthorizationTokenCustomValue, token));
        request.CustomValues.Add(HiddenValue(KlarnaDefaults.Checkout.SessionIdCustomValue, sessionId));
        request.CustomValues.Add(HiddenValue(KlarnaDefaults.Checkout.CategoryCustomValue, form?[KlarnaDefaults.Checkout.CategoryField].ToString()?.Trim()));
        if (finalizeRequired)
            request.CustomValues.Add(HiddenValue(KlarnaDefaults.Checkout.FinalizeRequiredCustomValue, "true"));

        return request;
    }

    /// <inheritdoc />
    public virtual async Task<KlarnaFinalization> GetFinalizationAsync()
    {
        var request = await _orderProcessingService.GetProcessPaymentRequestAsync();
        if (request is null || !string.Equals(request.PaymentMethodSystemName ?? KlarnaDefaults.SystemName, KlarnaDefaults.SystemName, StringComparison.OrdinalIgnoreCase)
            || GetCustomValue(request, KlarnaDefaults.Checkout.FinalizeRequiredCustomValue) != "true"
            || !string.IsNullOrEmpty(GetCustomValue(request, KlarnaDefaults.Checkout.AuthorizationTokenCustomValue)))
        {
            return null;
        }

        return new KlarnaFinalization
        {
            SessionId = GetCustomValue(request, KlarnaDefaults.Checkout.SessionIdCustomValue),
            Category = GetCustomValue(request, KlarnaDefaults.Checkout.CategoryCustomValue)
        };
    }

    /// <inheritdoc />
    public virtual async Task<bool> SaveFinalizedTokenAsync(string sessionId, string authorizationToken)
    {
        var token = authorizationToken?.Trim();
        if (string.IsNullOrEmpty(token) || token.Length > KlarnaDefaults.Checkout.MaxAuthorizationTokenLength)
            return false;

        var request = await _orderProcessingService.GetProcessPaymentRequestAsync();
        if (request?.CustomValues is null || GetCustomValue(request, KlarnaDefaults.Checkout.FinalizeRequiredCustomValue) != "true"
            || !string.Equals(GetCustomValue(request, KlarnaDefaults.Checkout.SessionIdCustomValue), sessionId?.Trim(), StringComparison.Ordinal))
        {
            return false;
        }

        request.CustomValues.RemoveAll(value => value?.Name == KlarnaDefaults.Checkout.AuthorizationTokenCustomValue);
        request.CustomValues.Add(HiddenValue(KlarnaDefaults.Checkout.AuthorizationTokenCustomValue, token));
        await _orderProcessingService.SetProcessPaymentRequestAsync(request);
        return true;
    }

    /// <inheritdoc />
    public virtual async Task<ProcessPaymentResult> ProcessPaymentAsync(ProcessPaymentRequest processPaymentRequest)
    {
        ArgumentNullException.ThrowIfNull(processPaymentRequest);

        var result = new ProcessPaymentResult { Errors = new List<string>(), NewPaymentStatus = PaymentStatus.Pending };
        var customer = await _customerService.GetCustomerByIdAsync(processPaymentRequest.CustomerId);
        var token = GetCustomValue(processPaymentRequest, KlarnaDefaults.Checkout.AuthorizationTokenCustomValue);
        if (string.IsNullOrWhiteSpace(token) || customer is null)
        {
            result.Errors.Add(GetCustomValue(processPaymentRequest, KlarnaDefaults.Checkout.FinalizeRequiredCustomValue) == "true"
                ? await ResourceAsync(KlarnaCheckoutMessage.FinalizeRequired)
                : await ResourceAsync(KlarnaCheckoutMessage.AuthorizationRequired));
            return result;
        }

        // the same builder as the session and the browser's authorize data: lines, locale, currency, addresses
        var cartRequest = await _sessionService.BuildCartRequestAsync(customer, processPaymentRequest.StoreId, orderTotal: processPaymentRequest.OrderTotal);
        if (cartRequest.Error is not null)
        {
            result.Errors.Add(cartRequest.Error);
            return result;
        }

        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(processPaymentRequest.StoreId);
        var order = cartRequest.Request;
        order.MerchantReference1 = processPaymentRequest.OrderGuid.ToString();
        order.MerchantUrls = new KlarnaMerchantUrls
        {
            Confirmation = $"{_webHelper.GetStoreLocation()}checkout/completed",
            Notification = GetNotificationUrl(settings)
        };
        order.AutoCapture = false;
        order.BillingAddress = cartRequest.Customer?.BillingAddress;
        order.ShippingAddress = cartRequest.Customer?.ShippingAddress;

        var placement = await _placementService.PlaceAsync(new KlarnaPlacementRequest
        {
            Customer = customer,
            StoreId = processPaymentRequest.StoreId,
            OrderGuid = processPaymentRequest.OrderGuid,
            SessionId = GetCustomValue(processPaymentRequest, KlarnaDefaults.Checkout.SessionIdCustomValue),
            AuthorizationToken = token.Trim(),
            Credentials = cartRequest.Credentials,
            Order = order
        });
        if (!placement.Success)
        {
            result.Errors.Add(placement.Error);
            return result;
        }

        result.AuthorizationTransactionId = placement.KlarnaOrderId;
        result.AuthorizationTransactionResult = placement.FraudStatus;
        // fraud PENDING: the order stays pending (nopCommerce moves an Authorized order to Processing) until the notification
        result.NewPaymentStatus = placement.FraudStatus == KlarnaFraudStatus.Pending ? PaymentStatus.Pending : PaymentStatus.Authorized;
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

    /// <inheritdoc />
    public virtual Task<KlarnaOrderRecord> RecordPlacedOrderAsync(Order order) => _recorder.RecordPlacedOrderAsync(order);

    #endregion
}
