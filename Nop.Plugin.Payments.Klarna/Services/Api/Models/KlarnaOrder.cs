using System;
using System.Collections.Generic;
using Newtonsoft.Json;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents a Klarna Order Management order (amounts in minor units)
/// </summary>
public class KlarnaOrder
{
    /// <summary>
    /// Gets or sets the Klarna order id
    /// </summary>
    [JsonProperty("order_id")]
    public string OrderId { get; set; }

    /// <summary>
    /// Gets or sets the status (see KlarnaOrderStatus)
    /// </summary>
    [JsonProperty("status")]
    public string Status { get; set; }

    /// <summary>
    /// Gets or sets the fraud status (see KlarnaFraudStatus)
    /// </summary>
    [JsonProperty("fraud_status")]
    public string FraudStatus { get; set; }

    /// <summary>
    /// Gets or sets the current authorized order amount (minor units)
    /// </summary>
    [JsonProperty("order_amount")]
    public long OrderAmount { get; set; }

    /// <summary>
    /// Gets or sets the order amount at purchase (minor units)
    /// </summary>
    [JsonProperty("original_order_amount")]
    public long OriginalOrderAmount { get; set; }

    /// <summary>
    /// Gets or sets the sum of captures (minor units)
    /// </summary>
    [JsonProperty("captured_amount")]
    public long CapturedAmount { get; set; }

    /// <summary>
    /// Gets or sets the sum of refunds (minor units)
    /// </summary>
    [JsonProperty("refunded_amount")]
    public long RefundedAmount { get; set; }

    /// <summary>
    /// Gets or sets the amount still capturable (minor units)
    /// </summary>
    [JsonProperty("remaining_authorized_amount")]
    public long RemainingAuthorizedAmount { get; set; }

    /// <summary>
    /// Gets or sets the purchase currency (ISO 4217)
    /// </summary>
    [JsonProperty("purchase_currency")]
    public string PurchaseCurrency { get; set; }

    /// <summary>
    /// Gets or sets the purchase country (ISO 3166 alpha-2)
    /// </summary>
    [JsonProperty("purchase_country")]
    public string PurchaseCountry { get; set; }

    /// <summary>
    /// Gets or sets the locale
    /// </summary>
    [JsonProperty("locale")]
    public string Locale { get; set; }

    /// <summary>
    /// Gets or sets the time until which the order can be captured
    /// </summary>
    [JsonProperty("expires_at")]
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>
    /// Gets or sets the creation time
    /// </summary>
    [JsonProperty("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>
    /// Gets or sets the merchant reference 1 (shop order number)
    /// </summary>
    [JsonProperty("merchant_reference1")]
    public string MerchantReference1 { get; set; }

    /// <summary>
    /// Gets or sets the merchant reference 2
    /// </summary>
    [JsonProperty("merchant_reference2")]
    public string MerchantReference2 { get; set; }

    /// <summary>
    /// Gets or sets the merchant data
    /// </summary>
    [JsonProperty("merchant_data")]
    public string MerchantData { get; set; }

    /// <summary>
    /// Gets or sets the customer-facing reference, e.g. K4MADNY
    /// </summary>
    [JsonProperty("klarna_reference")]
    public string KlarnaReference { get; set; }

    /// <summary>
    /// Gets or sets the current order lines
    /// </summary>
    [JsonProperty("order_lines")]
    public List<KlarnaOrderLine> OrderLines { get; set; }

    /// <summary>
    /// Gets or sets the captures
    /// </summary>
    [JsonProperty("captures")]
    public List<KlarnaCapture> Captures { get; set; }

    /// <summary>
    /// Gets or sets the refunds
    /// </summary>
    [JsonProperty("refunds")]
    public List<KlarnaRefund> Refunds { get; set; }

    /// <summary>
    /// Gets or sets the order-level shipping information
    /// </summary>
    [JsonProperty("shipping_info")]
    public List<KlarnaShippingInfo> ShippingInfo { get; set; }

    /// <summary>
    /// Gets or sets the initial payment method
    /// </summary>
    [JsonProperty("initial_payment_method")]
    public KlarnaInitialPaymentMethod InitialPaymentMethod { get; set; }

    /// <summary>
    /// Gets or sets the billing address
    /// </summary>
    [JsonProperty("billing_address")]
    public KlarnaAddress BillingAddress { get; set; }

    /// <summary>
    /// Gets or sets the shipping address
    /// </summary>
    [JsonProperty("shipping_address")]
    public KlarnaAddress ShippingAddress { get; set; }
}
