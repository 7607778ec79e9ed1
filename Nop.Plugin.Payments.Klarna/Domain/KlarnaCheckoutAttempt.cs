using System.ComponentModel.DataAnnotations.Schema;
using Nop.Core;

namespace Nop.Plugin.Payments.Klarna.Domain;

/// <summary>
/// Represents one creation of a Klarna order at checkout, recorded before the call so that a lost answer is never lost:
/// the session, the authorization token, the cart's amount and the reference (nopCommerce's order guid, Klarna's
/// merchant_reference1) are known whatever happens to the answer
/// </summary>
public class KlarnaCheckoutAttempt : BaseEntity
{
    /// <summary>
    /// Gets or sets nopCommerce's order guid: the reference Klarna's order carries (merchant_reference1)
    /// </summary>
    public Guid OrderGuid { get; set; }

    /// <summary>
    /// Gets or sets the customer identifier
    /// </summary>
    public int CustomerId { get; set; }

    /// <summary>
    /// Gets or sets the store identifier
    /// </summary>
    public int StoreId { get; set; }

    /// <summary>
    /// Gets or sets the Klarna Payments session id
    /// </summary>
    public string SessionId { get; set; }

    /// <summary>
    /// Gets or sets the authorization token create order was called with (unique: one attempt per token)
    /// </summary>
    public string AuthorizationToken { get; set; }

    /// <summary>
    /// Gets or sets the create-order body (JSON) while the outcome is open: a repeat after a lost answer sends it again;
    /// cleared once the attempt is settled (it holds the customer's addresses)
    /// </summary>
    public string RequestJson { get; set; }

    /// <summary>
    /// Gets or sets the region identifier of the credentials used (<see cref="Services.Api.KlarnaRegion"/>)
    /// </summary>
    public int RegionId { get; set; }

    /// <summary>
    /// Gets or sets the environment identifier of the credentials used (<see cref="Services.Api.KlarnaEnvironment"/>)
    /// </summary>
    public int EnvironmentId { get; set; }

    /// <summary>
    /// Gets or sets the cart's amount (minor units of <see cref="CurrencyCode"/>)
    /// </summary>
    public long AmountMinor { get; set; }

    /// <summary>
    /// Gets or sets the currency (ISO 4217)
    /// </summary>
    public string CurrencyCode { get; set; }

    /// <summary>
    /// Gets or sets the status identifier (<see cref="KlarnaCheckoutAttemptStatus"/>)
    /// </summary>
    public int StatusId { get; set; }

    /// <summary>
    /// Gets or sets Klarna's order id once known
    /// </summary>
    public string KlarnaOrderId { get; set; }

    /// <summary>
    /// Gets or sets Klarna's fraud status of the created order
    /// </summary>
    public string FraudStatus { get; set; }

    /// <summary>
    /// Gets or sets nopCommerce's order identifier once the order is saved
    /// </summary>
    public int? OrderId { get; set; }

    /// <summary>
    /// Gets or sets the last error (Klarna's code, message and correlation id, or the transport failure)
    /// </summary>
    public string LastError { get; set; }

    /// <summary>
    /// Gets or sets the date and time of the attempt (UTC)
    /// </summary>
    public DateTime CreatedOnUtc { get; set; }

    /// <summary>
    /// Gets or sets the date and time of the last change (UTC)
    /// </summary>
    public DateTime UpdatedOnUtc { get; set; }

    /// <summary>
    /// Gets or sets the status
    /// </summary>
    [NotMapped]
    public KlarnaCheckoutAttemptStatus Status
    {
        get => (KlarnaCheckoutAttemptStatus)StatusId;
        set => StatusId = (int)value;
    }
}
