using System.Diagnostics;
using CsCheck;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased;

/// <summary>
/// The model-based suite: random sequences of what happens to Klarna orders in a shop (admin clicks, nopCommerce's buttons
/// and events, the status sync, notifications, the Merchant Portal, expiry, the clock), 1 to 4 actors at once, faults drawn
/// per request, two kinds of ILocker and the sandbox's read lag, against the plugin's real services and controllers and the
/// real sandbox over HTTP. A failure shrinks to a short sequence printed in the test output. It prints one summary line.
/// KLARNA_MODEL_SEQUENCES=100000 runs a long search (default 2,000); KLARNA_MODEL_SEED=... replays CsCheck's seed of a failure
/// </summary>
[TestFixture]
[Category("ModelBased")]
[NonParallelizable]
public class ModelBasedSuiteTests
{
    /// <summary>
    /// Gets the number of sequences of a run (the normal run: 2,000)
    /// </summary>
    public static long SequenceCount =>
        long.TryParse(Environment.GetEnvironmentVariable("KLARNA_MODEL_SEQUENCES"), out var count) && count > 0 ? count : 2000;

    /// <summary>
    /// Gets how many sequences run at once (each with its own sandbox; most of a sequence's time is spent waiting for
    /// timeouts, so more run at once than there are cores)
    /// </summary>
    public static int Parallel =>
        int.TryParse(Environment.GetEnvironmentVariable("KLARNA_MODEL_PARALLEL"), out var parallel) && parallel > 0 ? parallel : 24;

    [Test]
    public async Task Random_sequences_with_faults_and_concurrent_actors_keep_every_invariant()
    {
        await using var suite = new ModelSuite();
        var runner = new ModelRunner(suite);
        var watch = Stopwatch.StartNew();
        Exception failure = null;
        try
        {
            await ModelGenerators.Sequence.SampleAsync(runner.AssertAsync, iter: SequenceCount, threads: Parallel,
                seed: Environment.GetEnvironmentVariable("KLARNA_MODEL_SEED"), print: sequence => sequence.ToString());
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        var line = runner.SummaryLine;
        TestContext.Progress.WriteLine(line);
        TestContext.Out.WriteLine($"The model-based run took {watch.Elapsed.TotalSeconds:0} s");
        if (failure is not null)
            Assert.Fail($"{line}{Environment.NewLine}{failure}");
        Assert.That(runner.Sequences, Is.GreaterThanOrEqualTo(SequenceCount), line);
    }
}
