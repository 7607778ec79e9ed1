using CsCheck;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Checkout;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// Generates random nopCommerce orders the way nopCommerce computes them (amounts in the primary store currency):
/// products with quantities, prices with many decimals, item discounts, a subtotal discount, shipping, a payment fee,
/// an order discount, gift cards and reward points, several tax rates, currency rates, 0/2/3-decimal currencies,
/// EU, US and Oceania countries
/// </summary>
public static class RandomOrders
{
    private static readonly (string Country, string Currency, decimal MaxRate)[] _markets =
    {
        ("DE", "EUR", 1m), ("AT", "EUR", 3m), ("SE", "SEK", 12m), ("NO", "NOK", 12m), ("GB", "GBP", 1m), ("CH", "CHF", 2m),
        ("PL", "PLN", 5m), ("US", "USD", 1.5m), ("CA", "CAD", 2m), ("AU", "AUD", 2m), ("NZ", "NZD", 2m), ("JP", "JPY", 170m),
        ("BH", "BHD", 0.5m)
    };

    private static readonly decimal[] _taxRates = { 0m, 5.5m, 7m, 8.875m, 10m, 12.5m, 19m, 20m, 21m, 25m };

    private static Gen<decimal> Dec(decimal min, decimal max) =>
        Gen.Long[decimal.ToInt64(min * 1_000_000m), decimal.ToInt64(max * 1_000_000m)].Select(value => value / 1_000_000m);

    private static decimal Round(decimal value, bool round) => round ? Math.Round(value, 2, MidpointRounding.AwayFromZero) : value;

    /// <summary>
    /// Gets the generator of one random order
    /// </summary>
    public static Gen<KlarnaOrderLineSource> Order { get; } = Create(Gen.Int[0, _markets.Length - 1]);

    /// <summary>
    /// Gets the generator of random orders from Klarna's purchase countries in their own currencies (not JPY, BHD)
    /// </summary>
    public static Gen<KlarnaOrderLineSource> KlarnaMarketOrder { get; } =
        Create(Gen.Int[0, _markets.Length - 1].Where(i => _markets[i].Country is not ("JP" or "BH")));

    /// <summary>
    /// Gets the generator of random orders from the United States
    /// </summary>
    public static Gen<KlarnaOrderLineSource> UnitedStates { get; } = Create(Gen.Const(Array.FindIndex(_markets, m => m.Country == "US")));

    private static Gen<KlarnaOrderLineSource> Create(Gen<int> markets) =>
        from market in markets
        from useRate in Gen.Bool
        from rateFactor in Dec(0.05m, 1m)
        from roundPrices in Gen.Bool
        from itemSeeds in Gen.Select(Gen.Int[1, 12], Dec(0.01m, 250m), Gen.Int[0, _taxRates.Length - 1], Dec(0m, 0.5m), Gen.Bool, Gen.Int[1, 4])
            .Array[1, 6]
        from subTotalDiscountShare in Gen.OneOf(Gen.Const(0m), Dec(0m, 0.3m))
        from shipping in Gen.OneOf(Gen.Const(0m), Dec(0.01m, 40m))
        from shippingRate in Gen.Int[0, _taxRates.Length - 1]
        from fee in Gen.OneOf(Gen.Const(0m), Dec(0.01m, 8m))
        from orderDiscountShare in Gen.OneOf(Gen.Const(0m), Dec(0m, 0.2m))
        from giftCardShares in Dec(0m, 0.4m).Array[0, 2]
        from rewardShare in Gen.OneOf(Gen.Const(0m), Dec(0m, 0.3m))
        from totalDrift in Gen.OneOf(Gen.Const(0m), Gen.Const(0m), Gen.Const(0.01m), Gen.Const(-0.01m))
        select Create(_markets[market], useRate ? Math.Round(rateFactor * _markets[market].MaxRate, 6) : 1m, roundPrices, itemSeeds,
            subTotalDiscountShare, shipping, _taxRates[shippingRate], fee, orderDiscountShare, giftCardShares, rewardShare, totalDrift);

