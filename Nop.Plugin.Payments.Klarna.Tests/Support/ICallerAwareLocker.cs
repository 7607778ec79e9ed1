namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// A test ILocker that can tell whether the calling flow itself runs inside its lock of a key and that lock has not
/// expired. DistributedCacheLocker checks and sets a key in two steps, and a holder removes the key when it finishes even
/// if it expired and another flow took it meanwhile; so "the key is set" says little about the flow that sends a write,
/// while "this flow took the key and its time is not over" is what the plugin answers for
/// </summary>
public interface ICallerAwareLocker
{
    /// <summary>
    /// Gets a value indicating whether the calling flow runs inside its own, unexpired lock of the key
    /// </summary>
    bool IsHeldByCaller(string key);
}

/// <summary>
/// A lock the current asynchronous flow holds (flows with the execution context into the locked action, and only there)
/// </summary>
public sealed record LockHolding(string Key, DateTime ExpiresAt, LockHolding Outer)
{
    public static LockHolding Find(LockHolding holding, string key)
    {
        for (var current = holding; current is not null; current = current.Outer)
        {
            if (current.Key == key)
                return current;
        }

        return null;
    }
}
