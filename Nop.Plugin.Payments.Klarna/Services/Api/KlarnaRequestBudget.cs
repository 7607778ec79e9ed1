using System;

namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Represents the longest time one request to Klarna can take through the client: every attempt up to its timeout, plus
/// the waits between attempts (exponential backoff and Retry-After, both capped at <see cref="KlarnaApiClientOptions.MaxDelay"/>;
/// a server asking for a longer pause is not retried). The resilience pipeline stops a request at this total, and the
/// order lock of the plugin is held longer than it (so a write never outlives its lock)
/// </summary>
public static class KlarnaRequestBudget
{
    /// <summary>
    /// Gets the longest per-attempt timeout the client accepts, whatever a caller asks for
    /// </summary>
    public static TimeSpan MaxPerAttemptTimeout => TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets the per-attempt timeout of a request: the caller's (the shop's setting), else the client's default, at most <see cref="MaxPerAttemptTimeout"/>
    /// </summary>
    /// <param name="requested">Timeout the request carries (<see cref="KlarnaCredentials.Timeout"/>); null for the client's default</param>
    /// <param name="options">Client options</param>
    /// <returns>The per-attempt timeout</returns>
    public static TimeSpan PerAttempt(TimeSpan? requested, KlarnaApiClientOptions options)
    {
        var timeout = requested is { } value && value > TimeSpan.Zero ? value : (options ?? new KlarnaApiClientOptions()).Timeout;
        if (timeout <= TimeSpan.Zero)
            timeout = TimeSpan.FromSeconds(30);

        return timeout > MaxPerAttemptTimeout ? MaxPerAttemptTimeout : timeout;
    }

    /// <summary>
    /// Gets the worst case of one request: attempts x per-attempt timeout + retries x the longest wait between attempts
    /// </summary>
    /// <param name="perAttempt">Per-attempt timeout (see <see cref="PerAttempt"/>)</param>
    /// <param name="options">Client options (retries, longest wait)</param>
    /// <returns>The worst case</returns>
    public static TimeSpan WorstCase(TimeSpan perAttempt, KlarnaApiClientOptions options)
    {
        options ??= new KlarnaApiClientOptions();
        var retries = Math.Max(0, options.MaxRetries);
        var wait = options.MaxDelay > TimeSpan.Zero ? options.MaxDelay : TimeSpan.Zero;

        return perAttempt * (retries + 1) + wait * retries;
    }
}