    private static KlarnaOrderLineSource Create((string Country, string Currency, decimal MaxRate) market, decimal rate, bool roundPrices,
        (int Quantity, decimal UnitExcl, int TaxIndex, decimal DiscountShare, bool Digital, int SkuSeed)[] items,
        decimal subTotalDiscountShare, decimal shippingExcl, decimal shippingRate, decimal feeExcl, decimal orderDiscountShare,
        decimal[] giftCardShares, decimal rewardShare, decimal totalDrift)
    {
        var source = new KlarnaOrderLineSource { PurchaseCountry = market.Country, CurrencyCode = market.Currency, CurrencyRate = rate <= 0 ? 1m : rate };
        var tax = 0m;
        var subTotalIncl = 0m;
        var subTotalExcl = 0m;

        foreach (var seed in items)
        {
            var taxRate = _taxRates[seed.TaxIndex];
            var unitExcl = Round(seed.UnitExcl, roundPrices);
            var unitIncl = Round(unitExcl * (1 + taxRate / 100m), roundPrices);
            var discountExcl = Round(unitExcl * seed.Quantity * seed.DiscountShare * (seed.DiscountShare > 0.25m ? 1 : 0), roundPrices);
            var discountIncl = Round(discountExcl * (1 + taxRate / 100m), roundPrices);
            var totalExcl = unitExcl * seed.Quantity - discountExcl;
            var totalIncl = unitIncl * seed.Quantity - discountIncl;
            source.Items.Add(new KlarnaItemSource
            {
                Name = $"Product {seed.SkuSeed}",
                AttributeDescription = seed.Digital ? "Format: <b>PDF</b>" : "Color: Red<br />Size: M",
                Sku = $"SKU-{seed.SkuSeed}",
                ProductId = seed.SkuSeed,
                Quantity = seed.Quantity,
                IsDigital = seed.Digital,
                TaxRate = taxRate,
                UnitPriceExclTax = unitExcl,
                UnitPriceInclTax = unitIncl,
                TotalExclTax = totalExcl,
                TotalInclTax = totalIncl
            });
            tax += totalIncl - totalExcl;
            subTotalIncl += totalIncl;
            subTotalExcl += totalExcl;
        }

        var subTotalDiscountIncl = Round(subTotalIncl * subTotalDiscountShare, true);
        var subTotalDiscountExcl = Round(subTotalExcl * subTotalDiscountShare, true);
        source.SubTotalDiscountInclTax = subTotalDiscountIncl;
        source.SubTotalDiscountExclTax = subTotalDiscountExcl;
        tax -= subTotalDiscountIncl - subTotalDiscountExcl;

        if (shippingExcl > 0)
        {
            var shippingIncl = Round(shippingExcl * (1 + shippingRate / 100m), true);
            source.Charges.Add(new KlarnaChargeSource { Type = KlarnaOrderLineType.ShippingFee, Name = "Ground", Reference = "shipping", AmountExclTax = Round(shippingExcl, true), AmountInclTax = shippingIncl, TaxRate = shippingRate });
            tax += shippingIncl - Round(shippingExcl, true);
        }

        if (feeExcl > 0)
        {
            var feeIncl = Round(feeExcl * 1.19m, true);
            source.Charges.Add(new KlarnaChargeSource { Type = KlarnaOrderLineType.Surcharge, Name = "Payment fee", Reference = "payment-fee", AmountExclTax = Round(feeExcl, true), AmountInclTax = feeIncl, TaxRate = 19m });
            tax += feeIncl - Round(feeExcl, true);
        }

        source.OrderTax = Round(tax, true);

        // nopCommerce: total = subtotal excl. tax with discount + shipping + fee excl. tax + tax - order discount - gift cards - reward points
        var total = subTotalExcl - subTotalDiscountExcl + source.Charges.Sum(c => c.AmountExclTax) + source.OrderTax;
        source.OrderDiscount = Round(total * orderDiscountShare, true);
        total -= source.OrderDiscount;

        var n = 0;
        foreach (var share in giftCardShares)
        {
            var amount = Round(total * share, true);
            if (amount <= 0)
                continue;

            source.GiftCards.Add(new KlarnaCreditSource { Name = "Gift card", Reference = $"gift-card-{++n}", Amount = amount });
            total -= amount;
        }

        source.RewardPointsAmount = Round(total * rewardShare, true);
        total -= source.RewardPointsAmount;
        source.OrderTotal = Math.Max(0m, Round(total + totalDrift, true));
        return source;
    }
}
