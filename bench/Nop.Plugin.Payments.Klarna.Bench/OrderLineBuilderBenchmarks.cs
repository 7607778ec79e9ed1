using BenchmarkDotNet.Attributes;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Checkout;

namespace Nop.Plugin.Payments.Klarna.Bench;

/// <summary>
/// (b) KlarnaOrderLineBuilder.Build for orders of 1, 10, 100 and 1,000 items: time and allocations must grow linearly.
/// "distinct" items each have their own SKU; "same SKU" items share one (one product in several attribute combinations
/// without combination SKUs), which exercises the unique reference suffixes
/// </summary>
[Config(typeof(BenchConfigs.LinesConfig))]
public class OrderLineBuilderBenchmarks
{
    private KlarnaOrderLineSource _source;
    private static readonly IDictionary<string, string> _resources = Nop.Plugin.Payments.Klarna.Localization.KlarnaLocaleResources.GetAll();
    private readonly KlarnaLineNames _names = KlarnaLineNames.LoadAsync(key => Task.FromResult(_resources[key])).GetAwaiter().GetResult();

    [Params(1, 10, 100, 1000)]
    public int Items { get; set; }

    [Params("distinct", "same SKU")]
    public string Skus { get; set; }

    public static KlarnaOrderLineSource CreateSource(int items, bool sameSku)
    {
        var source = new KlarnaOrderLineSource
        {
            CurrencyCode = "EUR",
            CurrencyRate = 1.0825m,
            PurchaseCountry = "DE"
        };
        var total = 0m;
        for (var i = 0; i < items; i++)
        {
            var unit = 10m + i % 17 * 1.37m;
            var quantity = 1 + i % 3;
            var lineTotal = unit * quantity;
            source.Items.Add(new KlarnaItemSource
            {
                Name = $"Product {i}",
                AttributeDescription = i % 2 == 0 ? $"Color: Red<br />Size: {i % 5}" : null,
                Sku = sameSku ? "SKU-SHIRT" : $"SKU-{i}",
                ProductId = i + 1,
                Quantity = quantity,
                UnitPriceInclTax = unit,
                UnitPriceExclTax = Math.Round(unit / 1.19m, 4),
                TotalInclTax = lineTotal,
                TotalExclTax = Math.Round(lineTotal / 1.19m, 4),
                TaxRate = i % 4 == 0 ? 7m : 19m
            });
            total += lineTotal;
        }

        source.Charges.Add(new KlarnaChargeSource { Type = KlarnaOrderLineType.ShippingFee, Name = "Shipping", Reference = "shipping", AmountInclTax = 4.90m, AmountExclTax = 4.12m, TaxRate = 19m });
        source.SubTotalDiscountInclTax = Math.Round(total * 0.05m, 2);
        source.OrderTotal = total + 4.90m - source.SubTotalDiscountInclTax;
        return source;
    }

    [GlobalSetup]
    public void Setup()
    {
        _source = CreateSource(Items, Skus == "same SKU");
        var check = KlarnaLineRules.Validate(KlarnaOrderLineBuilder.Build(_source, _names));
        if (check is not null && !(Items == 1000 && check.StartsWith("order_lines: 1-1000")))
            throw new InvalidOperationException($"invalid lines for {Items} items: {check}");
    }

    [Benchmark]
    public KlarnaOrderLines Build() => KlarnaOrderLineBuilder.Build(_source, _names);
}
