using Nop.Core.Domain.Catalog;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Directory;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Services.Catalog;
using Nop.Services.Common;
using Nop.Services.Customers;
using Nop.Services.Directory;
using Nop.Services.Localization;
using Nop.Services.Orders;
using Nop.Services.Payments;
using Nop.Services.Tax;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Reads a nopCommerce cart, with the totals nopCommerce computes for it, into the input of the line builder: the one
/// source of the Klarna lines. The session, the authorization (the session's lines) and the created order are all built
/// from the customer's cart by <see cref="IKlarnaCheckoutSessionService.BuildCartRequestAsync"/>, so they cannot differ
/// in their rules (when the cart itself changed after the authorization, Klarna refuses the order and the customer
/// authorizes again)
/// </summary>
public interface IKlarnaCheckoutLineSourceFactory
{
    /// <summary>
    /// Reads a cart the way nopCommerce will turn it into an order
    /// </summary>
    /// <param name="cart">Shopping cart</param>
    /// <param name="customer">Customer</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the source, null for an empty cart</returns>
    Task<KlarnaOrderLineSource> FromCartAsync(IList<ShoppingCartItem> cart, Customer customer);

    /// <summary>
    /// Gets the localized names of the lines that are not products
    /// </summary>
    /// <returns>A task that represents the asynchronous operation; the task result contains the names</returns>
    Task<KlarnaLineNames> GetLineNamesAsync();
}

/// <summary>
/// Represents the default <see cref="IKlarnaCheckoutLineSourceFactory"/>
/// </summary>
public class KlarnaCheckoutLineSourceFactory : IKlarnaCheckoutLineSourceFactory
{
    #region Fields

    protected readonly CurrencySettings _currencySettings;
    protected readonly ICountryService _countryService;
    protected readonly ICurrencyService _currencyService;
    protected readonly ICustomerService _customerService;
    protected readonly ILocalizationService _localizationService;
    protected readonly IOrderTotalCalculationService _orderTotalCalculationService;
    protected readonly IPaymentService _paymentService;
    protected readonly IProductAttributeFormatter _productAttributeFormatter;
    protected readonly IProductService _productService;
    protected readonly IShoppingCartService _shoppingCartService;
    protected readonly ITaxService _taxService;
    protected readonly Nop.Core.IWorkContext _workContext;

    #endregion

    #region Ctor

