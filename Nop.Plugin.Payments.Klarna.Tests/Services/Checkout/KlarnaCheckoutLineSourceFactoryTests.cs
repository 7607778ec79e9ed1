using Moq;
using Nop.Core;
using Nop.Core.Domain.Catalog;
using Nop.Core.Domain.Common;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Directory;
using Nop.Core.Domain.Discounts;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Catalog;
using Nop.Services.Common;
using Nop.Services.Customers;
using Nop.Services.Directory;
using Nop.Services.Localization;
using Nop.Services.Orders;
using Nop.Services.Payments;
using Nop.Services.Tax;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

[TestFixture]
public class KlarnaCheckoutLineSourceFactoryTests
{
    private Mock<ICountryService> _countryService;
    private Mock<ICurrencyService> _currencyService;
    private Mock<ICustomerService> _customerService;
    private Mock<ILocalizationService> _localizationService;
    private Mock<IOrderTotalCalculationService> _totals;
    private Mock<IPaymentService> _paymentService;
    private Mock<IProductAttributeFormatter> _attributeFormatter;
    private Mock<IProductService> _productService;
    private Mock<IShoppingCartService> _shoppingCartService;
    private Mock<ITaxService> _taxService;
    private Mock<IWorkContext> _workContext;
    private KlarnaCheckoutLineSourceFactory _factory;

    [SetUp]
    public void SetUp()
    {
        _countryService = new(); _currencyService = new(); _customerService = new();
        _localizationService = new(); _totals = new(); _paymentService = new(); _attributeFormatter = new();
        _productService = new(); _shoppingCartService = new(); _taxService = new(); _workContext = new();

        _localizationService.Setup(l => l.GetResourceAsync(It.IsAny<string>())).ReturnsAsync((string key) => EnglishResources.Get(key));
        _customerService.Setup(c => c.GetCustomerBillingAddressAsync(It.IsAny<Customer>())).ReturnsAsync(new Address { CountryId = 3 });
        _countryService.Setup(c => c.GetCountryByIdAsync(3)).ReturnsAsync(new Country { TwoLetterIsoCode = "SE" });
        _productService.Setup(p => p.GetProductByIdAsync(1)).ReturnsAsync(new Product { Id = 1, Name = "Lamp", Sku = "LAMP", IsShipEnabled = true });
        _productService.Setup(p => p.GetProductByIdAsync(2)).ReturnsAsync(new Product { Id = 2, Name = "E-book", Sku = null, IsShipEnabled = false });

        _factory = new KlarnaCheckoutLineSourceFactory(new CurrencySettings { PrimaryStoreCurrencyId = 1 }, _countryService.Object,
            _currencyService.Object, _customerService.Object, _localizationService.Object, _totals.Object, _paymentService.Object,
            _attributeFormatter.Object, _productService.Object, _shoppingCartService.Object, _taxService.Object, _workContext.Object);
    }

    private (List<ShoppingCartItem> Cart, Customer Customer) ArrangeOneLampCart()
    {
        // one lamp 100.00 excl. 25 % (125.00), 2 pieces, 10 % item discount; EUR primary, SEK working at 11.2
        var customer = new Customer { Id = 5 };
        var cartItem = new ShoppingCartItem { Id = 1, ProductId = 1, Quantity = 2, AttributesXml = "<x/>" };
        var cart = new List<ShoppingCartItem> { cartItem };
        _workContext.Setup(w => w.GetWorkingCurrencyAsync()).ReturnsAsync(new Currency { CurrencyCode = "SEK", Rate = 11.2m });
        _currencyService.Setup(c => c.GetCurrencyByIdAsync(1)).ReturnsAsync(new Currency { CurrencyCode = "EUR", Rate = 1m });
        _shoppingCartService.Setup(s => s.GetUnitPriceAsync(cartItem, false)).ReturnsAsync((100m, 0m, new List<Discount>()));
        _shoppingCartService.Setup(s => s.GetSubTotalAsync(cartItem, true)).ReturnsAsync((180m, 20m, new List<Discount>(), (int?)null));
        _taxService.Setup(t => t.GetProductPriceAsync(It.IsAny<Product>(), It.IsAny<decimal>(), true, customer)).ReturnsAsync((Product _, decimal price, bool _, Customer _) => (price * 1.25m, 25m));
        _taxService.Setup(t => t.GetProductPriceAsync(It.IsAny<Product>(), It.IsAny<decimal>(), false, customer)).ReturnsAsync((Product _, decimal price, bool _, Customer _) => (price, 25m));
        _attributeFormatter.Setup(f => f.FormatAttributesAsync(It.IsAny<Product>(), "<x/>")).ReturnsAsync("Color: Blue");
        _totals.Setup(t => t.GetShoppingCartSubTotalsAsync(cart)).ReturnsAsync((0m, 0m, new List<Discount>(), 225m, 180m, 225m, 180m, new SortedDictionary<decimal, decimal> { [25m] = 45m }));
        _totals.Setup(t => t.GetShoppingCartShippingTotalsAsync(cart)).ReturnsAsync(((decimal?)6.25m, (decimal?)5m, 25m, new List<Discount>()));
        _totals.Setup(t => t.GetTaxTotalAsync(cart, true)).ReturnsAsync((46.25m, new SortedDictionary<decimal, decimal>()));
        _totals.Setup(t => t.GetShoppingCartTotalAsync(cart, null, true)).ReturnsAsync(((decimal?)231.25m, 0m, new List<Discount>(), new List<AppliedGiftCard>(), 0, 0m));

        return (cart, customer);
    }

