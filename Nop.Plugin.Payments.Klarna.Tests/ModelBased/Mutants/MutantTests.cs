using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Infrastructure;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased.Mutants;

/// <summary>
/// The named hand-made mutants of the order engine (test-only subclasses of its parts, registered instead of the real
/// parts): with each one in the shop, the model-based suite must report a violation within a few sequences drawn from a
/// fixed seed (the suite is only worth its zeros if it fails on the bugs it exists for)
/// </summary>
[TestFixture]
[Category("ModelBased")]
[NonParallelizable]
public class MutantTests
{
    private const int MaxSequences = 300;

    [TestCase(EngineMutant.FreshKeyOnEveryRetry)]
    [TestCase(EngineMutant.NoLock)]
    [TestCase(EngineMutant.PendingFailedByAge)]
    [TestCase(EngineMutant.LostAnswerIsFailure)]
    [TestCase(EngineMutant.ConflictIsSuccess)]
    [TestCase(EngineMutant.NoOrderClaim)]
    public async Task The_model_based_suite_reports_violations_for_the_mutant(EngineMutant mutant)
    {
        await using var suite = new ModelSuite();
        var runner = new ModelRunner(suite);

        var found = await runner.FindViolationAsync(mutant, seed: ulong.TryParse(Environment.GetEnvironmentVariable("KLARNA_MODEL_MUTANT_SEED"), out var seed) ? seed : 20261205, MaxSequences, ModelBasedSuiteTests.Parallel);

        Assert.That(found, Is.Not.Null, $"{mutant}: no violation in {runner.Sequences} sequences");
        TestContext.Out.WriteLine($"{mutant}: caught after {runner.Sequences} sequences:{Environment.NewLine}{found.Describe()}");
    }

    [TestCase(EngineMutant.FreshKeyOnEveryRetry, typeof(KlarnaWriteSender), typeof(FreshKeyWriteSender))]
    [TestCase(EngineMutant.NoLock, typeof(KlarnaOrderLock), typeof(NoLockOrderLock))]
    [TestCase(EngineMutant.PendingFailedByAge, typeof(KlarnaPendingSettler), typeof(PendingFailedByAgeSettler))]
    [TestCase(EngineMutant.LostAnswerIsFailure, typeof(KlarnaWriteSender), typeof(LostAnswerIsFailureWriteSender))]
    [TestCase(EngineMutant.ConflictIsSuccess, typeof(KlarnaWriteSender), typeof(ConflictIsSuccessWriteSender))]
    [TestCase(EngineMutant.NoOrderClaim, typeof(KlarnaOrderClaims), typeof(NoClaimOrderClaims))]
    public void A_mutant_run_registers_the_mutant_part_instead_of_the_plugins_own(EngineMutant mutant, Type part, Type mutantPart)
    {
        var services = new ServiceCollection().AddKlarnaOrderManagement();
        Assert.That(services.Last(d => d.ServiceType == part).ImplementationType, Is.EqualTo(part), "the plugin registers its own part");

        EngineMutants.Register(services, mutant);

        Assert.That(services.Last(d => d.ServiceType == part).ImplementationType, Is.EqualTo(mutantPart));
    }

    [Test]
    public void A_plain_run_keeps_the_plugins_own_engine_parts()
    {
        var services = new ServiceCollection().AddKlarnaOrderManagement();
        var before = services.Count;

        EngineMutants.Register(services, EngineMutant.None);

        Assert.That(services, Has.Count.EqualTo(before));
    }
}
