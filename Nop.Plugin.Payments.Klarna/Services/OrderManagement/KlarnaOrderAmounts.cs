using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// The rule between nopCommerce's amounts and Klarna's:
/// nopCommerce keeps order amounts in the PRIMARY STORE CURRENCY; Klarna's order is in the CUSTOMER'S currency
/// (<see cref="Order.CustomerCurrencyCode"/>), reached with the rate fixed on the order (<see cref="Order.CurrencyRate"/>).
/// nopCommerce -> Klarna: amount * CurrencyRate, then <see cref="KlarnaAmount.ToMinor"/> (half away from zero, currency exponent).
/// Klarna -> nopCommerce: <see cref="KlarnaAmount.FromMinor"/> / CurrencyRate, rounded half away from zero to 2 decimals.
/// A missing or non-positive rate counts as 1 (primary currency = customer currency).
/// </summary>
public static class KlarnaOrderAmounts
{
    /// <summary>
    /// Gets the rate of the order (1 when missing)
    /// </summary>
    /// <param name="order">Order</param>
    /// <returns>Rate</returns>
    public static decimal Rate(Order order) => order?.CurrencyRate > 0 ? order.CurrencyRate : 1m;

    /// <summary>
    /// Converts a nopCommerce amount (primary store currency) into Klarna minor units of the order's currency
    /// </summary>
    /// <param name="primaryAmount">Amount in the primary store currency</param>
    /// <param name="order">Order</param>
    /// <param name="currencyCode">Klarna's currency of the order</param>
    /// <returns>Minor units</returns>
    public static long ToKlarnaMinor(decimal primaryAmount, Order order, string currencyCode) =>
        KlarnaAmount.ToMinor(primaryAmount * Rate(order), currencyCode);

    /// <summary>
    /// Converts Klarna minor units of the order's currency into a nopCommerce amount (primary store currency)
    /// </summary>
    /// <param name="minor">Minor units</param>
    /// <param name="order">Order</param>
    /// <param name="currencyCode">Klarna's currency of the order</param>
    /// <returns>Amount in the primary store currency</returns>
    public static decimal ToPrimaryAmount(long minor, Order order, string currencyCode) =>
        Math.Round(KlarnaAmount.FromMinor(minor, currencyCode) / Rate(order), 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Gets nopCommerce's refunded amount (primary store currency) of Klarna's refunded amount: exactly the order total
    /// once everything Klarna authorized is refunded (no drift through the rate), else the converted amount
    /// </summary>
    /// <param name="order">Order</param>
    /// <param name="refundedMinor">Klarna's refunded amount (minor units)</param>
    /// <param name="orderAmountMinor">Klarna's order amount (minor units)</param>
    /// <param name="currencyCode">Klarna's currency of the order</param>
    /// <returns>Refunded amount in the primary store currency</returns>
    public static decimal RefundedAmountOf(Order order, long refundedMinor, long orderAmountMinor, string currencyCode)
    {
        if (refundedMinor <= 0)
            return decimal.Zero;
        if (orderAmountMinor > 0 && refundedMinor >= orderAmountMinor)
            return order.OrderTotal;

        return ToPrimaryAmount(refundedMinor, order, currencyCode);
    }
}
