using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Nop.Plugin.Payments.Klarna.Bench;

/// <summary>
/// Short jobs for a shared, noisy 2-core machine: in-process (no generated project to build; the sandbox runs in the same
/// process), few iterations, memory diagnoser
/// </summary>
public static class BenchConfigs
{
    private static ManualConfig Base() => ManualConfig.CreateEmpty()
        .AddColumnProvider(DefaultColumnProviders.Instance)
        .AddLogger(ConsoleLogger.Default)
                .AddDiagnoser(MemoryDiagnoser.Default)
        .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile)
        .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "klarna-bench-artifacts"));

    /// <summary>
    /// Capture: every invocation needs a fresh authorized order, made in [IterationSetup]; hence a fixed invocation count
    /// </summary>
    public sealed class CaptureConfig : ManualConfig
    {
        public const int InvocationsPerIteration = 48;

        public CaptureConfig()
        {
            Add(Base());
            AddJob(new Job("short-inprocess")
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(3)
                .WithIterationCount(8)
                .WithInvocationCount(InvocationsPerIteration)
                .WithUnrollFactor(1)
                .WithLaunchCount(1));
        }
    }

    /// <summary>
    /// Order lines: pure CPU, BenchmarkDotNet chooses the invocation count
    /// </summary>
    public sealed class LinesConfig : ManualConfig
    {
        public LinesConfig()
        {
            Add(Base());
            AddJob(Job.ShortRun
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(3)
                .WithIterationCount(5)
                .WithLaunchCount(1)
                .WithId("short-inprocess"));
        }
    }
}
