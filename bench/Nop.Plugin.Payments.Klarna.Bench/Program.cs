using System.Globalization;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Nop.Plugin.Payments.Klarna.Services.Checkout;

namespace Nop.Plugin.Payments.Klarna.Bench;

/// <summary>
/// dotnet run -c Release --project bench/Nop.Plugin.Payments.Klarna.Bench -- MODE
///   all                       (a) capture, (b) order lines, (c) sync of 1,000 and 10,000 orders, then the figures as ratios
///   capture | lines           one BenchmarkDotNet class, then its figures
///   click                     one admin click (capture, refund, cancel) through the admin controller: its Klarna requests,
///                             lock acquisitions and order loads, and its time against a bare HttpClient at 0 and 20 ms
///   --sync [N ...] [--latency MS] [--concurrency C]
///                             one-shot status sync runs (default 1000 10000 orders, 20 ms, the settings' concurrency)
///   anything else             BenchmarkDotNet's switcher (e.g. --filter *Capture*)
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var mode = args.FirstOrDefault() ?? "all";
        Summary capture = null, lines = null;
        var syncs = new List<SyncFigures>();

        switch (mode)
        {
            case "all":
                capture = BenchmarkRunner.Run<CaptureBenchmarks>();
                lines = BenchmarkRunner.Run<OrderLineBuilderBenchmarks>();
                foreach (var orders in new[] { 1000, 10000 })
                    syncs.Add(await SyncRun.RunAsync(orders, 20));
                break;
            case "click":
                await ClickRun.RunAsync(Console.Out);
                return 0;
            case "diag":
                await Diag.RunAsync();
                return 0;
            case "capture":
                capture = BenchmarkRunner.Run<CaptureBenchmarks>();
                break;
            case "lines":
                lines = BenchmarkRunner.Run<OrderLineBuilderBenchmarks>();
                break;
            case "--sync":
            case "sync":
            {
                var counts = new List<int>();
                var latency = 20;
                int? concurrency = null;
                for (var i = 1; i < args.Length; i++)
                {
                    if (args[i] == "--latency")
                        latency = int.Parse(args[++i]);
                    else if (args[i] == "--concurrency")
                        concurrency = int.Parse(args[++i]);
                    else
                        counts.Add(int.Parse(args[i]));
                }

                foreach (var orders in counts.Count > 0 ? counts : new List<int> { 1000, 10000 })
                    syncs.Add(await SyncRun.RunAsync(orders, latency, concurrency));
                break;
            }
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }

        Console.WriteLine();
        Console.WriteLine(Figures.Format(capture, lines, syncs));
        return 0;
    }
}

/// <summary>
/// Turns the results into the ratios the issue asks for
/// </summary>
public static class Figures
{
    private static (double MeanNs, double Bytes) Of(Summary summary, Func<BenchmarkReport, bool> match)
    {
        var report = summary.Reports.FirstOrDefault(r => r.Success && match(r));
        if (report?.ResultStatistics is null)
            return (double.NaN, double.NaN);
        return (report.ResultStatistics.Median, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? double.NaN);
    }

    private static string Param(BenchmarkReport report, string name) =>
        report.BenchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value?.ToString();

    public static string Format(Summary capture, Summary lines, IList<SyncFigures> syncs)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("## Figures");
        text.AppendLine($"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}");

        if (capture is not null)
        {
            text.AppendLine();
            text.AppendLine("(a) one capture, plugin / bare HttpClient (same Klarna calls: GET order + POST capture; sandbox on 127.0.0.1; medians)");
            foreach (var latency in capture.Reports.Select(r => Param(r, nameof(CaptureBenchmarks.LatencyMs))).Distinct())
            {
                var bare = Of(capture, r => Param(r, nameof(CaptureBenchmarks.LatencyMs)) == latency && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(CaptureBenchmarks.Bare));
                var plugin = Of(capture, r => Param(r, nameof(CaptureBenchmarks.LatencyMs)) == latency && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(CaptureBenchmarks.Plugin));
                text.AppendLine($"    sandbox latency {latency} ms per request:");
                text.AppendLine($"      time       plugin/bare = {plugin.MeanNs / bare.MeanNs:0.00}   (target <= 1.30; bare {bare.MeanNs / 1000:0} us, plugin {plugin.MeanNs / 1000:0} us, plugin's own {(plugin.MeanNs - bare.MeanNs) / 1000:0} us)");
                text.AppendLine($"      allocated  plugin/bare = {plugin.Bytes / bare.Bytes:0.00}   (bare {bare.Bytes / 1024:0.0} KB, plugin {plugin.Bytes / 1024:0.0} KB; both include the in-process sandbox's share)");
            }
        }