    public KlarnaCheckoutLineSourceFactory(CurrencySettings currencySettings,
        ICountryService countryService,
        ICurrencyService currencyService,
        ICustomerService customerService,
        ILocalizationService localizationService,
        IOrderTotalCalculationService orderTotalCalculationService,
        IPaymentService paymentService,
        IProductAttributeFormatter productAttributeFormatter,
        IProductService productService,
        IShoppingCartService shoppingCartService,
        ITaxService taxService,
        Nop.Core.IWorkContext workContext)
    {
        _currencySettings = currencySettings;
        _countryService = countryService;
        _currencyService = currencyService;
        _customerService = customerService;
        _localizationService = localizationService;
        _orderTotalCalculationService = orderTotalCalculationService;
        _paymentService = paymentService;
        _productAttributeFormatter = productAttributeFormatter;
        _productService = productService;
        _shoppingCartService = shoppingCartService;
        _taxService = taxService;
        _workContext = workContext;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Gets the tax rate (percent) implied by amounts including and excluding tax, snapped to one of the order's rates
    /// </summary>
    /// <param name="inclTax">Amount including tax</param>
    /// <param name="exclTax">Amount excluding tax</param>
    /// <param name="knownRates">The order's tax rates</param>
    /// <returns>Tax rate in percent</returns>
    public static decimal ImpliedTaxRate(decimal inclTax, decimal exclTax, IEnumerable<decimal> knownRates)
    {
        if (exclTax <= 0 || inclTax <= exclTax)
            return 0m;

        var rate = (inclTax / exclTax - 1m) * 100m;
        var nearest = knownRates?.Where(known => known > 0).OrderBy(known => Math.Abs(known - rate)).Cast<decimal?>().FirstOrDefault();
        if (nearest.HasValue && Math.Abs(nearest.Value - rate) <= Math.Max(0.2m, rate * 0.02m))
            return nearest.Value;

        return Math.Round(rate, 2, MidpointRounding.AwayFromZero);
    }

    protected virtual async Task<string> GetCountryCodeAsync(Nop.Core.Domain.Common.Address address)
    {
        if (address?.CountryId is not int countryId || countryId == 0)
            return null;

        return (await _countryService.GetCountryByIdAsync(countryId))?.TwoLetterIsoCode;
    }

    protected virtual async Task<KlarnaItemSource> ItemAsync(Product product, int productId, int quantity, string attributeDescription)
    {
        //the customer reads the line in Klarna's widget, e-mails and app: the product's name in the customer's language
        //(nopCommerce's localized value for the working language, the product's own name when it has none)
        var name = product is null ? null : await _localizationService.GetLocalizedAsync(product, p => p.Name);

        return new KlarnaItemSource
        {
            Name = string.IsNullOrEmpty(name) ? product?.Name : name,
            Sku = product?.Sku,
            ProductId = productId,
            Quantity = quantity,
            IsDigital = product is not null && !product.IsShipEnabled,
            AttributeDescription = attributeDescription
        };
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual Task<KlarnaLineNames> GetLineNamesAsync() => KlarnaLineNames.LoadAsync(key => _localizationService.GetResourceAsync(key));

    /// <inheritdoc />
    public virtual async Task<KlarnaOrderLineSource> FromCartAsync(IList<ShoppingCartItem> cart, Customer customer)
    {
        if (cart is null || cart.Count == 0)
            return null;

        var names = await GetLineNamesAsync();
        var currency = await _workContext.GetWorkingCurrencyAsync();
        var primary = await _currencyService.GetCurrencyByIdAsync(_currencySettings.PrimaryStoreCurrencyId);
        var rate = currency is not null && primary is not null && primary.Rate > 0 ? currency.Rate / primary.Rate : 1m;

        var source = new KlarnaOrderLineSource
        {
            CurrencyCode = currency?.CurrencyCode ?? primary?.CurrencyCode,
            CurrencyRate = rate <= 0 ? 1m : rate,
            PurchaseCountry = await GetCountryCodeAsync(await _customerService.GetCustomerBillingAddressAsync(customer))
        };

        // products, the way OrderProcessingService saves them as order items
        var itemsInclTax = 0m;
        var itemsExclTax = 0m;
        foreach (var cartItem in cart)
        {
            var product = await _productService.GetProductByIdAsync(cartItem.ProductId);
            var (unitPrice, _, _) = await _shoppingCartService.GetUnitPriceAsync(cartItem, false);
            var (subTotal, _, _, _) = await _shoppingCartService.GetSubTotalAsync(cartItem, true);
            var (unitInclTax, taxRate) = await _taxService.GetProductPriceAsync(product, unitPrice, true, customer);
            var (unitExclTax, _) = await _taxService.GetProductPriceAsync(product, unitPrice, false, customer);
            var (totalInclTax, _) = await _taxService.GetProductPriceAsync(product, subTotal, true, customer);
            var (totalExclTax, _) = await _taxService.GetProductPriceAsync(product, subTotal, false, customer);
            var attributes = product is null ? null : await _productAttributeFormatter.FormatAttributesAsync(product, cartItem.AttributesXml);

            var item = await ItemAsync(product, cartItem.ProductId, cartItem.Quantity, attributes);
            item.UnitPriceInclTax = unitInclTax;
            item.UnitPriceExclTax = unitExclTax;
            item.TotalInclTax = totalInclTax;
            item.TotalExclTax = totalExclTax;
            item.TaxRate = taxRate;
            source.Items.Add(item);
            itemsInclTax += totalInclTax;
            itemsExclTax += totalExclTax;
        }

        // subtotal: checkout attributes are what it holds beyond the products; then the subtotal discount
        var subTotals = await _orderTotalCalculationService.GetShoppingCartSubTotalsAsync(cart);
        var attributesInclTax = subTotals.subTotalWithoutDiscountInclTax - itemsInclTax;
        var attributesExclTax = subTotals.subTotalWithoutDiscountExclTax - itemsExclTax;
        if (Math.Abs(attributesInclTax) >= 0.005m || Math.Abs(attributesExclTax) >= 0.005m)
        {
            source.Charges.Add(new KlarnaChargeSource
            {
                Type = KlarnaOrderLineType.Surcharge,
                Name = names.CheckoutAttributes,
                Reference = "checkout-attributes",
                AmountInclTax = attributesInclTax,
                AmountExclTax = attributesExclTax,
                TaxRate = ImpliedTaxRate(attributesInclTax, attributesExclTax, subTotals.taxRates?.Keys)
            });
        }

        source.SubTotalDiscountInclTax = subTotals.discountAmountInclTax;
        source.SubTotalDiscountExclTax = subTotals.discountAmountExclTax;

        // shipping
        var shipping = await _orderTotalCalculationService.GetShoppingCartShippingTotalsAsync(cart);
        if (shipping.shippingTotalInclTax is decimal shippingInclTax)
        {
            source.Charges.Add(new KlarnaChargeSource
            {
                Type = KlarnaOrderLineType.ShippingFee,
                Name = names.Shipping,
                Reference = "shipping",
                AmountInclTax = shippingInclTax,
                AmountExclTax = shipping.shippingTotaExclTax ?? shippingInclTax,
                TaxRate = shipping.taxRate
            });
        }

        // payment method additional fee
        var fee = await _paymentService.GetAdditionalHandlingFeeAsync(cart, KlarnaDefaults.SystemName);
        if (fee != 0)
        {
            var (feeInclTax, feeTaxRate) = await _taxService.GetPaymentMethodAdditionalFeeAsync(fee, true, customer);
            var (feeExclTax, _) = await _taxService.GetPaymentMethodAdditionalFeeAsync(fee, false, customer);
            source.Charges.Add(new KlarnaChargeSource
            {
                Type = KlarnaOrderLineType.Surcharge,
                Name = names.PaymentFee,
                Reference = "payment-fee",
                AmountInclTax = feeInclTax,
                AmountExclTax = feeExclTax,
                TaxRate = feeTaxRate
            });
        }

        var (taxTotal, _) = await _orderTotalCalculationService.GetTaxTotalAsync(cart);
        source.OrderTax = taxTotal;

        // total, order discount, gift cards, reward points
        var total = await _orderTotalCalculationService.GetShoppingCartTotalAsync(cart);
        source.OrderTotal = total.shoppingCartTotal ?? 0m;
        source.OrderDiscount = total.discountAmount;
        foreach (var giftCard in total.appliedGiftCards ?? new List<AppliedGiftCard>())
        {
            source.GiftCards.Add(new KlarnaCreditSource
            {
                Name = names.GiftCard,
                Reference = $"gift-card-{giftCard.GiftCard?.Id}",
                Amount = giftCard.AmountCanBeUsed
            });
        }

        source.RewardPointsAmount = total.redeemedRewardPointsAmount;
        return source;
    }

    #endregion
}