    [Test]
    public async Task FromCartAsync_names_a_product_in_the_customers_language_else_by_its_own_name()
    {
        var (cart, customer) = ArrangeOneLampCart();
        _localizationService.Setup(l => l.GetLocalizedAsync(It.Is<Product>(p => p.Id == 1), It.IsAny<System.Linq.Expressions.Expression<Func<Product, string>>>(), null, true, true))
            .ReturnsAsync("Lampe");

        var localized = KlarnaOrderLineBuilder.Build(await _factory.FromCartAsync(cart, customer), EnglishResources.LineNames);
        _localizationService.Setup(l => l.GetLocalizedAsync(It.IsAny<Product>(), It.IsAny<System.Linq.Expressions.Expression<Func<Product, string>>>(), null, true, true))
            .ReturnsAsync(string.Empty);
        var untranslated = KlarnaOrderLineBuilder.Build(await _factory.FromCartAsync(cart, customer), EnglishResources.LineNames);

        Assert.That(localized.Lines[0].Name, Is.EqualTo("Lampe (Color: Blue)"));
        Assert.That(untranslated.Lines[0].Name, Is.EqualTo("Lamp (Color: Blue)"));
    }

    [Test]
    public async Task FromCartAsync_reads_the_totals_nopcommerce_computes_for_the_cart()
    {
        // Arrange: one lamp 100.00 excl. 25 % (125.00), 2 pieces, 10 % item discount; EUR primary, SEK working at 11.2
        var (cart, customer) = ArrangeOneLampCart();

        // Act
        var source = await _factory.FromCartAsync(cart, customer);
        var lines = KlarnaOrderLineBuilder.Build(source, EnglishResources.LineNames);

        // Assert
        Assert.That(source.PurchaseCountry, Is.EqualTo("SE"));
        Assert.That(source.CurrencyCode, Is.EqualTo("SEK"));
        Assert.That(source.CurrencyRate, Is.EqualTo(11.2m));
        Assert.That(KlarnaLineRules.Validate(lines), Is.Null);
        Assert.That(lines.OrderAmount, Is.EqualTo(259000)); // 231.25 × 11.2
        Assert.That(lines.Lines[0].UnitPrice, Is.EqualTo(140000));
        Assert.That(lines.Lines[0].TotalDiscountAmount, Is.EqualTo(28000));
        Assert.That(lines.Lines[0].Name, Is.EqualTo("Lamp (Color: Blue)"));
        Assert.That(lines.Lines[1].Type, Is.EqualTo(KlarnaOrderLineType.ShippingFee));
        Assert.That(lines.RoundingAdjustment, Is.Zero);
    }

    [TestCase(119.0, 100.0, 19.0)]
    [TestCase(107.01, 100.0, 7.0)]
    [TestCase(100.0, 100.0, 0.0)]
    public void ImpliedTaxRate_snaps_to_the_orders_rates(double incl, double excl, double expected)
    {
        Assert.That(KlarnaCheckoutLineSourceFactory.ImpliedTaxRate((decimal)incl, (decimal)excl, new[] { 7m, 19m }), Is.EqualTo((decimal)expected));
    }