        if (lines is not null)
        {
            text.AppendLine();
            text.AppendLine("(b) KlarnaOrderLineBuilder.Build: per-item cost, and growth per 10x items (1.00 = linear)");
            foreach (var skus in lines.Reports.Select(r => Param(r, "Skus")).Distinct())
            {
                var points = lines.Reports.Where(r => Param(r, "Skus") == skus && r.Success && r.ResultStatistics is not null)
                    .Select(r => (Items: int.Parse(Param(r, "Items")), Ns: r.ResultStatistics.Median, Bytes: r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? double.NaN))
                    .OrderBy(p => p.Items).ToList();
                text.AppendLine($"    {skus}:");
                for (var i = 0; i < points.Count; i++)
                {
                    var p = points[i];
                    var growth = i == 0 ? string.Empty
                        : $"   time x{p.Ns / points[i - 1].Ns:0.0} for x{p.Items / points[i - 1].Items} items (per item {p.Ns / p.Items / (points[i - 1].Ns / points[i - 1].Items):0.00}), " +
                          $"bytes per item {p.Bytes / p.Items / (points[i - 1].Bytes / points[i - 1].Items):0.00}";
                    text.AppendLine($"      {p.Items,5} items: {p.Ns / p.Items,8:0} ns/item {p.Bytes / p.Items,8:0} B/item{growth}");
                }
            }
        }

        if (syncs.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("(c) status sync, one-shot runs (sandbox adds the latency to every request): actual / ideal, ideal = requests x latency / concurrency");
            foreach (var s in syncs)
            {
                text.AppendLine($"    {s.Orders,6} orders: actual/ideal = {s.ActualToIdeal:0.00} (target <= 1.50; {s.Wall.TotalSeconds:0.0} s vs {s.Ideal.TotalSeconds:0.0} s; {s.Requests} requests, " +
                    $"{s.LatencyMs} ms, concurrency {s.Concurrency}); bare HttpClient/ideal = {s.BareToIdeal:0.00}; checked {s.Checked}, failed {s.Failed}");
                text.AppendLine($"                  allocated per order {s.AllocatedPerOrder / 1024:0.0} KB (bare GET {s.BareAllocatedPerOrder / 1024:0.0} KB, plugin's own {(s.AllocatedPerOrder - s.BareAllocatedPerOrder) / 1024:0.0} KB); " +
                    $"peak managed heap growth {s.PeakHeapGrowth / 1048576.0:0.0} MB over {s.HeapBefore / 1048576.0:0.0} MB; peak working set {s.PeakWorkingSet / 1048576.0:0} MB (before {s.WorkingSetBefore / 1048576.0:0} MB)");
                text.AppendLine($"                  per order: {s.SettingsLoadsPerOrder:0.00} settings loads, {s.RecordReadsPerOrder:0.00} record reads, {s.OperationReadsPerOrder:0.00} operation reads");
            }

            if (syncs.Count >= 2)
            {
                var (small, large) = (syncs[0], syncs[^1]);
                text.AppendLine($"    memory: peak heap growth {large.Orders}/{small.Orders} orders = {(double)large.PeakHeapGrowth / Math.Max(1, small.PeakHeapGrowth):0.00} " +
                    $"(flat = 1, linear = {(double)large.Orders / small.Orders:0}); allocated per order {large.AllocatedPerOrder / small.AllocatedPerOrder:0.00}x");
            }
        }

        return text.ToString();
    }
}
