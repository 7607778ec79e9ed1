using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Nop.Core;
using Nop.Plugin.Payments.Klarna.Bench.Support;
using Nop.Plugin.Payments.Klarna.Controllers;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Services.Localization;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Bench;

/// <summary>
/// "click": one admin click (capture, refund, cancel) through the real admin controller, as nopCommerce runs it: a DI scope
/// per request, the controller's action with its idempotency key, the engine, the refreshed order block in the JSON answer.
/// Counts what one click costs (Klarna requests, lock acquisitions, order loads; the most any measured click took) and
/// times it against the same Klarna GET + write sent with a bare HttpClient, with the sandbox adding 0 and 20 ms to every
/// request (medians, clicks and bare calls interleaved). The block is built by the real model factory; only the Razor
/// rendering of the partial view is left out (the bench has no MVC view engine)
/// </summary>
public static class ClickRun
{
    private static readonly string[] Operations = { "capture", "refund", "cancel" };

    /// <summary>
    /// The admin controller as nopCommerce activates it, rendering the block model to a short string
    /// </summary>
    private sealed class BenchOrderAdminController : KlarnaOrderAdminController
    {
        public BenchOrderAdminController(IKlarnaOperationExecutor executor, IKlarnaOrderDetailsModelFactory orderDetailsModelFactory,
            KlarnaMoneyFormatter moneyFormatter, IOrderService orderService, KlarnaTexts texts, IWorkContext workContext)
            : base(executor, orderDetailsModelFactory, moneyFormatter, orderService, texts, workContext)
        {
        }

        protected override Task<string> RenderOrderBlockAsync(KlarnaOrderDetailsModel model) =>
            Task.FromResult($"<div id=\"klarna-order-block\" data-status=\"{model.KlarnaStatus}\" data-captured=\"{model.CapturedAmount}\"></div>");
    }

    private sealed class Counts
    {
        public long KlarnaRequests;
        public long LockAcquisitions;
        public long OrderLoads;

        public void Max(Counts other)
        {
            KlarnaRequests = Math.Max(KlarnaRequests, other.KlarnaRequests);
            LockAcquisitions = Math.Max(LockAcquisitions, other.LockAcquisitions);
            OrderLoads = Math.Max(OrderLoads, other.OrderLoads);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task<(int OrderId, string KlarnaOrderId)> PrepareOrderAsync(BenchShop shop, string operation)
    {
        var order = shop.CreateOrder();
        if (operation != "refund")
            return order;

        //a refund needs a capture: made through the engine, outside the timed part
        using var scope = shop.CreateScope();
        var captured = await scope.ServiceProvider.GetRequiredService<IKlarnaOperationExecutor>()
            .ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.OrderId, InitiatedBy = "bench" });
        if (!captured.Success)
            throw new InvalidOperationException($"setup capture failed: {captured}");
        return order;
    }

    private static async Task<(double Microseconds, Counts Counts)> ClickAsync(BenchShop shop, string operation, int orderId)
    {
        var before = new Counts { KlarnaRequests = Interlocked.Read(ref shop.KlarnaRequests), LockAcquisitions = Interlocked.Read(ref shop.Locker.Acquisitions), OrderLoads = Interlocked.Read(ref shop.OrderLoads) };
        var model = new KlarnaActionRequestModel { OrderId = orderId, IdempotencyKey = Guid.NewGuid().ToString(), Mode = "full" };

        var stopwatch = Stopwatch.StartNew();
        using var scope = shop.CreateScope();
        var controller = ActivatorUtilities.CreateInstance<BenchOrderAdminController>(scope.ServiceProvider);
        var answer = operation switch
        {
            "capture" => await controller.Capture(model),
            "refund" => await controller.Refund(model),
            _ => await controller.Cancel(model)
        };
        stopwatch.Stop();

        var json = answer as JsonResult ?? throw new InvalidOperationException($"{operation}: no JSON answer");
        var body = JObject.FromObject(json.Value);
        if (json.StatusCode is not (null or 200) || body["success"]?.Value<bool>() != true || string.IsNullOrEmpty(body["html"]?.Value<string>()))
            throw new InvalidOperationException($"{operation} click failed: {json.StatusCode} {body}");

        return (stopwatch.Elapsed.TotalMicroseconds, new Counts
        {
            KlarnaRequests = Interlocked.Read(ref shop.KlarnaRequests) - before.KlarnaRequests,
            LockAcquisitions = Interlocked.Read(ref shop.Locker.Acquisitions) - before.LockAcquisitions,
            OrderLoads = Interlocked.Read(ref shop.OrderLoads) - before.OrderLoads
        });
    }

