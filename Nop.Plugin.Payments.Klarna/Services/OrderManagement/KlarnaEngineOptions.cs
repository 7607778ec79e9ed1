namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Represents the timing rules of the order engine (not per store: the same for every order)
/// </summary>
public class KlarnaEngineOptions
{
    /// <summary>
    /// Gets or sets how long after it was recorded a pending operation is still sent again with its idempotency key: Klarna
    /// replays a key for 24 hours after its first attempt; an hour less leaves room for clock differences
    /// </summary>
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromHours(23);

    /// <summary>
    /// Gets or sets the clock difference tolerated between the shop and Klarna when a capture or refund in Klarna's order is
    /// matched to a pending operation (it must not be older than the operation)
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets how long a command waits for an order lock another operation holds (nopCommerce's ILocker does not wait)
    /// </summary>
    public TimeSpan LockWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets the pause between two tries to take a held order lock
    /// </summary>
    public TimeSpan LockPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Gets or sets the time the lock keeps beyond the Klarna calls it guards (database work before and after them)
    /// </summary>
    public TimeSpan LockMargin { get; set; } = TimeSpan.FromSeconds(30);
}
