using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased;

/// <summary>
/// The named hand-made mutants of the order engine (KlarnaMutants, a test-only switch): with each one on, the model-based
/// suite must report a violation within a few sequences drawn from a fixed seed (the suite is only worth its zeros if it
/// fails on the bugs it exists for)
/// </summary>
[TestFixture]
[Category("ModelBased")]
[NonParallelizable]
public class MutantTests
{
    private const int MaxSequences = 300;

    [TestCase("FreshKeyOnEveryRetry")]
    [TestCase("NoLock")]
    [TestCase("PendingFailedByAge")]
    [TestCase("LostAnswerIsFailure")]
    [TestCase("ConflictIsSuccess")]
    public async Task The_model_based_suite_reports_violations_for_the_mutant(string name)
    {
        var mutant = Enum.Parse<KlarnaMutant>(name);
        await using var suite = new ModelSuite();
        var runner = new ModelRunner(suite);

        var found = await runner.FindViolationAsync(mutant, seed: ulong.TryParse(Environment.GetEnvironmentVariable("KLARNA_MODEL_MUTANT_SEED"), out var seed) ? seed : 20261205, MaxSequences, ModelBasedSuiteTests.Parallel);

        Assert.That(found, Is.Not.Null, $"{mutant}: no violation in {runner.Sequences} sequences");
        TestContext.Out.WriteLine($"{mutant}: caught after {runner.Sequences} sequences:{Environment.NewLine}{found.Describe()}");
    }

    [Test]
    public void The_shipped_engine_runs_no_mutant()
    {
        Assert.That(KlarnaMutants.Active, Is.EqualTo(KlarnaMutant.None));
    }
}
