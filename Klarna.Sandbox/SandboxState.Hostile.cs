using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Klarna.Sandbox.Models;

namespace Klarna.Sandbox;

/// <summary>
/// The sandbox's hostile, documentation-compatible behaviours: in-flight duplicates of an idempotency key, reads that lag
/// behind the last write, and the count of requests in flight
/// </summary>
public sealed partial class SandboxState
{
    #region Fields

    private readonly Dictionary<string, List<(DateTimeOffset From, string Json)>> _versions = new(StringComparer.OrdinalIgnoreCase);
    private string _inFlightDuplicates;
    private int _readLagMs;
    private int _inFlight;

    #endregion

    #region Properties

    /// <summary>
    /// Gets or sets what a write gets when its idempotency key belongs to an attempt still being processed
    /// (<see cref="SandboxOptions.InFlightConflict"/> or <see cref="SandboxOptions.InFlightWait"/>)
    /// </summary>
    public string InFlightDuplicates
    {
        get => _inFlightDuplicates ?? Options.InFlightDuplicates ?? SandboxOptions.InFlightConflict;
        set => _inFlightDuplicates = value;
    }

    /// <summary>
    /// Gets or sets the read lag in milliseconds: a GET of an order returns it as it was this long ago (sandbox clock), so a
    /// read right after a write may not show it yet (a hostile assumption: Klarna does not promise read-your-writes)
    /// </summary>
    public int ReadLagMs
    {
        get => Volatile.Read(ref _readLagMs);
        set
        {
            lock (_sync)
            {
                Volatile.Write(ref _readLagMs, Math.Max(0, value));
                _versions.Clear();
                foreach (var order in _orders.Values)
                    ObserveVersion(order);
            }
        }
    }

    /// <summary>
    /// Gets the number of Klarna requests being handled (a delayed or slow write is in flight until it is done)
    /// </summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    #endregion

    #region Methods

    internal void EnterRequest() => Interlocked.Increment(ref _inFlight);

    internal void LeaveRequest() => Interlocked.Decrement(ref _inFlight);

    /// <summary>
    /// Remembers the order as it is now when read lag is on (call under the state lock, after every change)
    /// </summary>
    internal void ObserveVersion(SandboxOrder order)
    {
        if (ReadLagMs <= 0 || order is null)
            return;

        var json = SandboxJson.Serialize(order);
        if (!_versions.TryGetValue(order.OrderId, out var versions))
            _versions[order.OrderId] = versions = new List<(DateTimeOffset, string)>();
        if (versions.Count == 0 || versions[^1].Json != json)
            versions.Add((DateTimeOffset.UtcNow + _clockOffset, json));
    }

    /// <summary>
    /// Renders an order for a Klarna GET: as it was <see cref="ReadLagMs"/> ago when read lag is on
    /// </summary>
    public SandboxResponse RenderOrder(SandboxOrder order)
    {
        lock (_sync)
        {
            if (ReadLagMs <= 0)
                return SandboxResponse.Json(200, order);

            ObserveVersion(order);
            var versions = _versions[order.OrderId];
            var asOf = DateTimeOffset.UtcNow + _clockOffset - TimeSpan.FromMilliseconds(ReadLagMs);
            var version = versions.LastOrDefault(v => v.From <= asOf);
            return new SandboxResponse { Status = 200, Body = version.Json ?? versions[0].Json };
        }
    }

    /// <summary>
    /// Forgets the hostile modes' state
    /// </summary>
    private void ResetHostileModes()
    {
        _inFlightDuplicates = null;
        Volatile.Write(ref _readLagMs, 0);
        _versions.Clear();
    }

    /// <summary>
    /// Runs a keyed write at most once per key within 24 hours (sandbox clock); repeats get the stored answer. A repeat
    /// that arrives while the first attempt is still being processed gets 409 CONFLICT (or waits for it, see
    /// <see cref="InFlightDuplicates"/>). Server errors (5xx) are not stored
    /// </summary>
    /// <param name="key">Idempotency key</param>
    /// <param name="call">The call (its correlation id for a conflict)</param>
    /// <param name="execute">The write</param>
    /// <param name="processingDelayMs">How long the write is processed before it takes effect (a "slow" fault)</param>
    internal async Task<(SandboxResponse Response, bool Replayed)> RunIdempotentAsync(string key, KlarnaCall call, Func<SandboxResponse> execute, int processingDelayMs = 0)
    {
        while (true)
        {
            var now = Now;
            var completion = new TaskCompletionSource<SandboxResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            var entry = new IdempotencyEntry(now, completion.Task);
            var existing = _idempotency.GetOrAdd(key, entry);

            if (ReferenceEquals(existing, entry))
            {
                SandboxResponse response;
                try
                {
                    if (processingDelayMs > 0)
                        await Task.Delay(processingDelayMs);
                    response = execute();
                }
                catch (Exception exception)
                {
                    _idempotency.TryRemove(new KeyValuePair<string, IdempotencyEntry>(key, entry));
                    completion.SetException(exception);
                    throw;
                }

                if (response.Status >= 500)
                    _idempotency.TryRemove(new KeyValuePair<string, IdempotencyEntry>(key, entry));
                completion.SetResult(response);
                return (response, false);
            }

            if (now - existing.CreatedAt > TimeSpan.FromHours(24))
            {
                _idempotency.TryRemove(new KeyValuePair<string, IdempotencyEntry>(key, existing));
                continue;
            }

            if (!existing.Response.IsCompleted && InFlightDuplicates != SandboxOptions.InFlightWait)
                return (call.Fail(409, "CONFLICT", "A request with this idempotency key is still being processed. Retry later with the same key."), false);

            return (await existing.Response.ConfigureAwait(false), true);
        }
    }

    #endregion
}
