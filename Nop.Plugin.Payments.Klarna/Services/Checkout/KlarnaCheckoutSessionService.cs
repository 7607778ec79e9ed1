using Nop.Core;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Responses;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Services.Common;
using Nop.Services.Configuration;
using Nop.Services.Localization;
using Nop.Services.Logging;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Represents the Klarna Payments session of the payment info step
/// </summary>
public class KlarnaCheckoutSession
{
    /// <summary>
    /// Gets or sets the error shown instead of the widget (null when the session is ready)
    /// </summary>
    public string Error { get; set; }

    /// <summary>
    /// Gets or sets the session id
    /// </summary>
    public string SessionId { get; set; }

    /// <summary>
    /// Gets or sets the client token for Klarna.Payments.init
    /// </summary>
    public string ClientToken { get; set; }

    /// <summary>
    /// Gets or sets the payment method categories the session offers
    /// </summary>
    public IList<KlarnaPaymentMethodCategory> Categories { get; set; } = new List<KlarnaPaymentMethodCategory>();

    /// <summary>
    /// Gets or sets the request the session was created or updated with
    /// </summary>
    public KlarnaSessionRequest Request { get; set; }

    /// <summary>
    /// Gets or sets the customer's addresses the browser passes to authorize / finalize (never sent with the session)
    /// </summary>
    public KlarnaCustomerData Customer { get; set; }
}

/// <summary>
/// Represents a Klarna request built from the customer's cart
/// </summary>
public class KlarnaCartRequest
{
    /// <summary>
    /// Gets or sets the error (null when the request could be built)
    /// </summary>
    public string Error { get; set; }

    /// <summary>
    /// Gets or sets the credentials of the store's configured region and environment
    /// </summary>
    public KlarnaCredentials Credentials { get; set; }

    /// <summary>
    /// Gets or sets the session / create-order body
    /// </summary>
    public KlarnaSessionRequest Request { get; set; }

    /// <summary>
    /// Gets or sets the lines (with the rounding adjustment)
    /// </summary>
    public KlarnaOrderLines Lines { get; set; }

    /// <summary>
    /// Gets or sets the customer's addresses: passed by the browser to authorize / finalize and sent with create order, never
    /// with the session (Klarna's GDPR advice)
    /// </summary>
    public KlarnaCustomerData Customer { get; set; }
}

/// <summary>
/// Creates or updates the customer's Klarna Payments session for the current cart
/// </summary>
public interface IKlarnaCheckoutSessionService
{
    /// <summary>
    /// Builds the session / create-order body from a cart
    /// </summary>
    /// <param name="customer">Customer</param>
    /// <param name="storeId">Store identifier</param>
    /// <param name="cart">Cart; null to load the customer's cart</param>
    /// <param name="orderTotal">nopCommerce's order total (primary currency) when known (ProcessPaymentRequest.OrderTotal)</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the request or an error</returns>
    Task<KlarnaCartRequest> BuildCartRequestAsync(Customer customer, int storeId, IList<ShoppingCartItem> cart = null, decimal? orderTotal = null);

    /// <summary>
    /// Creates the customer's session, or updates the one kept in the customer's generic attributes
    /// </summary>
    /// <returns>A task that represents the asynchronous operation; the task result contains the session or an error</returns>
    Task<KlarnaCheckoutSession> PrepareSessionAsync();
}

/// <summary>
/// Represents the default <see cref="IKlarnaCheckoutSessionService"/>
/// </summary>
public class KlarnaCheckoutSessionService : IKlarnaCheckoutSessionService
{
    #region Fields

    protected readonly IGenericAttributeService _genericAttributeService;
    protected readonly IKlarnaApiClient _klarnaApiClient;
    protected readonly IKlarnaCheckoutLineSourceFactory _lineSourceFactory;
    protected readonly IKlarnaCredentialsProvider _credentialsProvider;
    protected readonly IKlarnaCustomerDataBuilder _customerDataBuilder;
    protected readonly ILocalizationService _localizationService;
    protected readonly ILogger _logger;
    protected readonly IShoppingCartService _shoppingCartService;
    protected readonly IStoreContext _storeContext;
    protected readonly IWorkContext _workContext;

    #endregion

    #region Ctor

    public KlarnaCheckoutSessionService(IGenericAttributeService genericAttributeService,
        IKlarnaApiClient klarnaApiClient,
        IKlarnaCheckoutLineSourceFactory lineSourceFactory,
        IKlarnaCredentialsProvider credentialsProvider,
        IKlarnaCustomerDataBuilder customerDataBuilder,
        ILocalizationService localizationService,
        ILogger logger,
        IShoppingCartService shoppingCartService,
        IStoreContext storeContext,
        IWorkContext workContext)
    {
        _genericAttributeService = genericAttributeService;
        _klarnaApiClient = klarnaApiClient;
        _lineSourceFactory = lineSourceFactory;
        _credentialsProvider = credentialsProvider;
        _customerDataBuilder = customerDataBuilder;
        _localizationService = localizationService;
        _logger = logger;
        _shoppingCartService = shoppingCartService;
        _storeContext = storeContext;
        _workContext = workContext;
    }