    [Test]
    public async Task FromCartAsync_reads_checkout_attributes_the_payment_fee_gift_cards_and_reward_points_into_valid_lines()
    {
        // Arrange: 2 lamps at 125.00 incl. 25 % (10.00 discount), an e-book 50.00 at 6 %, checkout attributes 12.50 at 25 %,
        // shipping 49.00 at 25 %, fee 10.00 at 25 %, gift card 30.00, reward points 20.00, SEK at rate 11.2
        var customer = new Customer { Id = 5 };
        var lamp = new ShoppingCartItem { Id = 1, ProductId = 1, Quantity = 2, AttributesXml = "<lamp/>" };
        var book = new ShoppingCartItem { Id = 2, ProductId = 2, Quantity = 1 };
        var cart = new List<ShoppingCartItem> { lamp, book };
        _workContext.Setup(w => w.GetWorkingCurrencyAsync()).ReturnsAsync(new Currency { CurrencyCode = "SEK", Rate = 11.2m });
        _currencyService.Setup(c => c.GetCurrencyByIdAsync(1)).ReturnsAsync(new Currency { CurrencyCode = "EUR", Rate = 1m });
        _shoppingCartService.Setup(s => s.GetUnitPriceAsync(lamp, false)).ReturnsAsync((100m, 0m, new List<Discount>()));
        _shoppingCartService.Setup(s => s.GetSubTotalAsync(lamp, true)).ReturnsAsync((192m, 8m, new List<Discount>(), (int?)null));
        _shoppingCartService.Setup(s => s.GetUnitPriceAsync(book, false)).ReturnsAsync((47.17m, 0m, new List<Discount>()));
        _shoppingCartService.Setup(s => s.GetSubTotalAsync(book, true)).ReturnsAsync((47.17m, 0m, new List<Discount>(), (int?)null));
        _taxService.Setup(t => t.GetProductPriceAsync(It.Is<Product>(p => p.Id == 1), It.IsAny<decimal>(), true, customer)).ReturnsAsync((Product _, decimal price, bool _, Customer _) => (price * 1.25m, 25m));
        _taxService.Setup(t => t.GetProductPriceAsync(It.Is<Product>(p => p.Id == 1), It.IsAny<decimal>(), false, customer)).ReturnsAsync((Product _, decimal price, bool _, Customer _) => (price, 25m));
        _taxService.Setup(t => t.GetProductPriceAsync(It.Is<Product>(p => p.Id == 2), It.IsAny<decimal>(), true, customer)).ReturnsAsync((Product _, decimal price, bool _, Customer _) => (Math.Round(price * 1.06m, 2), 6m));
        _taxService.Setup(t => t.GetProductPriceAsync(It.Is<Product>(p => p.Id == 2), It.IsAny<decimal>(), false, customer)).ReturnsAsync((Product _, decimal price, bool _, Customer _) => (price, 6m));
        _attributeFormatter.Setup(f => f.FormatAttributesAsync(It.IsAny<Product>(), "<lamp/>")).ReturnsAsync("Color: Blue");
        _totals.Setup(t => t.GetShoppingCartSubTotalsAsync(cart)).ReturnsAsync((0m, 0m, new List<Discount>(), 302.5m, 249.17m, 302.5m, 249.17m,
            new SortedDictionary<decimal, decimal> { [6m] = 2.83m, [25m] = 50.5m }));
        _totals.Setup(t => t.GetShoppingCartShippingTotalsAsync(cart)).ReturnsAsync(((decimal?)49m, (decimal?)39.2m, 25m, new List<Discount>()));
        _paymentService.Setup(p => p.GetAdditionalHandlingFeeAsync(cart, KlarnaDefaults.SystemName)).ReturnsAsync(8m);
        _taxService.Setup(t => t.GetPaymentMethodAdditionalFeeAsync(8m, true, customer)).ReturnsAsync((10m, 25m));
        _taxService.Setup(t => t.GetPaymentMethodAdditionalFeeAsync(8m, false, customer)).ReturnsAsync((8m, 25m));
        _totals.Setup(t => t.GetTaxTotalAsync(cart, true)).ReturnsAsync((65.13m, new SortedDictionary<decimal, decimal>()));
        _totals.Setup(t => t.GetShoppingCartTotalAsync(cart, null, true)).ReturnsAsync(((decimal?)311.5m, 0m, new List<Discount>(),
            new List<AppliedGiftCard> { new() { AmountCanBeUsed = 30m, GiftCard = new GiftCard { Id = 8 } } }, 0, 20m));

        // Act
        var lines = KlarnaOrderLineBuilder.Build(await _factory.FromCartAsync(cart, customer), EnglishResources.LineNames);

        // Assert
        Assert.That(KlarnaLineRules.Validate(lines), Is.Null);
        Assert.That(lines.OrderAmount, Is.EqualTo(348880)); // 311.50 × 11.2
        Assert.That(lines.Lines.Select(l => l.Type), Is.EqualTo(new[] { "physical", "digital", "surcharge", "shipping_fee", "surcharge", "gift_card", "store_credit" }));
        Assert.That(lines.Lines.Select(l => l.Reference), Is.EqualTo(new[] { "LAMP", "product-2", "checkout-attributes", "shipping", "payment-fee", "gift-card-8", "reward-points" }));
        Assert.That(lines.Lines[0].Name, Is.EqualTo("Lamp (Color: Blue)"));
        Assert.That((lines.Lines[0].TaxRate, lines.Lines[1].TaxRate, lines.Lines[2].TaxRate), Is.EqualTo((2500, 600, 2500)));
        Assert.That(lines.Lines[2].TotalAmount, Is.EqualTo(14000)); // 12.50 × 11.2
        Assert.That(lines.Lines[5].TotalAmount, Is.EqualTo(-33600));
        Assert.That(lines.Lines[6].TotalAmount, Is.EqualTo(-22400));
    }

