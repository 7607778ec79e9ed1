using System.ComponentModel.DataAnnotations.Schema;
using Nop.Core;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Domain;

/// <summary>
/// Represents the Klarna side of one nopCommerce order paid with Klarna (amounts in minor units of <see cref="CurrencyCode"/>)
/// </summary>
public class KlarnaOrderRecord : BaseEntity
{
    /// <summary>
    /// Gets or sets the nopCommerce order identifier
    /// </summary>
    public int OrderId { get; set; }

    /// <summary>
    /// Gets or sets the store identifier
    /// </summary>
    public int StoreId { get; set; }

    /// <summary>
    /// Gets or sets Klarna's order id (UUID)
    /// </summary>
    public string KlarnaOrderId { get; set; }

    /// <summary>
    /// Gets or sets Klarna's short customer-facing reference
    /// </summary>
    public string KlarnaReference { get; set; }

    /// <summary>
    /// Gets or sets the Klarna Payments session id
    /// </summary>
    public string SessionId { get; set; }

    /// <summary>
    /// Gets or sets the region identifier the order was placed in (<see cref="KlarnaRegion"/>)
    /// </summary>
    public int RegionId { get; set; }

    /// <summary>
    /// Gets or sets the environment identifier the order was placed in (<see cref="KlarnaEnvironment"/>)
    /// </summary>
    public int EnvironmentId { get; set; }

    /// <summary>
    /// Gets or sets the purchase currency (ISO 4217)
    /// </summary>
    public string CurrencyCode { get; set; }

    /// <summary>
    /// Gets or sets the last known fraud status
    /// </summary>
    public string FraudStatus { get; set; }

    /// <summary>
    /// Gets or sets the last known Klarna order status
    /// </summary>
    public string KlarnaStatus { get; set; }

    /// <summary>
    /// Gets or sets the order amount (minor units)
    /// </summary>
    public long OrderAmountMinor { get; set; }

    /// <summary>
    /// Gets or sets the captured amount (minor units)
    /// </summary>
    public long CapturedAmountMinor { get; set; }

    /// <summary>
    /// Gets or sets the refunded amount (minor units)
    /// </summary>
    public long RefundedAmountMinor { get; set; }

    /// <summary>
    /// Gets or sets the remaining authorized amount (minor units)
    /// </summary>
    public long RemainingAuthorizedAmountMinor { get; set; }

    /// <summary>
    /// Gets or sets when the authorization expires
    /// </summary>
    public DateTime? ExpiresAtUtc { get; set; }

    /// <summary>
    /// Gets or sets Klarna's label of the payment method the customer chose
    /// </summary>
    public string InitialPaymentMethod { get; set; }

    /// <summary>
    /// Gets or sets the comma-separated <see cref="KlarnaStatusEvent"/> names already applied to the order status
    /// </summary>
    public string AppliedStatusEvents { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the next synchronization should read this order
    /// </summary>
    public bool SyncRequested { get; set; }

    /// <summary>
    /// Gets or sets the date and time of creation
    /// </summary>
    public DateTime CreatedOnUtc { get; set; }

    /// <summary>
    /// Gets or sets the date and time of the last update
    /// </summary>
    public DateTime UpdatedOnUtc { get; set; }

    /// <summary>
    /// Gets or sets the date and time of the last read of Klarna's order
    /// </summary>
    public DateTime? LastSyncedOnUtc { get; set; }

    /// <summary>
    /// Gets or sets the region
    /// </summary>
    [NotMapped]
    public KlarnaRegion Region
    {
        get => (KlarnaRegion)RegionId;
        set => RegionId = (int)value;
    }

    /// <summary>
    /// Gets or sets the environment
    /// </summary>
    [NotMapped]
    public KlarnaEnvironment Environment
    {
        get => (KlarnaEnvironment)EnvironmentId;
        set => EnvironmentId = (int)value;
    }
}
