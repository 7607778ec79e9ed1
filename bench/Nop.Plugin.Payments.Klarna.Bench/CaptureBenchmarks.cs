using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Bench.Support;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Bench;

/// <summary>
/// (a) One full capture through the plugin's order engine (lock, one read of Klarna's order, the policy, the operation
/// record, capture, order note, payment status and mapped order status) against the same Klarna calls sent with a bare
/// HttpClient: GET the order, POST the capture. No added latency: the strictest case (loopback round trips of a few
/// hundred microseconds, where real Klarna takes 100+ ms), and with 20 ms added by the sandbox to every request
/// </summary>
[Config(typeof(BenchConfigs.CaptureConfig))]
public class CaptureBenchmarks
{
    private BenchShop _shop;
    private HttpClient _bare;
    private string _captureBody;
    private readonly List<(int OrderId, string KlarnaOrderId)> _orders = new();
    private int _next;

    /// <summary>
    /// Latency the sandbox adds to every Klarna request: 0 = loopback only (the plugin's CPU cost stands out), 20 = a fast
    /// network (real Klarna round trips are longer still)
    /// </summary>
    [Params(0, 20)]
    public int LatencyMs { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _shop = BenchShop.StartAsync().GetAwaiter().GetResult();
        _shop.Sandbox.State.LatencyMs = LatencyMs;
        _bare = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = _shop.Sandbox.BaseUri };
        _bare.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{BenchShop.Username}:{BenchShop.Password}")));
        _bare.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        //the same body the plugin sends for "capture everything left": amount, reference, all lines
        var lines = BenchShop.TypicalLines().Select(l => new KlarnaOrderLine
        {
            Type = l.Type, Reference = l.Reference, Name = l.Name, Quantity = l.Quantity!.Value, QuantityUnit = l.QuantityUnit,
            UnitPrice = l.UnitPrice!.Value, TaxRate = (int)l.TaxRate!.Value, TotalAmount = l.TotalAmount!.Value,
            TotalDiscountAmount = l.TotalDiscountAmount!.Value, TotalTaxAmount = l.TotalTaxAmount!.Value
        }).ToList();
        _captureBody = JsonConvert.SerializeObject(new KlarnaCaptureRequest
        {
            CapturedAmount = lines.Sum(l => l.TotalAmount),
            Reference = "1",
            OrderLines = lines
        }, new JsonSerializerSettings { NullValueHandling = NullValueHandling.Ignore });
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _bare.Dispose();
        _shop.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Fresh authorized orders for the iteration; the tables are emptied so that they stay small
    /// </summary>
    [IterationSetup]
    public void IterationSetup()
    {
        _shop.RecordTable.Clear();
        _shop.OperationTable.Clear();
        _shop.Orders.Clear();
        _shop.Sandbox.State.ClearRequests();
        _orders.Clear();
        _next = 0;
        for (var i = 0; i < BenchConfigs.CaptureConfig.InvocationsPerIteration; i++)
            _orders.Add(_shop.CreateOrder());
    }

    [Benchmark(Baseline = true, Description = "bare HttpClient: GET order + POST capture")]
    public async Task<string> Bare()
    {
        var (_, klarnaOrderId) = _orders[_next++];
        using (var read = await _bare.GetAsync($"ordermanagement/v1/orders/{klarnaOrderId}"))
        {
            read.EnsureSuccessStatusCode();
            await read.Content.ReadAsStringAsync();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"ordermanagement/v1/orders/{klarnaOrderId}/captures")
        {
            Content = new StringContent(_captureBody, Encoding.UTF8, "application/json")
        };
        request.Headers.TryAddWithoutValidation("Klarna-Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await _bare.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.TryGetValues("Capture-Id", out var ids) ? ids.First() : null;
    }

    [Benchmark(Description = "plugin: IKlarnaOperationExecutor.ExecuteAsync(capture)")]
    public async Task<string> Plugin()
    {
        var (orderId, _) = _orders[_next++];
        using var scope = _shop.CreateScope();
        var executor = scope.ServiceProvider.GetRequiredService<IKlarnaOperationExecutor>();
        var result = await executor.ExecuteAsync(new KlarnaCaptureCommand
        {
            OrderId = orderId,
            Initiator = KlarnaInitiator.Admin,
            InitiatedBy = "bench"
        });
        if (!result.Success)
            throw new InvalidOperationException($"capture failed: {result}");
        return result.Operation.KlarnaId;
    }
}
