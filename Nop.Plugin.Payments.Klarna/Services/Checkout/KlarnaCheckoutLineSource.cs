namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Represents what an order or a cart is made of, as nopCommerce computed it, in the primary store currency
/// (the input of <see cref="KlarnaOrderLineBuilder"/>; pure data, no nopCommerce services)
/// </summary>
public class KlarnaOrderLineSource
{
    /// <summary>
    /// Gets or sets the customer's currency (ISO 4217): the Klarna purchase currency
    /// </summary>
    public string CurrencyCode { get; set; }

    /// <summary>
    /// Gets or sets the rate from the primary store currency to the customer's currency (Order.CurrencyRate)
    /// </summary>
    public decimal CurrencyRate { get; set; } = 1m;

    /// <summary>
    /// Gets or sets the purchase country (ISO 3166 alpha-2); "US" selects the sales tax style
    /// </summary>
    public string PurchaseCountry { get; set; }

    /// <summary>
    /// Gets or sets nopCommerce's order total (Order.OrderTotal): the amount the lines must add up to
    /// </summary>
    public decimal OrderTotal { get; set; }

    /// <summary>
    /// Gets or sets nopCommerce's tax total (Order.OrderTax), sent as the sales tax line in the United States
    /// </summary>
    public decimal OrderTax { get; set; }

    /// <summary>
    /// Gets the products
    /// </summary>
    public IList<KlarnaItemSource> Items { get; set; } = new List<KlarnaItemSource>();

    /// <summary>
    /// Gets the other charges: shipping, payment method additional fee, checkout attributes
    /// </summary>
    public IList<KlarnaChargeSource> Charges { get; set; } = new List<KlarnaChargeSource>();

    /// <summary>
    /// Gets or sets the order subtotal discount including tax (Order.OrderSubTotalDiscountInclTax)
    /// </summary>
    public decimal SubTotalDiscountInclTax { get; set; }

    /// <summary>
    /// Gets or sets the order subtotal discount excluding tax (Order.OrderSubTotalDiscountExclTax)
    /// </summary>
    public decimal SubTotalDiscountExclTax { get; set; }

    /// <summary>
    /// Gets or sets the order total discount (Order.OrderDiscount; applied after tax, so untaxed)
    /// </summary>
    public decimal OrderDiscount { get; set; }

    /// <summary>
    /// Gets the gift cards used (positive amounts)
    /// </summary>
    public IList<KlarnaCreditSource> GiftCards { get; set; } = new List<KlarnaCreditSource>();

    /// <summary>
    /// Gets or sets the amount of the reward points redeemed (positive)
    /// </summary>
    public decimal RewardPointsAmount { get; set; }
}

/// <summary>
/// Represents one product of an order or cart (amounts in the primary store currency)
/// </summary>
public class KlarnaItemSource
{
    /// <summary>
    /// Gets or sets the product name
    /// </summary>
    public string Name { get; set; }

    /// <summary>
    /// Gets or sets the attribute description (HTML as nopCommerce formats it; may be empty)
    /// </summary>
    public string AttributeDescription { get; set; }

    /// <summary>
    /// Gets or sets the SKU (may be empty)
    /// </summary>
    public string Sku { get; set; }

    /// <summary>
    /// Gets or sets the product identifier (fallback reference)
    /// </summary>
    public int ProductId { get; set; }

    /// <summary>
    /// Gets or sets the quantity
    /// </summary>
    public int Quantity { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the product is not shipped (a digital line)
    /// </summary>
    public bool IsDigital { get; set; }

    /// <summary>
    /// Gets or sets the unit price before discounts, including tax
    /// </summary>
    public decimal UnitPriceInclTax { get; set; }

    /// <summary>
    /// Gets or sets the unit price before discounts, excluding tax
    /// </summary>
    public decimal UnitPriceExclTax { get; set; }

    /// <summary>
    /// Gets or sets the line total after the item's discounts, including tax (OrderItem.PriceInclTax)
    /// </summary>
    public decimal TotalInclTax { get; set; }

    /// <summary>
    /// Gets or sets the line total after the item's discounts, excluding tax (OrderItem.PriceExclTax)
    /// </summary>
    public decimal TotalExclTax { get; set; }

    /// <summary>
    /// Gets or sets the tax rate in percent (19.5 = 19.5 %)
    /// </summary>
    public decimal TaxRate { get; set; }
}

/// <summary>
/// Represents a charge of an order: shipping, payment method fee, checkout attributes (amounts in the primary store currency)
/// </summary>
public class KlarnaChargeSource
{
    /// <summary>
    /// Gets or sets the Klarna line type (KlarnaOrderLineType.ShippingFee, Surcharge, Physical...)
    /// </summary>
    public string Type { get; set; }

    /// <summary>
    /// Gets or sets the line name
    /// </summary>
    public string Name { get; set; }

    /// <summary>
    /// Gets or sets the line reference
    /// </summary>
    public string Reference { get; set; }

    /// <summary>
    /// Gets or sets the amount including tax
    /// </summary>
    public decimal AmountInclTax { get; set; }

    /// <summary>
    /// Gets or sets the amount excluding tax
    /// </summary>
    public decimal AmountExclTax { get; set; }

    /// <summary>
    /// Gets or sets the tax rate in percent
    /// </summary>
    public decimal TaxRate { get; set; }
}

/// <summary>
/// Represents a gift card used on an order (amount in the primary store currency, positive)
/// </summary>
public class KlarnaCreditSource
{
    /// <summary>
    /// Gets or sets the line name
    /// </summary>
    public string Name { get; set; }

    /// <summary>
    /// Gets or sets the line reference (never the gift card code)
    /// </summary>
    public string Reference { get; set; }

    /// <summary>
    /// Gets or sets the amount used (positive)
    /// </summary>
    public decimal Amount { get; set; }
}
