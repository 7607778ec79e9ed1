using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Nop.Plugin.Payments.Klarna.Bench.Support;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;

namespace Nop.Plugin.Payments.Klarna.Bench;

/// <summary>
/// The figures of one status sync run
/// </summary>
public sealed class SyncFigures
{
    public int Orders;
    public int Concurrency;
    public int LatencyMs;
    public long Requests;
    public TimeSpan Wall;
    public TimeSpan Ideal;
    public TimeSpan BareWall;
    public double AllocatedPerOrder;
    public double BareAllocatedPerOrder;
    public long HeapBefore;
    public long PeakHeapGrowth;
    public long PeakWorkingSet;
    public long WorkingSetBefore;
    public double SettingsLoadsPerOrder;
    public double RecordReadsPerOrder;
    public double OperationReadsPerOrder;
    public int Checked;
    public int Failed;

    public double ActualToIdeal => Wall.TotalMilliseconds / Ideal.TotalMilliseconds;

    public double BareToIdeal => BareWall.TotalMilliseconds / Ideal.TotalMilliseconds;
}

/// <summary>
/// (c) One-shot measurement of a status sync over many open orders with the sandbox adding latency to every request.
/// A sync of 10,000 orders at 20 ms and concurrency 4 takes close to a minute: BenchmarkDotNet's warmups and repeated
/// iterations make no sense there, so this mode runs it once (after a small warm-up run for the JIT) and prints the figures
/// </summary>
public static class SyncRun
{
    private static bool _warm;

    public static async Task<SyncFigures> RunAsync(int orders, int latencyMs, int? concurrency = null, TextWriter log = null)
    {
        log ??= Console.Out;
        if (!_warm)
        {
            _warm = true;
            await RunOnceAsync(40, 0, concurrency, TextWriter.Null);
        }

        return await RunOnceAsync(orders, latencyMs, concurrency, log);
    }

    private static async Task<SyncFigures> RunOnceAsync(int orders, int latencyMs, int? concurrency, TextWriter log)
    {
        await using var shop = await BenchShop.StartAsync(settings =>
        {
            if (concurrency is int value)
                settings.SyncConcurrency = value;
        });

        log.WriteLine($"sync: creating {orders} open orders...");
        for (var i = 0; i < orders; i++)
            shop.CreateOrder();

        using (var control = shop.Sandbox.CreateControlClient())
        {
            using var response = await control.PostAsync("_sandbox/latency", new StringContent($"{{\"ms\":{latencyMs}}}", Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }

        shop.Sandbox.State.ClearRequests();
        shop.SettingService.ResetCounters();
        shop.RecordTable.ResetCounters();
        shop.OperationTable.ResetCounters();
        Interlocked.Exchange(ref shop.KlarnaRequests, 0);

        var figures = new SyncFigures { Orders = orders, LatencyMs = latencyMs, Concurrency = Math.Clamp(shop.Settings.SyncConcurrency, 1, KlarnaStatusSyncService.MaxConcurrency) };

        // the plugin's sync
        var (wall, allocated, peakHeap, peakWs, heapBefore, wsBefore, status) = await MeasureAsync(shop, async () =>
        {
            using var scope = shop.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<IKlarnaStatusSyncService>().SyncAsync();
        });

        figures.Wall = wall;
        figures.Requests = Interlocked.Read(ref shop.KlarnaRequests);
        figures.Ideal = TimeSpan.FromMilliseconds(figures.Requests * (double)latencyMs / figures.Concurrency);
        figures.AllocatedPerOrder = allocated / (double)orders;
        figures.HeapBefore = heapBefore;
        figures.PeakHeapGrowth = peakHeap - heapBefore;
        figures.WorkingSetBefore = wsBefore;
        figures.PeakWorkingSet = peakWs;
        figures.SettingsLoadsPerOrder = shop.SettingService.Loads / (double)orders;
        figures.RecordReadsPerOrder = shop.RecordTable.Reads / (double)orders;
        figures.OperationReadsPerOrder = shop.OperationTable.Reads / (double)orders;
        figures.Checked = status.CheckedCount;
        figures.Failed = status.FailedCount;

        // the same reads sent with a bare HttpClient at the same concurrency: the floor of the machine and the sandbox
        var klarnaOrderIds = shop.RecordTable.Table.Select(r => r.KlarnaOrderId).ToList();
        using var bare = new HttpClient { BaseAddress = shop.Sandbox.BaseUri };
        bare.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{BenchShop.Username}:{BenchShop.Password}")));
        var (bareWall, bareAllocated, _, _, _, _, _) = await MeasureAsync(shop, async () =>
        {
            await Parallel.ForEachAsync(klarnaOrderIds, new ParallelOptions { MaxDegreeOfParallelism = figures.Concurrency }, async (id, token) =>
            {
                using var response = await bare.GetAsync($"ordermanagement/v1/orders/{id}", token);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsStringAsync(token);
            });
            return null;
        });
        figures.BareWall = bareWall;
        figures.BareAllocatedPerOrder = bareAllocated / (double)orders;

        log.WriteLine($"sync: {orders} orders, {figures.Requests} Klarna requests, {latencyMs} ms each, concurrency {figures.Concurrency}: " +
            $"{wall.TotalSeconds:0.00} s (ideal {figures.Ideal.TotalSeconds:0.00} s, bare HttpClient {bareWall.TotalSeconds:0.00} s); checked {status.CheckedCount}, failed {status.FailedCount}");
        return figures;
    }

    private static async Task<(TimeSpan Wall, long Allocated, long PeakHeap, long PeakWorkingSet, long HeapBefore, long WorkingSetBefore, KlarnaSyncStatus Status)> MeasureAsync(
        BenchShop shop, Func<Task<KlarnaSyncStatus>> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(true);
        var wsBefore = Environment.WorkingSet;
        long peakHeap = heapBefore, peakWs = wsBefore;
        using var stop = new CancellationTokenSource();

        //samples memory; keeps the sandbox's request log (a test feature of the sandbox) from growing with the run
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                peakWs = Math.Max(peakWs, Environment.WorkingSet);
                shop.Sandbox.State.ClearRequests();
                try
                {
                    await Task.Delay(50, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        var allocatedBefore = GC.GetTotalAllocatedBytes(true);
        var stopwatch = Stopwatch.StartNew();
        var status = await action();
        stopwatch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
        stop.Cancel();
        await sampler;
        return (stopwatch.Elapsed, allocated, peakHeap, peakWs, heapBefore, wsBefore, status);
    }
}