    [Test]
    public void FromCartAsync_yields_valid_lines_summing_to_nopcommerces_cart_total_for_random_carts()
    {
        CsCheck.Check.Sample(RandomOrders.Order, generated =>
        {
            // Arrange: nopCommerce's services answer for the generated cart (prices in the primary currency)
            var customer = new Customer { Id = 5 };
            var cart = generated.Items.Select((item, n) => new ShoppingCartItem { Id = n + 1, ProductId = 100 + n, Quantity = item.Quantity }).ToList();
            var products = new Mock<IProductService>();
            var shoppingCart = new Mock<IShoppingCartService>();
            var tax = new Mock<ITaxService>();
            for (var n = 0; n < cart.Count; n++)
            {
                var item = generated.Items[n];
                var product = new Product { Id = 100 + n, Name = item.Name, Sku = item.Sku, IsShipEnabled = !item.IsDigital };
                products.Setup(p => p.GetProductByIdAsync(product.Id)).ReturnsAsync(product);
                shoppingCart.Setup(s => s.GetUnitPriceAsync(cart[n], false)).ReturnsAsync((item.UnitPriceExclTax, 0m, new List<Discount>()));
                shoppingCart.Setup(s => s.GetSubTotalAsync(cart[n], true)).ReturnsAsync((item.TotalExclTax, item.UnitPriceExclTax * item.Quantity - item.TotalExclTax, new List<Discount>(), (int?)null));
                tax.Setup(t => t.GetProductPriceAsync(product, item.UnitPriceExclTax, true, customer)).ReturnsAsync((item.UnitPriceInclTax, item.TaxRate));
                tax.Setup(t => t.GetProductPriceAsync(product, item.UnitPriceExclTax, false, customer)).ReturnsAsync((item.UnitPriceExclTax, item.TaxRate));
                tax.Setup(t => t.GetProductPriceAsync(product, item.TotalExclTax, true, customer)).ReturnsAsync((item.TotalInclTax, item.TaxRate));
                tax.Setup(t => t.GetProductPriceAsync(product, item.TotalExclTax, false, customer)).ReturnsAsync((item.TotalExclTax, item.TaxRate));
            }

            var shipping = generated.Charges.FirstOrDefault(c => c.Type == KlarnaOrderLineType.ShippingFee);
            var fee = generated.Charges.FirstOrDefault(c => c.Type == KlarnaOrderLineType.Surcharge);
            var totals = new Mock<IOrderTotalCalculationService>();
            var rates = new SortedDictionary<decimal, decimal>(generated.Items.GroupBy(i => i.TaxRate).ToDictionary(g => g.Key, g => 1m));
            totals.Setup(t => t.GetShoppingCartSubTotalsAsync(cart)).ReturnsAsync((generated.SubTotalDiscountInclTax, generated.SubTotalDiscountExclTax,
                new List<Discount>(), generated.Items.Sum(i => i.TotalInclTax), generated.Items.Sum(i => i.TotalExclTax),
                generated.Items.Sum(i => i.TotalInclTax) - generated.SubTotalDiscountInclTax, generated.Items.Sum(i => i.TotalExclTax) - generated.SubTotalDiscountExclTax, rates));
            totals.Setup(t => t.GetShoppingCartShippingTotalsAsync(cart)).ReturnsAsync((shipping?.AmountInclTax, shipping?.AmountExclTax, shipping?.TaxRate ?? 0m, new List<Discount>()));
            totals.Setup(t => t.GetTaxTotalAsync(cart, true)).ReturnsAsync((generated.OrderTax, rates));
            totals.Setup(t => t.GetShoppingCartTotalAsync(cart, null, true)).ReturnsAsync(((decimal?)generated.OrderTotal, generated.OrderDiscount, new List<Discount>(),
                generated.GiftCards.Select((g, n) => new AppliedGiftCard { AmountCanBeUsed = g.Amount, GiftCard = new GiftCard { Id = n + 1 } }).ToList(), 0, generated.RewardPointsAmount));
            var payment = new Mock<IPaymentService>();
            payment.Setup(p => p.GetAdditionalHandlingFeeAsync(cart, KlarnaDefaults.SystemName)).ReturnsAsync(fee?.AmountExclTax ?? 0m);
            if (fee is not null)
            {
                tax.Setup(t => t.GetPaymentMethodAdditionalFeeAsync(fee.AmountExclTax, true, customer)).ReturnsAsync((fee.AmountInclTax, fee.TaxRate));
                tax.Setup(t => t.GetPaymentMethodAdditionalFeeAsync(fee.AmountExclTax, false, customer)).ReturnsAsync((fee.AmountExclTax, fee.TaxRate));
            }

            var workContext = new Mock<IWorkContext>();
            workContext.Setup(w => w.GetWorkingCurrencyAsync()).ReturnsAsync(new Currency { CurrencyCode = generated.CurrencyCode, Rate = generated.CurrencyRate });
            var currencies = new Mock<ICurrencyService>();
            currencies.Setup(c => c.GetCurrencyByIdAsync(1)).ReturnsAsync(new Currency { CurrencyCode = "EUR", Rate = 1m });
            var countries = new Mock<ICountryService>();
            countries.Setup(c => c.GetCountryByIdAsync(3)).ReturnsAsync(new Country { TwoLetterIsoCode = generated.PurchaseCountry });
            var factory = new KlarnaCheckoutLineSourceFactory(new CurrencySettings { PrimaryStoreCurrencyId = 1 }, countries.Object, currencies.Object,
                _customerService.Object, _localizationService.Object, totals.Object, payment.Object, _attributeFormatter.Object, products.Object,
                shoppingCart.Object, tax.Object, workContext.Object);

            // Act
            var lines = KlarnaOrderLineBuilder.Build(factory.FromCartAsync(cart, customer).GetAwaiter().GetResult(), EnglishResources.LineNames);

            // Assert
            var violation = KlarnaLineRules.Validate(lines);
            if (violation is not null)
                throw new Exception(violation);
            if (lines.OrderAmount != KlarnaAmount.ToMinor(generated.OrderTotal * generated.CurrencyRate, generated.CurrencyCode))
                throw new Exception("order amount");
            var bound = lines.Lines.Count * (1 + KlarnaAmount.ToMinor(0.01m * generated.CurrencyRate, generated.CurrencyCode));
            if (Math.Abs(lines.RoundingAdjustment) > bound)
                throw new Exception($"rounding adjustment {lines.RoundingAdjustment} > {bound}");
        }, iter: 40, threads: 1); // Moq builds its setups slowly: 40 random carts keep the test at a few seconds
    }
}
