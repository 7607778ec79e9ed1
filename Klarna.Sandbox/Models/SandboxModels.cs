using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Klarna.Sandbox.Models;

/// <summary>
/// Represents an order line as Klarna receives and returns it (minor units, tax rate in basis points)
/// </summary>
public class SandboxOrderLine
{
    public string Type { get; set; }
    public string Reference { get; set; }
    public string Name { get; set; }
    public long? Quantity { get; set; }
    public string QuantityUnit { get; set; }
    public long? UnitPrice { get; set; }
    public long? TaxRate { get; set; }
    public long? TotalAmount { get; set; }
    public long? TotalDiscountAmount { get; set; }
    public long? TotalTaxAmount { get; set; }
    public string MerchantData { get; set; }
    public string ProductUrl { get; set; }
    public string ImageUrl { get; set; }
}

/// <summary>
/// Represents an address
/// </summary>
public class SandboxAddress
{
    public string Title { get; set; }
    public string GivenName { get; set; }
    public string FamilyName { get; set; }
    public string Email { get; set; }
    public string Phone { get; set; }
    public string StreetAddress { get; set; }

    [JsonPropertyName("street_address2")]
    public string StreetAddress2 { get; set; }

    public string PostalCode { get; set; }
    public string City { get; set; }
    public string Region { get; set; }
    public string Country { get; set; }
    public string OrganizationName { get; set; }
    public string Attention { get; set; }
}

/// <summary>
/// Represents merchant URLs
/// </summary>
public class SandboxMerchantUrls
{
    public string Confirmation { get; set; }
    public string Notification { get; set; }
    public string Push { get; set; }
    public string Authorization { get; set; }
}

/// <summary>
/// Represents the cart of a Klarna Payments session / create-order request
/// </summary>
public class SandboxCart
{
    public string PurchaseCountry { get; set; }
    public string PurchaseCurrency { get; set; }
    public string Locale { get; set; }
    public long? OrderAmount { get; set; }
    public long? OrderTaxAmount { get; set; }
    public List<SandboxOrderLine> OrderLines { get; set; }
    public SandboxMerchantUrls MerchantUrls { get; set; }

    [JsonPropertyName("merchant_reference1")]
    public string MerchantReference1 { get; set; }

    [JsonPropertyName("merchant_reference2")]
    public string MerchantReference2 { get; set; }

    public string MerchantData { get; set; }
    public SandboxAddress BillingAddress { get; set; }
    public SandboxAddress ShippingAddress { get; set; }
    public string Intent { get; set; }
    public bool? AutoCapture { get; set; }
}

/// <summary>
/// Represents a Klarna Payments session
/// </summary>
public class SandboxSession
{
    public string SessionId { get; set; }
    public string ClientToken { get; set; }
    public string Status { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public string AuthorizationToken { get; set; }
    public SandboxCart Cart { get; set; }
    public string OrderId { get; set; }

    /// <summary>
    /// Gets or sets the customer data of an authorize(auto_finalize:false) that waits for finalize() (null when none waits)
    /// </summary>
    public SandboxCustomerData PendingFinalization { get; set; }

    /// <summary>
    /// Gets or sets the fraud status the customer's authorization asked for (test control)
    /// </summary>
    public string AuthorizedFraudStatus { get; set; }
}

/// <summary>
/// Represents what the browser passes to Klarna.Payments.authorize / finalize as data (the addresses)
/// </summary>
public class SandboxCustomerData
{
    public SandboxAddress BillingAddress { get; set; }
    public SandboxAddress ShippingAddress { get; set; }
}

/// <summary>
/// Represents the answer of the customer's authorize / finalize in Klarna's widget
/// </summary>
public record SandboxAuthorizeResult(bool Found, bool Approved, string Token, bool FinalizeRequired);

/// <summary>
/// Represents an authorization created by the customer's click (valid 60 minutes, usable once)
/// </summary>
public class SandboxAuthorization
{
    public string Token { get; set; }
    public string SessionId { get; set; }
    public SandboxCart AuthorizedCart { get; set; }
    public string FraudStatus { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public bool Cancelled { get; set; }

    /// <summary>
    /// Gets or sets the answer of the first create order with this token (Klarna's create order is idempotent per token:
    /// a repeat gets the same answer; server errors are not kept)
    /// </summary>
    public SandboxResponse OrderResponse { get; set; }
}

/// <summary>
/// Represents shipping information
/// </summary>
public class SandboxShippingInfo
{
    public string ShippingCompany { get; set; }
    public string ShippingMethod { get; set; }
    public string TrackingNumber { get; set; }
    public string TrackingUri { get; set; }
    public string ReturnShippingCompany { get; set; }
    public string ReturnTrackingNumber { get; set; }
    public string ReturnTrackingUri { get; set; }
}

/// <summary>
/// Represents a capture
/// </summary>
public class SandboxCapture
{
    public string CaptureId { get; set; }
    public string KlarnaReference { get; set; }
    public long CapturedAmount { get; set; }
    public DateTimeOffset CapturedAt { get; set; }
    public string Description { get; set; }
    public string Reference { get; set; }
    public List<SandboxOrderLine> OrderLines { get; set; } = new();
    public long RefundedAmount { get; set; }
    public List<SandboxShippingInfo> ShippingInfo { get; set; } = new();
    public SandboxAddress BillingAddress { get; set; }
    public SandboxAddress ShippingAddress { get; set; }

