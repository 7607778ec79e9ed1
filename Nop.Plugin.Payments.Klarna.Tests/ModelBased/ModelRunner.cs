using CsCheck;
using Nop.Plugin.Payments.Klarna.Tests.ModelBased.Mutants;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased;

/// <summary>
/// What one sequence did: the rules it broke, its operations and the requests that met a fault
/// </summary>
public sealed record ModelOutcome(ModelSequence Sequence, IReadOnlyList<string> Violations, int Operations, int FaultsHit)
{
    /// <summary>
    /// Gets the sequence and its violations as the test output prints them
    /// </summary>
    public string Describe() =>
        $"{Sequence}{Environment.NewLine}violations:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", Violations)}";
}

/// <summary>
/// Runs model sequences: each in a world of its own (set up, steps, final settle step, invariants), the totals counted for
/// the suite's summary line
/// </summary>
public sealed class ModelRunner
{
    private readonly ModelSuite _suite;
    private long _sequences;
    private long _operations;
    private long _faults;
    private long _concurrent;
    private long _violations;

    public ModelRunner(ModelSuite suite) => _suite = suite;

    /// <summary>
    /// Gets the suite's summary line
    /// </summary>
    public string SummaryLine =>
        $"Model-based suite: sequences {Interlocked.Read(ref _sequences)}, operations {Interlocked.Read(ref _operations)}, " +
        $"faults injected {Interlocked.Read(ref _faults)}, concurrent sequences {Interlocked.Read(ref _concurrent)}, violations {Interlocked.Read(ref _violations)}";

    public long Sequences => Interlocked.Read(ref _sequences);

    public long Violations => Interlocked.Read(ref _violations);

    /// <summary>
    /// Runs one sequence and checks the invariants after its final settle step
    /// </summary>
    /// <param name="sequence">Sequence</param>
    /// <param name="mutant">The engine mutant the shop runs instead of the plugin's own engine parts (None: the plugin's)</param>
    public async Task<ModelOutcome> RunAsync(ModelSequence sequence, EngineMutant mutant = EngineMutant.None)
    {
        List<string> violations;
        int faults;
        await using (var world = await ModelWorld.CreateAsync(_suite, sequence, mutant))
        {
            foreach (var step in sequence.Steps)
                await ModelActions.RunStepAsync(world, step);
            faults = world.FaultsHit;
            await world.SettleAsync();
            violations = ModelInvariants.Check(world);
        }

        Interlocked.Increment(ref _sequences);
        Interlocked.Add(ref _operations, sequence.Operations);
        Interlocked.Add(ref _faults, faults);
        if (sequence.IsConcurrent)
            Interlocked.Increment(ref _concurrent);
        if (violations.Count > 0)
            Interlocked.Increment(ref _violations);
        return new ModelOutcome(sequence, violations, sequence.Operations, faults);
    }

    /// <summary>
    /// The CsCheck property: a sequence with a violation fails, and CsCheck shrinks it to a short sequence it prints
    /// </summary>
    public async Task AssertAsync(ModelSequence sequence)
    {
        var outcome = await RunAsync(sequence);
        if (outcome.Violations.Count > 0)
            throw new ModelViolationException(outcome);
    }

    /// <summary>
    /// Runs sequences drawn from a fixed seed in shops running a mutant's engine part, up to a number of them, until one
    /// breaks a rule
    /// </summary>
    /// <returns>The first outcome with violations, or null</returns>
    public async Task<ModelOutcome> FindViolationAsync(EngineMutant mutant, ulong seed, int maxSequences, int parallel)
    {
        var pcg = new PCG(7, seed);
        var sequences = new Queue<ModelSequence>();
        for (var i = 0; i < maxSequences; i++)
            sequences.Enqueue(ModelGenerators.Sequence.Generate(pcg, null, out _));

        ModelOutcome found = null;
        var gate = new object();
        async Task worker()
        {
            while (true)
            {
                ModelSequence next;
                lock (gate)
                {
                    if (found is not null || sequences.Count == 0)
                        return;
                    next = sequences.Dequeue();
                }

                var outcome = await RunAsync(next, mutant);
                if (outcome.Violations.Count > 0)
                {
                    lock (gate)
                        found ??= outcome;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(worker)));
        return found;
    }
}

/// <summary>
/// A sequence broke a rule; the message is the readable sequence and its violations
/// </summary>
public sealed class ModelViolationException : Exception
{
    public ModelViolationException(ModelOutcome outcome)
        : base(outcome.Describe())
    {
    }
}
