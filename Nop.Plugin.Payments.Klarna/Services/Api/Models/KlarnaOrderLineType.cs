
namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents Klarna order line types
/// </summary>
public static class KlarnaOrderLineType
{
    /// <summary>Physical goods</summary>
    public const string Physical = "physical";

    /// <summary>Digital goods</summary>
    public const string Digital = "digital";

    /// <summary>Discount (negative amounts)</summary>
    public const string Discount = "discount";

    /// <summary>Shipping fee</summary>
    public const string ShippingFee = "shipping_fee";

    /// <summary>US style sales tax line</summary>
    public const string SalesTax = "sales_tax";

    /// <summary>Gift card</summary>
    public const string GiftCard = "gift_card";

    /// <summary>Store credit</summary>
    public const string StoreCredit = "store_credit";

    /// <summary>Surcharge</summary>
    public const string Surcharge = "surcharge";

    /// <summary>Return fee (Order Management only)</summary>
    public const string ReturnFee = "return_fee";
}