    /// <summary>
    /// Gets the amounts refunded from this capture per line reference (refund allocation; not part of Klarna's JSON)
    /// </summary>
    [JsonIgnore]
    public Dictionary<string, long> RefundedByReference { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Represents a refund
/// </summary>
public class SandboxRefund
{
    public string RefundId { get; set; }
    public long RefundedAmount { get; set; }
    public DateTimeOffset RefundedAt { get; set; }
    public string Description { get; set; }
    public string Reference { get; set; }
    public List<SandboxOrderLine> OrderLines { get; set; } = new();
}

/// <summary>
/// Represents the initial payment method of an order
/// </summary>
public class SandboxInitialPaymentMethod
{
    public string Type { get; set; }
    public string Description { get; set; }
    public int? NumberOfInstallments { get; set; }
}

/// <summary>
/// Represents an Order Management order
/// </summary>
public class SandboxOrder
{
    public string OrderId { get; set; }
    public string Status { get; set; }
    public string FraudStatus { get; set; }
    public long OrderAmount { get; set; }
    public long OriginalOrderAmount { get; set; }
    public long CapturedAmount { get; set; }
    public long RefundedAmount { get; set; }
    public long RemainingAuthorizedAmount { get; set; }
    public string PurchaseCurrency { get; set; }
    public string PurchaseCountry { get; set; }
    public string Locale { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    [JsonPropertyName("merchant_reference1")]
    public string MerchantReference1 { get; set; }

    [JsonPropertyName("merchant_reference2")]
    public string MerchantReference2 { get; set; }

    public string MerchantData { get; set; }
    public string KlarnaReference { get; set; }
    public List<SandboxOrderLine> OrderLines { get; set; } = new();
    public List<SandboxCapture> Captures { get; set; } = new();
    public List<SandboxRefund> Refunds { get; set; } = new();
    public List<SandboxShippingInfo> ShippingInfo { get; set; } = new();
    public SandboxInitialPaymentMethod InitialPaymentMethod { get; set; }
    public SandboxAddress BillingAddress { get; set; }
    public SandboxAddress ShippingAddress { get; set; }

    /// <summary>
    /// Gets or sets the merchant URLs given at purchase (not part of Klarna's order JSON)
    /// </summary>
    [JsonIgnore]
    public SandboxMerchantUrls MerchantUrls { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the order was acknowledged (not part of Klarna's order JSON)
    /// </summary>
    [JsonIgnore]
    public bool Acknowledged { get; set; }
}

/// <summary>
/// Represents the body of a capture
/// </summary>
public class SandboxCaptureRequest
{
    public long? CapturedAmount { get; set; }
    public string Description { get; set; }
    public string Reference { get; set; }
    public List<SandboxOrderLine> OrderLines { get; set; }
    public List<SandboxShippingInfo> ShippingInfo { get; set; }
    public int? ShippingDelay { get; set; }
}

/// <summary>
/// Represents the body of a refund
/// </summary>
public class SandboxRefundRequest
{
    public long? RefundedAmount { get; set; }
    public string Description { get; set; }
    public string Reference { get; set; }
    public List<SandboxOrderLine> OrderLines { get; set; }
}

/// <summary>
/// Represents the body of an authorization update
/// </summary>
public class SandboxUpdateAuthorizationRequest
{
    public long? OrderAmount { get; set; }
    public string Description { get; set; }
    public List<SandboxOrderLine> OrderLines { get; set; }
}

/// <summary>
/// Represents the body of a merchant references update
/// </summary>
public class SandboxMerchantReferencesRequest
{
    [JsonPropertyName("merchant_reference1")]
    public string MerchantReference1 { get; set; }

    [JsonPropertyName("merchant_reference2")]
    public string MerchantReference2 { get; set; }
}

/// <summary>
/// Represents the body of a shipping info call
/// </summary>
public class SandboxShippingInfoRequest
{
    public List<SandboxShippingInfo> ShippingInfo { get; set; }
}

/// <summary>
/// Represents the body of a customer details update
/// </summary>
public class SandboxCustomerDetailsRequest
{
    public SandboxAddress ShippingAddress { get; set; }
    public SandboxAddress BillingAddress { get; set; }
}

/// <summary>
/// Represents an injected fault
/// </summary>
public class SandboxFault
{
    public string Id { get; set; }
    public string Method { get; set; }
    public string PathPattern { get; set; }
    public string Kind { get; set; }
    public int? DelayMs { get; set; }
    public int? Status { get; set; }
    public int? RetryAfterSeconds { get; set; }
    public int? Times { get; set; } = 1;

    /// <summary>
    /// Gets or sets the error_code of a "status" fault (default by status, e.g. PAYMENT_METHOD_FAILED for a 403)
    /// </summary>
    public string ErrorCode { get; set; }

    /// <summary>
    /// Gets or sets the error message of a "status" fault
    /// </summary>
    public string Message { get; set; }
}

/// <summary>
/// Represents a recorded Klarna request
/// </summary>
public class RecordedRequest
{
    public long Sequence { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string Method { get; set; }
    public string Path { get; set; }
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string Body { get; set; }
    public string IdempotencyKey { get; set; }
    public int Status { get; set; }
    public string Outcome { get; set; }
    public bool Replayed { get; set; }
    public string Fault { get; set; }
    public string CorrelationId { get; set; }
}
