using System.Collections.Concurrent;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased.Mutants;

/// <summary>
/// The recorded keys a world's writes were sent with (one per world: the first send and its replays come from different
/// service scopes)
/// </summary>
public sealed class SentKeys
{
    private readonly ConcurrentDictionary<string, byte> _sent = new(StringComparer.Ordinal);

    /// <summary>
    /// Notes a recorded key as sent
    /// </summary>
    /// <returns>True on its first send</returns>
    public bool First(string recordedKey) => _sent.TryAdd(recordedKey, 0);
}

/// <summary>
/// The mutant <see cref="EngineMutant.FreshKeyOnEveryRetry"/>: the first send of an operation carries its recorded key,
/// every later send (a replay of the pending operation) a new one
/// </summary>
public sealed class FreshKeyWriteSender : KlarnaWriteSender
{
    private readonly SentKeys _sentKeys;

    public FreshKeyWriteSender(IKlarnaApiClient apiClient, SentKeys sentKeys)
        : base(apiClient)
    {
        _sentKeys = sentKeys;
    }

    /// <inheritdoc />
    protected override string IdempotencyKeyOf(KlarnaOperation operation)
    {
        var recorded = base.IdempotencyKeyOf(operation);
        if (string.IsNullOrEmpty(recorded))
            return recorded;

        return _sentKeys.First(recorded) ? recorded : Guid.NewGuid().ToString();
    }
}
