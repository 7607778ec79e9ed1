namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// A clock for the order engine that runs with the real one, shifted by an offset the test moves (e.g. past Klarna's 24-hour
/// replay window)
/// </summary>
public sealed class TestTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
