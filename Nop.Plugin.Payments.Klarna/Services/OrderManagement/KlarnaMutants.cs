using System.Collections.Concurrent;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Deliberate defects of the order engine ("mutants") that the model-based test suite must catch; each names a way
/// exactly-once has been broken before
/// </summary>
internal enum KlarnaMutant
{
    /// <summary>
    /// No defect: the engine as shipped
    /// </summary>
    None = 0,

    /// <summary>
    /// Every retry of a write (the client's retry, the replay of a pending operation) carries a new idempotency key
    /// </summary>
    FreshKeyOnEveryRetry = 1,

    /// <summary>
    /// The order lock is never taken
    /// </summary>
    NoLock = 2,

    /// <summary>
    /// A pending write older than the order lock's expiration is failed by its age, without asking Klarna
    /// </summary>
    PendingFailedByAge = 3,

    /// <summary>
    /// A write without an answer (timeout, dropped connection) is taken as refused
    /// </summary>
    LostAnswerIsFailure = 4,

    /// <summary>
    /// Klarna's 409 CONFLICT (the same key still being processed) is taken as a success
    /// </summary>
    ConflictIsSuccess = 5
}

/// <summary>
/// The switch of <see cref="KlarnaMutant"/>: internal (only the test project sees it, through InternalsVisibleTo), off
/// unless a test turns one on, and then only for its own asynchronous flow (an AsyncLocal), never for the shop. No code of
/// the plugin turns a mutant on: the shipped plugin always runs <see cref="KlarnaMutant.None"/>
/// </summary>
internal static class KlarnaMutants
{
    private sealed class Run
    {
        public Run(KlarnaMutant mutant) => Mutant = mutant;

        public KlarnaMutant Mutant { get; }

        public ConcurrentDictionary<string, byte> SentKeys { get; } = new(StringComparer.Ordinal);
    }

    private static readonly AsyncLocal<Run> _active = new();

    /// <summary>
    /// Gets the mutant of the current asynchronous flow
    /// </summary>
    internal static KlarnaMutant Active => _active.Value?.Mutant ?? KlarnaMutant.None;

    /// <summary>
    /// Turns a mutant on for the current asynchronous flow and what it starts (tests only)
    /// </summary>
    internal static void Activate(KlarnaMutant mutant) => _active.Value = mutant == KlarnaMutant.None ? null : new Run(mutant);

    /// <summary>
    /// Gets a value indicating whether a mutant is on in the current asynchronous flow
    /// </summary>
    internal static bool Is(KlarnaMutant mutant) => mutant != KlarnaMutant.None && Active == mutant;

    /// <summary>
    /// Gets the idempotency key to send for a recorded key: the recorded one (the first send of a mutant
    /// <see cref="KlarnaMutant.FreshKeyOnEveryRetry"/> too, every later send a new key)
    /// </summary>
    internal static string KeyToSend(string recordedKey)
    {
        var run = _active.Value;
        if (run?.Mutant != KlarnaMutant.FreshKeyOnEveryRetry || string.IsNullOrEmpty(recordedKey))
            return recordedKey;

        return run.SentKeys.TryAdd(recordedKey, 0) ? recordedKey : Guid.NewGuid().ToString();
    }
}