    #endregion

    #region Utilities

    protected virtual Task<string> ResourceAsync(KlarnaCheckoutMessage message) =>
        _localizationService.GetCheckoutTextAsync(message);

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaCartRequest> BuildCartRequestAsync(Customer customer, int storeId, IList<ShoppingCartItem> cart = null,
        decimal? orderTotal = null)
    {
        var result = new KlarnaCartRequest();
        result.Credentials = await _credentialsProvider.GetCredentialsAsync(storeId);
        if (result.Credentials is null)
        {
            result.Error = await ResourceAsync(KlarnaCheckoutMessage.NotConfigured);
            return result;
        }

        cart ??= await _shoppingCartService.GetShoppingCartAsync(customer, ShoppingCartType.ShoppingCart, storeId);
        var source = await _lineSourceFactory.FromCartAsync(cart, customer);
        if (source is null)
        {
            result.Error = await ResourceAsync(KlarnaCheckoutMessage.EmptyCart);
            return result;
        }

        if (orderTotal.HasValue)
            source.OrderTotal = orderTotal.Value;

        if (!KlarnaCheckoutRegions.IsServed(result.Credentials.Region, source.PurchaseCountry, source.CurrencyCode))
        {
            result.Error = await ResourceAsync(KlarnaCheckoutMessage.NotAvailable);
            return result;
        }

        result.Lines = KlarnaOrderLineBuilder.Build(source, await _lineSourceFactory.GetLineNamesAsync());
        var violation = KlarnaLineRules.Validate(result.Lines);
        if (violation is not null)
        {
            await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: the order lines of the cart break Klarna's rules ({violation})", customer: customer);
            result.Error = await ResourceAsync(KlarnaCheckoutMessage.LinesInvalid);
            return result;
        }

        result.Customer = await _customerDataBuilder.BuildAsync(customer, await _shoppingCartService.ShoppingCartRequiresShippingAsync(cart));

        var language = await _workContext.GetWorkingLanguageAsync();
        result.Request = new KlarnaSessionRequest
        {
            PurchaseCountry = source.PurchaseCountry.ToUpperInvariant(),
            PurchaseCurrency = result.Lines.CurrencyCode,
            Locale = KlarnaCheckoutRegions.GetLocale(language?.LanguageCulture, source.PurchaseCountry),
            OrderAmount = result.Lines.OrderAmount,
            OrderTaxAmount = result.Lines.OrderTaxAmount,
            OrderLines = result.Lines.Lines,
            Intent = "buy"
        };

        return result;
    }

    /// <inheritdoc />
    public virtual async Task<KlarnaCheckoutSession> PrepareSessionAsync()
    {
        var customer = await _workContext.GetCurrentCustomerAsync();
        var store = await _storeContext.GetCurrentStoreAsync();
        var session = new KlarnaCheckoutSession();

        var cartRequest = await BuildCartRequestAsync(customer, store.Id);
        if (cartRequest.Error is not null)
        {
            session.Error = cartRequest.Error;
            return session;
        }

        session.Request = cartRequest.Request;
        session.Customer = cartRequest.Customer;
        var sessionId = await _genericAttributeService.GetAttributeAsync<string>(customer, KlarnaDefaults.Checkout.SessionIdAttribute, store.Id);
        try
        {
            KlarnaSession klarnaSession = null;
            if (!string.IsNullOrEmpty(sessionId))
            {
                try
                {
                    // the session stays open 48 hours: update it with the current cart, then read its token and categories
                    await _klarnaApiClient.UpdateSessionAsync(cartRequest.Credentials, sessionId, cartRequest.Request);
                    klarnaSession = await _klarnaApiClient.GetSessionAsync(cartRequest.Credentials, sessionId);
                    klarnaSession.SessionId ??= sessionId;
                    if (string.Equals(klarnaSession.Status, "complete", StringComparison.OrdinalIgnoreCase))
                        klarnaSession = null;
                }
                catch (KlarnaApiException exception) when (exception.StatusCode is 400 or 403 or 404 or 409)
                {
                    // expired, completed or from another region: start a new one
                    klarnaSession = null;
                }
            }

            klarnaSession ??= await _klarnaApiClient.CreateSessionAsync(cartRequest.Credentials, cartRequest.Request);
            if (klarnaSession.SessionId != sessionId)
                await _genericAttributeService.SaveAttributeAsync(customer, KlarnaDefaults.Checkout.SessionIdAttribute, klarnaSession.SessionId, store.Id);

            session.SessionId = klarnaSession.SessionId;
            session.ClientToken = klarnaSession.ClientToken;
            session.Categories = klarnaSession.PaymentMethodCategories ?? new List<KlarnaPaymentMethodCategory>();
            if (session.Categories.Count == 0)
                session.Error = await ResourceAsync(KlarnaCheckoutMessage.NoCategories);
        }
        catch (Exception exception)
        {
            await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: the Klarna Payments session could not be prepared ({exception.Message})", exception, customer);
            session.Error = await ResourceAsync(KlarnaCheckoutMessage.SessionFailed);
        }

        return session;
    }

    #endregion
}
