using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Klarna.Sandbox.Models;

namespace Klarna.Sandbox;

/// <summary>
/// Represents the in-memory state of the sandbox: sessions, authorizations, orders, idempotency store, faults, request log
/// and the sandbox clock. All order changes happen under one lock, so concurrent requests are serialized like Klarna's
/// </summary>
public sealed partial class SandboxState
{
    #region Fields

    private readonly object _sync = new();
    private readonly Dictionary<string, SandboxSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SandboxAuthorization> _authorizations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SandboxOrder> _orders = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, IdempotencyEntry> _idempotency = new(StringComparer.Ordinal);
    private readonly List<SandboxFault> _faults = new();
    private readonly List<RecordedRequest> _requests = new();
    private long _sequence;
    private TimeSpan _clockOffset = TimeSpan.Zero;

    #endregion

    #region Ctor

    public SandboxState(SandboxOptions options)
    {
        Options = options ?? new SandboxOptions();
        Notifier = new SandboxNotifier(Options);
    }

    #endregion

    #region Properties

    /// <summary>
    /// Gets the options (accepted credentials, authorization period)
    /// </summary>
    public SandboxOptions Options { get; }

    /// <summary>
    /// Gets the sender of Klarna's notifications (with their resends until answered 200)
    /// </summary>
    public SandboxNotifier Notifier { get; }

    /// <summary>
    /// Gets the sandbox clock (real UTC time plus the offset moved by the control API)
    /// </summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (_sync)
                return DateTimeOffset.UtcNow + _clockOffset;
        }
    }

    /// <summary>
    /// Gets or sets the latency added to every Klarna request in milliseconds
    /// </summary>
    public int LatencyMs { get; set; }

    /// <summary>
    /// Gets a snapshot of the recorded Klarna requests (Authorization masked)
    /// </summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
                return _requests.ToList();
        }
    }

    #endregion

    #region Methods: state access for tests and the control API

    /// <summary>
    /// Gets an order (the live object: read it, do not change it)
    /// </summary>
    public SandboxOrder GetOrder(string orderId)
    {
        lock (_sync)
        {
            if (orderId is null || !_orders.TryGetValue(orderId, out var order))
                return null;

            RefreshExpiry(order);
            return order;
        }
    }

    /// <summary>
    /// Gets all orders
    /// </summary>
    public IReadOnlyList<SandboxOrder> GetOrders()
    {
        lock (_sync)
            return _orders.Values.ToList();
    }

    /// <summary>
    /// Gets a session
    /// </summary>
    public SandboxSession GetSession(string sessionId)
    {
        lock (_sync)
            return sessionId is not null && _sessions.TryGetValue(sessionId, out var session) ? session : null;
    }

    /// <summary>
    /// Counts recorded requests by method and path pattern (* = one path segment, ** = anything)
    /// </summary>
    public int CountRequests(string method, string pathPattern)
    {
        var regex = PatternToRegex(pathPattern);
        return Requests.Count(r => (method is null || string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)) && regex.IsMatch(r.Path));
    }

    /// <summary>
    /// Clears the recorded requests
    /// </summary>
    public void ClearRequests()
    {
        lock (_requests)
            _requests.Clear();
    }

    /// <summary>
    /// Adds a fault
    /// </summary>
    public SandboxFault AddFault(SandboxFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        fault.Id ??= Guid.NewGuid().ToString("N");
        fault.Kind = fault.Kind?.Trim().ToLowerInvariant();
        lock (_faults)
            _faults.Add(fault);

        return fault;
    }

    /// <summary>
    /// Gets the active faults
    /// </summary>
    public IReadOnlyList<SandboxFault> GetFaults()
    {
        lock (_faults)
            return _faults.ToList();
    }

    /// <summary>
    /// Removes all faults
    /// </summary>
    public void ClearFaults()
    {
        lock (_faults)
            _faults.Clear();
    }

    /// <summary>
    /// Moves the sandbox clock forward
    /// </summary>
    public void AdvanceClock(TimeSpan by)
    {
        lock (_sync)
            _clockOffset += by;
    }

    /// <summary>
    /// Forgets everything (orders, sessions, idempotency keys, faults, latency, requests, clock)
    /// </summary>
    public void Reset()
    {
        lock (_sync)
        {
            _sessions.Clear();
            _authorizations.Clear();
            _orders.Clear();
            _idempotency.Clear();
            _clockOffset = TimeSpan.Zero;
        }

        ClearFaults();
        ClearRequests();
        Notifier.Clear();
        LatencyMs = 0;
    }

    #endregion

    #region Methods: pipeline support

    internal RecordedRequest Record(RecordedRequest request)
    {
        request.Sequence = Interlocked.Increment(ref _sequence);
        lock (_requests)
            _requests.Add(request);

        return request;
    }

    /// <summary>
    /// Finds the first fault matching the request and consumes one of its hits
    /// </summary>
    internal SandboxFault TakeFault(string method, string path)
    {
        lock (_faults)
        {
            var fault = _faults.FirstOrDefault(f =>
                (string.IsNullOrEmpty(f.Method) || string.Equals(f.Method, method, StringComparison.OrdinalIgnoreCase))
                && PatternToRegex(string.IsNullOrEmpty(f.PathPattern) ? "**" : f.PathPattern).IsMatch(path));
            if (fault is null)
                return null;

            var times = fault.Times ?? 1;
            if (times > 0)
            {
                fault.Times = times - 1;
                if (fault.Times == 0)
                    _faults.Remove(fault);
            }

            return fault;
        }
    }

    /// <summary>
    /// Runs a keyed write at most once per key within 24 hours (sandbox clock); repeats get the stored answer, concurrent
    /// duplicates wait for the first. Server errors (5xx) are not stored
    /// </summary>
    internal async Task<(SandboxResponse Response, bool Replayed)> RunIdempotentAsync(string key, Func<SandboxResponse> execute)
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

            return (await existing.Response.ConfigureAwait(false), true);
        }
    }

    internal static Regex PatternToRegex(string pattern)
    {
        var escaped = Regex.Escape(pattern.Trim()).Replace(@"\*\*", "\u0001").Replace(@"\*", "[^/]+").Replace("\u0001", ".*");
        return new Regex($"^/?{escaped.TrimStart('/')}/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    #endregion

    #region Utilities

    private static string NewKlarnaReference()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return new string(Enumerable.Range(0, 7).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray());
    }

    /// <summary>
    /// Applies expiry: an uncaptured order becomes EXPIRED, a part-captured one CLOSED; nothing remains capturable
    /// </summary>
    private void RefreshExpiry(SandboxOrder order)
    {
        if (DateTimeOffset.UtcNow + _clockOffset <= order.ExpiresAt)
            return;

        if (order.Status == OrderStatus.Authorized)
        {
            order.Status = OrderStatus.Expired;
            order.RemainingAuthorizedAmount = 0;
        }
        else if (order.Status == OrderStatus.PartCaptured)
        {
            order.Status = OrderStatus.Closed;
            order.RemainingAuthorizedAmount = 0;
        }
    }

    #endregion

    #region Nested types

    private sealed record IdempotencyEntry(DateTimeOffset CreatedAt, Task<SandboxResponse> Response);

    /// <summary>
    /// Represents Klarna's order statuses
    /// </summary>
    public static class OrderStatus
    {
        public const string Authorized = "AUTHORIZED";
        public const string PartCaptured = "PART_CAPTURED";
        public const string Captured = "CAPTURED";
        public const string Cancelled = "CANCELLED";
        public const string Expired = "EXPIRED";
        public const string Closed = "CLOSED";
    }

    #endregion
}
