using System;
using System.Collections.Generic;
using System.Linq;
using Klarna.Sandbox.Models;

namespace Klarna.Sandbox;

/// <summary>
/// Represents Klarna's documented validation rules (API.md §5, §6)
/// </summary>
public static class SandboxRules
{
    public const long MaxAmount = 200_000_000;
    public const int MaxLines = 1000;
    public const int MaxShippingInfo = 500;

    /// <summary>
    /// Gets Klarna's shipping methods of shipping_info (case as Klarna spells them)
    /// </summary>
    public static readonly IReadOnlySet<string> ShippingMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "PickUpStore", "Home", "BoxReg", "BoxUnreg", "PickUpPoint", "Own", "Postal", "DHLPackstation", "Digital", "Undefined",
        "PickUpWarehouse", "ClickCollect", "PalletDelivery"
    };

    private static readonly HashSet<string> _kpLineTypes = new(StringComparer.Ordinal)
    {
        "physical", "discount", "shipping_fee", "sales_tax", "digital", "gift_card", "store_credit", "surcharge"
    };

    /// <summary>
    /// Validates a Klarna Payments cart (session, create order): required fields, line arithmetic, order sum and tax
    /// </summary>
    public static KlarnaFailure ValidateCart(SandboxCart cart)
    {
        if (cart is null)
            return KlarnaFailure.BadValue("order_amount");
        var market = SandboxMarkets.Violation(cart.PurchaseCountry, cart.PurchaseCurrency, cart.Locale);
        if (market is not null)
            return KlarnaFailure.BadValue(market);
        if (cart.OrderAmount is null or < 0 or > MaxAmount)
            return KlarnaFailure.BadValue("order_amount");
        if (cart.OrderTaxAmount is < 0)
            return KlarnaFailure.BadValue("order_tax_amount");
        if (cart.OrderLines is null || cart.OrderLines.Count == 0 || cart.OrderLines.Count > MaxLines)
            return KlarnaFailure.BadValue("order_lines");
        if (cart.MerchantReference1?.Length > 255)
            return KlarnaFailure.BadValue("merchant_reference1");
        if (cart.MerchantReference2?.Length > 255)
            return KlarnaFailure.BadValue("merchant_reference2");
        if (cart.MerchantData?.Length > 6000)
            return KlarnaFailure.BadValue("merchant_data");
        foreach (var (url, name) in new[] { (cart.MerchantUrls?.Confirmation, "confirmation"), (cart.MerchantUrls?.Notification, "notification"), (cart.MerchantUrls?.Push, "push"), (cart.MerchantUrls?.Authorization, "authorization") })
        {
            if (url?.Length > 2000)
                return KlarnaFailure.BadValue($"merchant_urls.{name}");
        }

        for (var i = 0; i < cart.OrderLines.Count; i++)
        {
            var failure = ValidateLine(cart.OrderLines[i], $"order_lines[{i}]", orderManagement: false);
            if (failure is not null)
                return failure;
        }

        if (cart.OrderLines.Sum(line => line.TotalAmount!.Value) != cart.OrderAmount)
            return KlarnaFailure.BadValue("order_amount");

        var expectedTax = ExpectedOrderTax(cart.OrderLines);
        if (Math.Abs((cart.OrderTaxAmount ?? 0) - expectedTax) > cart.OrderLines.Count)
            return KlarnaFailure.BadValue("order_tax_amount");

        return null;
    }

    /// <summary>
    /// Gets the order tax the lines imply: Σ total_tax_amount, where a US style sales_tax line contributes its total_amount
    /// </summary>
    public static long ExpectedOrderTax(IEnumerable<SandboxOrderLine> lines)
    {
        return lines.Sum(line => line.Type == "sales_tax" ? line.TotalAmount ?? 0 : line.TotalTaxAmount ?? 0);
    }

    /// <summary>
    /// Validates one order line: required fields, limits, total = quantity * unit_price - discount, tax within ±1 of the rate
    /// </summary>
    public static KlarnaFailure ValidateLine(SandboxOrderLine line, string prefix, bool orderManagement)
    {
        if (line is null)
            return KlarnaFailure.BadValue(prefix);
        if (line.Type is not null && !_kpLineTypes.Contains(line.Type) && !(orderManagement && line.Type == "return_fee"))
            return KlarnaFailure.BadValue($"{prefix}.type");
        if (string.IsNullOrEmpty(line.Name) || line.Name.Length > 255)
            return KlarnaFailure.BadValue($"{prefix}.name");
        if (line.Reference?.Length > 255)
            return KlarnaFailure.BadValue($"{prefix}.reference");
        if (line.QuantityUnit?.Length > (orderManagement ? 10 : 8))
            return KlarnaFailure.BadValue($"{prefix}.quantity_unit");
        if (line.MerchantData?.Length > 1024)
            return KlarnaFailure.BadValue($"{prefix}.merchant_data");
        if (line.ProductUrl?.Length > 1024)
            return KlarnaFailure.BadValue($"{prefix}.product_url");
        if (line.ImageUrl?.Length > 1024)
            return KlarnaFailure.BadValue($"{prefix}.image_url");
        if (line.Quantity is null or < 0)
            return KlarnaFailure.BadValue($"{prefix}.quantity");
        if (line.UnitPrice is null || Math.Abs(line.UnitPrice.Value) > MaxAmount)
            return KlarnaFailure.BadValue($"{prefix}.unit_price");
        if (line.TaxRate is < 0 or > 10000)
            return KlarnaFailure.BadValue($"{prefix}.tax_rate");
        if (line.TotalDiscountAmount is < 0 or > MaxAmount)
            return KlarnaFailure.BadValue($"{prefix}.total_discount_amount");
        if (line.TotalAmount is null || Math.Abs(line.TotalAmount.Value) > MaxAmount)
            return KlarnaFailure.BadValue($"{prefix}.total_amount");

        var expectedTotal = line.Quantity.Value * line.UnitPrice.Value - (line.TotalDiscountAmount ?? 0);
        if (line.TotalAmount.Value != expectedTotal)
            return KlarnaFailure.BadValue($"{prefix}.total_amount");

        if (line.Type != "sales_tax")
        {
            if (!IsTaxWithinOneMinorUnit(line.TotalAmount.Value, line.TaxRate ?? 0, line.TotalTaxAmount ?? 0))
                return KlarnaFailure.BadValue($"{prefix}.total_tax_amount");
        }

        return null;
    }

    /// <summary>
    /// Gets a value indicating whether a line's tax is within ±1 minor unit of Klarna's formula, total - total * 10000 /
    /// (10000 + tax_rate), computed exactly (no rounding of the net amount): |tax - total * rate / (10000 + rate)| ≤ 1
    /// </summary>
    public static bool IsTaxWithinOneMinorUnit(long total, long taxRate, long tax)
    {
        var denominator = 10000 + taxRate;
        return Math.Abs(tax * denominator - total * taxRate) <= denominator;
    }

    /// <summary>
    /// Validates the lines of a capture / refund / update: each line valid and Σ total_amount == amount
    /// </summary>
    public static KlarnaFailure ValidateAmountLines(IList<SandboxOrderLine> lines, long amount, string amountField)
    {
        if (lines is null || lines.Count == 0)
            return null;
        if (lines.Count > MaxLines)
            return KlarnaFailure.BadValue("order_lines");

        for (var i = 0; i < lines.Count; i++)
        {
            var failure = ValidateLine(lines[i], $"order_lines[{i}]", orderManagement: true);
            if (failure is not null)
                return failure;
        }

        var sum = lines.Sum(line => line.TotalAmount!.Value);
        return sum == amount
            ? null
            : new KlarnaFailure(400, "BAD_VALUE", $"Bad value: {amountField} (sum of order_lines[].total_amount is {sum}, {amountField} is {amount})");
    }

    /// <summary>
    /// Validates shipping info entries (count, field sizes: 422 like Klarna)
    /// </summary>
    public static KlarnaFailure ValidateShippingInfo(IList<SandboxShippingInfo> entries, bool required)
    {
        if (entries is null || entries.Count == 0)
            return required ? KlarnaFailure.BadValue("shipping_info") : null;
        if (entries.Count > MaxShippingInfo)
            return KlarnaFailure.BadValue("shipping_info");

        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry is null)
                return KlarnaFailure.BadValue("shipping_info");
            if (entry.ShippingMethod is not null && !ShippingMethods.Contains(entry.ShippingMethod))
                return KlarnaFailure.BadValue($"shipping_info[{i}].shipping_method");
            if (entry.ShippingCompany?.Length > 100)
                return KlarnaFailure.FieldSize("shipping_info/shipping_company", 100);
            if (entry.TrackingNumber?.Length > 100)
                return KlarnaFailure.FieldSize("shipping_info/tracking_number", 100);
            if (entry.TrackingUri?.Length > 1024)
                return KlarnaFailure.FieldSize("shipping_info/tracking_uri", 1024);
            if (entry.ReturnShippingCompany?.Length > 100)
                return KlarnaFailure.FieldSize("shipping_info/return_shipping_company", 100);
            if (entry.ReturnTrackingNumber?.Length > 100)
                return KlarnaFailure.FieldSize("shipping_info/return_tracking_number", 100);
            if (entry.ReturnTrackingUri?.Length > 1024)
                return KlarnaFailure.FieldSize("shipping_info/return_tracking_uri", 1024);
        }

        return null;
    }

    /// <summary>
    /// Validates an Order Management free text field (422 like Klarna)
    /// </summary>
    public static KlarnaFailure ValidateSize(string value, string field, int max)
    {
        return value?.Length > max ? KlarnaFailure.FieldSize(field, max) : null;
    }

    /// <summary>
    /// Compares the create-order cart with the authorized one; returns the names of fields that differ
    /// </summary>
    public static (List<string> Fields, string Detail) CompareWithAuthorized(SandboxCart authorized, SandboxCart order)
    {
        var fields = new List<string>();
        string detail = null;
        if (!string.Equals(authorized.PurchaseCountry, order.PurchaseCountry, StringComparison.OrdinalIgnoreCase))
            fields.Add("purchase_country");
        if (!string.Equals(authorized.PurchaseCurrency, order.PurchaseCurrency, StringComparison.OrdinalIgnoreCase))
            fields.Add("purchase_currency");
        if (authorized.OrderAmount != order.OrderAmount)
            fields.Add("order_amount");
        if ((authorized.OrderTaxAmount ?? 0) != (order.OrderTaxAmount ?? 0))
            fields.Add("order_tax_amount");
        if (authorized.OrderLines.Count != order.OrderLines.Count)
        {
            fields.Add("order_lines");
            detail = $"Incorrect number of items in the cart. Expected: {authorized.OrderLines.Count}, Actual: {order.OrderLines.Count}";
        }
        else
        {
            for (var i = 0; i < order.OrderLines.Count; i++)
            {
                var a = authorized.OrderLines[i];
                var b = order.OrderLines[i];
                if (a.TotalAmount != b.TotalAmount || a.Quantity != b.Quantity || (a.TotalTaxAmount ?? 0) != (b.TotalTaxAmount ?? 0) || a.Reference != b.Reference)
                    fields.Add($"order_lines[{i}]");
            }
        }

        CompareAddress(authorized.BillingAddress, order.BillingAddress, "billing_address", fields);
        CompareAddress(authorized.ShippingAddress, order.ShippingAddress, "shipping_address", fields);
        return (fields, detail);
    }

    /// <summary>
    /// Compares an address of the create-order request with the authorized one: an order that leaves it out takes the
    /// authorized one; one the authorization did not have, or a field that differs, does not match
    /// </summary>
    private static void CompareAddress(SandboxAddress authorized, SandboxAddress order, string name, List<string> fields)
    {
        if (order is null)
            return;
        if (authorized is null)
        {
            fields.Add(name);
            return;
        }

        static string Normalize(string value) => string.IsNullOrWhiteSpace(value) ? string.Empty : value.Trim();
        foreach (var (field, a, b) in new[]
        {
            ("title", authorized.Title, order.Title), ("given_name", authorized.GivenName, order.GivenName),
            ("family_name", authorized.FamilyName, order.FamilyName), ("email", authorized.Email, order.Email),
            ("phone", authorized.Phone, order.Phone), ("street_address", authorized.StreetAddress, order.StreetAddress),
            ("street_address2", authorized.StreetAddress2, order.StreetAddress2), ("postal_code", authorized.PostalCode, order.PostalCode),
            ("city", authorized.City, order.City), ("region", authorized.Region, order.Region), ("country", authorized.Country, order.Country),
            ("organization_name", authorized.OrganizationName, order.OrganizationName), ("attention", authorized.Attention, order.Attention)
        })
        {
            if (!string.Equals(Normalize(a), Normalize(b), StringComparison.OrdinalIgnoreCase))
                fields.Add($"{name}.{field}");
        }
    }
}
