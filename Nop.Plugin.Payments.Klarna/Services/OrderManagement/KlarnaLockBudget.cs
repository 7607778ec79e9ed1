using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// How long the order lock must live (pure): longer than everything it guards. One command reads Klarna's order and sends
/// one write, each of them at most <see cref="KlarnaRequestBudget.WorstCase"/> long (the API client stops a request there),
/// plus the database work around them. The executor checks before each write that the lock still has a whole write's worst
/// case left, so a write never outlives its lock
/// </summary>
public static class KlarnaLockBudget
{
    /// <summary>
    /// Gets the per-attempt timeout of the shop's Klarna requests: the store's setting (at most 60 s), else the client's default
    /// </summary>
    /// <param name="settings">Settings of the order's store</param>
    /// <param name="clientOptions">Options of the API client</param>
    /// <returns>The per-attempt timeout</returns>
    public static TimeSpan PerAttempt(KlarnaSettings settings, KlarnaApiClientOptions clientOptions) =>
        KlarnaRequestBudget.PerAttempt(settings?.RequestTimeoutSeconds > 0 ? TimeSpan.FromSeconds(settings.RequestTimeoutSeconds) : null, clientOptions);

    /// <summary>
    /// Gets the worst case of one Klarna request (read or write) of the shop
    /// </summary>
    /// <param name="settings">Settings of the order's store</param>
    /// <param name="clientOptions">Options of the API client</param>
    /// <returns>The worst case</returns>
    public static TimeSpan WorstRequest(KlarnaSettings settings, KlarnaApiClientOptions clientOptions) =>
        KlarnaRequestBudget.WorstCase(PerAttempt(settings, clientOptions), clientOptions);

    /// <summary>
    /// Gets what a write needs left of the lock before it is sent: its worst case plus the margin for the work after it
    /// </summary>
    /// <param name="settings">Settings of the order's store</param>
    /// <param name="clientOptions">Options of the API client</param>
    /// <param name="engineOptions">Options of the engine</param>
    /// <returns>The time needed</returns>
    public static TimeSpan NeededForWrite(KlarnaSettings settings, KlarnaApiClientOptions clientOptions, KlarnaEngineOptions engineOptions) =>
        WorstRequest(settings, clientOptions) + (engineOptions ?? new KlarnaEngineOptions()).LockMargin;

    /// <summary>
    /// Gets the expiration of the order lock: a read and a write at their worst, plus the margin
    /// </summary>
    /// <param name="settings">Settings of the order's store</param>
    /// <param name="clientOptions">Options of the API client</param>
    /// <param name="engineOptions">Options of the engine</param>
    /// <returns>The lock expiration</returns>
    public static TimeSpan Expiration(KlarnaSettings settings, KlarnaApiClientOptions clientOptions, KlarnaEngineOptions engineOptions) =>
        WorstRequest(settings, clientOptions) + NeededForWrite(settings, clientOptions, engineOptions);
}
