using Nop.Core;

namespace Nop.Plugin.Payments.Klarna.Domain;

/// <summary>
/// Represents the database's part of an order lock: the row of a held order (one per order, under a unique index), with
/// the token of the flow that holds it and when it expires
/// </summary>
public class KlarnaOrderClaim : BaseEntity
{
    /// <summary>
    /// Gets or sets the nopCommerce order identifier (unique)
    /// </summary>
    public int OrderId { get; set; }

    /// <summary>
    /// Gets or sets the token of the flow that holds the order (only that flow removes the row)
    /// </summary>
    public string Token { get; set; }

    /// <summary>
    /// Gets or sets when the claim expires (the lock's expiration after it was taken): a later flow may remove it then
    /// </summary>
    public DateTime ExpiresOnUtc { get; set; }
}