    private static async Task<double> BareAsync(HttpClient bare, string operation, string klarnaOrderId, string linesBody)
    {
        var stopwatch = Stopwatch.StartNew();
        using (var read = await bare.GetAsync($"ordermanagement/v1/orders/{klarnaOrderId}"))
        {
            read.EnsureSuccessStatusCode();
            await read.Content.ReadAsStringAsync();
        }

        var path = operation switch
        {
            "capture" => "captures",
            "refund" => "refunds",
            _ => "cancel"
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"ordermanagement/v1/orders/{klarnaOrderId}/{path}");
        if (operation != "cancel")
            request.Content = new StringContent(linesBody, Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("Klarna-Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await bare.SendAsync(request);
        response.EnsureSuccessStatusCode();
        stopwatch.Stop();
        return stopwatch.Elapsed.TotalMicroseconds;
    }

    /// <summary>
    /// The body the plugin sends for "everything": the amount and every line
    /// </summary>
    private static string LinesBody(string operation)
    {
        var lines = BenchShop.TypicalLines().Select(l => new KlarnaOrderLine
        {
            Type = l.Type, Reference = l.Reference, Name = l.Name, Quantity = l.Quantity!.Value, QuantityUnit = l.QuantityUnit,
            UnitPrice = l.UnitPrice!.Value, TaxRate = (int)l.TaxRate!.Value, TotalAmount = l.TotalAmount!.Value,
            TotalDiscountAmount = l.TotalDiscountAmount!.Value, TotalTaxAmount = l.TotalTaxAmount!.Value
        }).ToList();
        var settings = new JsonSerializerSettings { NullValueHandling = NullValueHandling.Ignore };
        return operation == "refund"
            ? JsonConvert.SerializeObject(new KlarnaRefundRequest { RefundedAmount = lines.Sum(l => l.TotalAmount), Reference = "1", OrderLines = lines }, settings)
            : JsonConvert.SerializeObject(new KlarnaCaptureRequest { CapturedAmount = lines.Sum(l => l.TotalAmount), Reference = "1", OrderLines = lines }, settings);
    }

    private static async Task<(double Ratio, Counts Counts)> MeasureAsync(string operation, int latencyMs, int warmup, int clicks)
    {
        await using var shop = await BenchShop.StartAsync();
        using var bare = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = shop.Sandbox.BaseUri };
        bare.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{BenchShop.Username}:{BenchShop.Password}")));
        bare.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var body = LinesBody(operation);

        //the orders first, without latency (not measured)
        shop.Sandbox.State.LatencyMs = 0;
        var pluginOrders = new List<(int OrderId, string KlarnaOrderId)>();
        var bareOrders = new List<(int OrderId, string KlarnaOrderId)>();
        for (var i = 0; i < warmup + clicks; i++)
        {
            pluginOrders.Add(await PrepareOrderAsync(shop, operation));
            bareOrders.Add(await PrepareOrderAsync(shop, operation));
        }

        shop.Sandbox.State.LatencyMs = latencyMs;
        var pluginTimes = new List<double>();
        var bareTimes = new List<double>();
        var counts = new Counts();
        for (var i = 0; i < warmup + clicks; i++)
        {
            var (pluginUs, clickCounts) = await ClickAsync(shop, operation, pluginOrders[i].OrderId);
            var bareUs = await BareAsync(bare, operation, bareOrders[i].KlarnaOrderId, body);
            if (i < warmup)
                continue;
            pluginTimes.Add(pluginUs);
            bareTimes.Add(bareUs);
            counts.Max(clickCounts);
        }

        return (Median(pluginTimes) / Median(bareTimes), counts);
    }

    public static async Task RunAsync(TextWriter output)
    {
        foreach (var operation in Operations)
        {
            var (atZero, counts) = await MeasureAsync(operation, 0, 30, 150);
            var (atTwenty, countsAtTwenty) = await MeasureAsync(operation, 20, 5, 40);
            counts.Max(countsAtTwenty);
            output.WriteLine($"click {operation}: klarna requests {counts.KlarnaRequests}, lock acquisitions {counts.LockAcquisitions}, " +
                $"order loads {counts.OrderLoads}, plugin/bare {atZero:0.0} at 0 ms, {atTwenty:0.0} at 20 ms");
        }
    }
}
