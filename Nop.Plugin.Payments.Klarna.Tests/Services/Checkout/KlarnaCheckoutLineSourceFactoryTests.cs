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
    private Mock<IAddressService> _addressService;
    private Mock<ICountryService> _countryService;
    private Mock<ICurrencyService> _currencyService;
    private Mock<ICustomerService> _customerService;
    private Mock<IGiftCardService> _giftCardService;
    private Mock<ILocalizationService> _localizationService;
    private Mock<IOrderService> _orderService;
    private Mock<IOrderTotalCalculationService> _totals;
    private Mock<IPaymentService> _paymentService;
    private Mock<IProductAttributeFormatter> _attributeFormatter;
    private Mock<IProductService> _productService;
    private Mock<IRewardPointService> _rewardPointService;
    private Mock<IShoppingCartService> _shoppingCartService;
    private Mock<ITaxService> _taxService;
    private Mock<IWorkContext> _workContext;
    private KlarnaCheckoutLineSourceFactory _factory;

    [SetUp]
    public void SetUp()
    {
        _addressService = new(); _countryService = new(); _currencyService = new(); _customerService = new(); _giftCardService = new();
        _localizationService = new(); _orderService = new(); _totals = new(); _paymentService = new(); _attributeFormatter = new();
        _productService = new(); _rewardPointService = new(); _shoppingCartService = new(); _taxService = new(); _workContext = new();

        _localizationService.Setup(l => l.GetResourceAsync(It.IsAny<string>())).ReturnsAsync((string key) => key);
        _addressService.Setup(a => a.GetAddressByIdAsync(It.IsAny<int>())).ReturnsAsync(new Address { CountryId = 3 });
        _customerService.Setup(c => c.GetCustomerBillingAddressAsync(It.IsAny<Customer>())).ReturnsAsync(new Address { CountryId = 3 });
        _countryService.Setup(c => c.GetCountryByIdAsync(3)).ReturnsAsync(new Country { TwoLetterIsoCode = "SE" });
        _productService.Setup(p => p.GetProductByIdAsync(1)).ReturnsAsync(new Product { Id = 1, Name = "Lamp", Sku = "LAMP", IsShipEnabled = true });
        _productService.Setup(p => p.GetProductByIdAsync(2)).ReturnsAsync(new Product { Id = 2, Name = "E-book", Sku = null, IsShipEnabled = false });

        _factory = new KlarnaCheckoutLineSourceFactory(new CurrencySettings { PrimaryStoreCurrencyId = 1 }, _addressService.Object, _countryService.Object,
            _currencyService.Object, _customerService.Object, _giftCardService.Object, _localizationService.Object, _orderService.Object, _totals.Object,
            _paymentService.Object, _attributeFormatter.Object, _productService.Object, _rewardPointService.Object, _shoppingCartService.Object,
            _taxService.Object, _workContext.Object);
    }

    [Test]
    public async Task FromOrderAsync_reads_items_shipping_fee_gift_cards_and_reward_points_into_valid_lines()
    {
        // Arrange: 2 lamps at 125.00 incl. 25 % (10.00 discount), an e-book 50.00 at 6 %, shipping 49.00 at 25 %, fee 10.00,
        // gift card 30.00, reward points 20.00, SEK at rate 11.2
        var order = new Order
        {
            Id = 9, BillingAddressId = 4, CustomerCurrencyCode = "SEK", CurrencyRate = 11.2m, TaxRates = "6:2.83;   25:57.8;   ",
            OrderSubtotalInclTax = 290m, OrderSubtotalExclTax = 239.17m,
            OrderShippingInclTax = 49m, OrderShippingExclTax = 39.2m,
            PaymentMethodAdditionalFeeInclTax = 10m, PaymentMethodAdditionalFeeExclTax = 8m,
            OrderTax = 62.63m, OrderTotal = 299m, RedeemedRewardPointsEntryId = 77
        };
        _orderService.Setup(o => o.GetOrderItemsAsync(9, null, null, 0)).ReturnsAsync(new List<OrderItem>
        {
            new() { ProductId = 1, Quantity = 2, PriceInclTax = 240m, PriceExclTax = 192m, DiscountAmountInclTax = 10m, DiscountAmountExclTax = 8m, AttributeDescription = "Color: Blue" },
            new() { ProductId = 2, Quantity = 1, PriceInclTax = 50m, PriceExclTax = 47.17m }
        });
        _giftCardService.Setup(g => g.GetGiftCardUsageHistoryAsync(order)).ReturnsAsync(new List<GiftCardUsageHistory> { new() { GiftCardId = 8, UsedValue = 30m } });
        _rewardPointService.Setup(r => r.GetRewardPointsHistoryEntryByIdAsync(77)).ReturnsAsync(new RewardPointsHistory { UsedAmount = 20m });

        // Act
        var source = await _factory.FromOrderAsync(order);
        var lines = KlarnaOrderLineBuilder.Build(source);

        // Assert
        Assert.That(KlarnaOrderLineBuilder.Validate(lines), Is.Null);
        Assert.That(lines.OrderAmount, Is.EqualTo(334880)); // 299.00 × 11.2
        Assert.That(lines.Lines.Select(l => l.Type), Is.EqualTo(new[] { "physical", "digital", "shipping_fee", "surcharge", "gift_card", "store_credit" }));
        Assert.That(lines.Lines[0].Name, Is.EqualTo("Lamp (Color: Blue)"));
        Assert.That(lines.Lines[0].TaxRate, Is.EqualTo(2500));
        Assert.That(lines.Lines[0].TotalDiscountAmount, Is.EqualTo(11200));
        Assert.That(lines.Lines[1].Reference, Is.EqualTo("product-2"));
        Assert.That(lines.Lines[1].TaxRate, Is.EqualTo(600));
        Assert.That(lines.Lines[2].TaxRate, Is.EqualTo(2500));
        Assert.That(lines.Lines[4].TotalAmount, Is.EqualTo(-33600));
        Assert.That(lines.Lines[5].TotalAmount, Is.EqualTo(-22400));
    }

    [Test]
    public async Task FromCartAsync_reads_the_totals_nopcommerce_computes_for_the_cart()
    {
        // Arrange: one lamp 100.00 excl. 25 % (125.00), 2 pieces, 10 % item discount; EUR primary, SEK working at 11.2
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

        // Act
        var source = await _factory.FromCartAsync(cart, customer);
        var lines = KlarnaOrderLineBuilder.Build(source);

        // Assert
        Assert.That(source.PurchaseCountry, Is.EqualTo("SE"));
        Assert.That(source.CurrencyCode, Is.EqualTo("SEK"));
        Assert.That(source.CurrencyRate, Is.EqualTo(11.2m));
        Assert.That(KlarnaOrderLineBuilder.Validate(lines), Is.Null);
        Assert.That(lines.OrderAmount, Is.EqualTo(259000)); // 231.25 × 11.2
        Assert.That(lines.Lines[0].UnitPrice, Is.EqualTo(140000));
        Assert.That(lines.Lines[0].TotalDiscountAmount, Is.EqualTo(28000));
        Assert.That(lines.Lines[0].Name, Is.EqualTo("Lamp (Color: Blue)"));
        Assert.That(lines.Lines[1].Type, Is.EqualTo(KlarnaOrderLineType.ShippingFee));
        Assert.That(lines.RoundingAdjustment, Is.Zero);
    }

    [TestCase("19:10.00;   7:1.5;   ", new[] { 19.0, 7.0 })]
    [TestCase("", new double[0])]
    [TestCase("8.875:0.89;", new[] { 8.875 })]
    public void ParseTaxRates_reads_nopcommerces_format(string text, double[] expected)
    {
        Assert.That(KlarnaCheckoutLineSourceFactory.ParseTaxRates(text), Is.EqualTo(expected.Select(d => (decimal)d)));
    }

    [TestCase(119.0, 100.0, 19.0)]
    [TestCase(107.01, 100.0, 7.0)]
    [TestCase(100.0, 100.0, 0.0)]
    public void ImpliedTaxRate_snaps_to_the_orders_rates(double incl, double excl, double expected)
    {
        Assert.That(KlarnaCheckoutLineSourceFactory.ImpliedTaxRate((decimal)incl, (decimal)excl, new[] { 7m, 19m }), Is.EqualTo((decimal)expected));
    }

    [Test]
    public void FromOrderAsync_yields_valid_lines_summing_to_the_order_total_for_random_placed_orders()
    {
        CsCheck.Check.Sample(RandomOrders.Order, generated =>
        {
            // Arrange: the order nopCommerce would have saved for the generated cart
            var order = new Order
            {
                Id = 9, BillingAddressId = 4, CustomerCurrencyCode = generated.CurrencyCode, CurrencyRate = generated.CurrencyRate,
                TaxRates = string.Join("", generated.Items.Select(i => i.TaxRate).Distinct().Select(r => $"{r.ToString(System.Globalization.CultureInfo.InvariantCulture)}:1;   ")),
                OrderSubtotalInclTax = generated.Items.Sum(i => i.TotalInclTax),
                OrderSubtotalExclTax = generated.Items.Sum(i => i.TotalExclTax),
                OrderSubTotalDiscountInclTax = generated.SubTotalDiscountInclTax,
                OrderSubTotalDiscountExclTax = generated.SubTotalDiscountExclTax,
                OrderShippingInclTax = generated.Charges.Where(c => c.Type == KlarnaOrderLineType.ShippingFee).Sum(c => c.AmountInclTax),
                OrderShippingExclTax = generated.Charges.Where(c => c.Type == KlarnaOrderLineType.ShippingFee).Sum(c => c.AmountExclTax),
                PaymentMethodAdditionalFeeInclTax = generated.Charges.Where(c => c.Type == KlarnaOrderLineType.Surcharge).Sum(c => c.AmountInclTax),
                PaymentMethodAdditionalFeeExclTax = generated.Charges.Where(c => c.Type == KlarnaOrderLineType.Surcharge).Sum(c => c.AmountExclTax),
                OrderDiscount = generated.OrderDiscount,
                OrderTax = generated.OrderTax,
                OrderTotal = generated.OrderTotal,
                RedeemedRewardPointsEntryId = generated.RewardPointsAmount > 0 ? 77 : null
            };
            var orderService = new Mock<IOrderService>();
            orderService.Setup(o => o.GetOrderItemsAsync(9, null, null, 0)).ReturnsAsync(generated.Items.Select(i => new OrderItem
            {
                ProductId = 1, Quantity = i.Quantity, PriceInclTax = i.TotalInclTax, PriceExclTax = i.TotalExclTax,
                DiscountAmountInclTax = i.UnitPriceInclTax * i.Quantity - i.TotalInclTax, DiscountAmountExclTax = i.UnitPriceExclTax * i.Quantity - i.TotalExclTax
            }).ToList());
            var giftCards = new Mock<IGiftCardService>();
            giftCards.Setup(g => g.GetGiftCardUsageHistoryAsync(order)).ReturnsAsync(generated.GiftCards.Select((g, n) => new GiftCardUsageHistory { GiftCardId = n, UsedValue = g.Amount }).ToList());
            var rewardPoints = new Mock<IRewardPointService>();
            rewardPoints.Setup(r => r.GetRewardPointsHistoryEntryByIdAsync(77)).ReturnsAsync(new RewardPointsHistory { UsedAmount = generated.RewardPointsAmount });
            _countryService.Setup(c => c.GetCountryByIdAsync(3)).ReturnsAsync(new Country { TwoLetterIsoCode = generated.PurchaseCountry });
            var factory = new KlarnaCheckoutLineSourceFactory(new CurrencySettings(), _addressService.Object, _countryService.Object, _currencyService.Object,
                _customerService.Object, giftCards.Object, _localizationService.Object, orderService.Object, _totals.Object, _paymentService.Object,
                _attributeFormatter.Object, _productService.Object, rewardPoints.Object, _shoppingCartService.Object, _taxService.Object, _workContext.Object);

            // Act
            var lines = KlarnaOrderLineBuilder.Build(factory.FromOrderAsync(order).GetAwaiter().GetResult());

            // Assert
            var violation = KlarnaOrderLineBuilder.Validate(lines);
            if (violation is not null)
                throw new Exception(violation);
            if (lines.OrderAmount != KlarnaAmount.ToMinor(order.OrderTotal * order.CurrencyRate, order.CustomerCurrencyCode))
                throw new Exception("order amount");
            var bound = lines.Lines.Count * (1 + KlarnaAmount.ToMinor(0.01m * order.CurrencyRate, order.CustomerCurrencyCode));
            if (Math.Abs(lines.RoundingAdjustment) > bound)
                throw new Exception($"rounding adjustment {lines.RoundingAdjustment} > {bound}");
        }, iter: 1000, threads: 1); // the mocks are shared: one thread
    }
}
