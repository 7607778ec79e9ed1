using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Nop.Plugin.Payments.Klarna.Bench.Support;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Bench;

/// <summary>
/// "diag": a few captures with the counts of what each one did (Klarna requests, settings loads, table reads/writes)
/// </summary>
public static class Diag
{
    public static async Task RunAsync()
    {
        await using var shop = await BenchShop.StartAsync();
        var orders = Enumerable.Range(0, 60).Select(_ => shop.CreateOrder()).ToList();
        var times = new List<double>();
        foreach (var (orderId, _) in orders)
        {
            shop.SettingService.ResetCounters();
            shop.RecordTable.ResetCounters();
            shop.OperationTable.ResetCounters();
            Interlocked.Exchange(ref shop.KlarnaRequests, 0);
            var stopwatch = Stopwatch.StartNew();
            using var scope = shop.CreateScope();
            var result = await scope.ServiceProvider.GetRequiredService<IKlarnaOperationExecutor>().ExecuteAsync(new KlarnaCaptureCommand
            {
                OrderId = orderId,
                Initiator = KlarnaInitiator.Admin,
                InitiatedBy = "bench"
            });
            stopwatch.Stop();
            times.Add(stopwatch.Elapsed.TotalMicroseconds);
            if (!result.Success)
                throw new InvalidOperationException(result.ToString());
        }

        var requests = shop.Sandbox.State.Requests.TakeLast(4).Select(r => $"{r.Method} {r.Path}");
        Console.WriteLine($"capture: median {times.Skip(10).Order().ElementAt(25):0} us; last one: {Interlocked.Read(ref shop.KlarnaRequests)} Klarna requests " +
            $"({string.Join(", ", requests)}), {shop.SettingService.Loads} settings loads, {shop.RecordTable.Reads} record reads, " +
            $"{shop.RecordTable.Writes} record writes, {shop.OperationTable.Reads} operation reads, {shop.OperationTable.Writes} operation writes");
        using (var scope = shop.CreateScope())
        {
            var credentials = scope.ServiceProvider.GetRequiredService<IKlarnaCredentialsProvider>()
                .GetCredentials(shop.Settings, Nop.Plugin.Payments.Klarna.Services.Api.KlarnaRegion.Europe, Nop.Plugin.Payments.Klarna.Services.Api.KlarnaEnvironment.Playground);
            var api = scope.ServiceProvider.GetRequiredService<Nop.Plugin.Payments.Klarna.Services.Api.IKlarnaApiClient>();
            using var bare = new HttpClient { BaseAddress = shop.Sandbox.BaseUri };
            bare.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{BenchShop.Username}:{BenchShop.Password}")));
            var body = await bare.GetStringAsync($"ordermanagement/v1/orders/{orders[0].KlarnaOrderId}");
            for (var round = 0; round < 4; round++)
            {
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < 200; i++)
                    await bare.GetStringAsync($"ordermanagement/v1/orders/{orders[i % 50].KlarnaOrderId}");
                var bareUs = sw.Elapsed.TotalMicroseconds / 200;
                sw.Restart();
                for (var i = 0; i < 200; i++)
                    await api.GetOrderAsync(credentials, orders[i % 50].KlarnaOrderId);
                var apiUs = sw.Elapsed.TotalMicroseconds / 200;
                sw.Restart();
                for (var i = 0; i < 200; i++)
                    Newtonsoft.Json.JsonConvert.DeserializeObject<Nop.Plugin.Payments.Klarna.Services.Api.Models.KlarnaOrder>(body);
                var jsonUs = sw.Elapsed.TotalMicroseconds / 200;
                sw.Restart();
                for (var i = 0; i < 200; i++)
                {
                    using var s2 = shop.CreateScope();
                    s2.ServiceProvider.GetRequiredService<IKlarnaOperationExecutor>();
                }
                var scopeUs = sw.Elapsed.TotalMicroseconds / 200;
                Console.WriteLine($"bare GET {bareUs:0} us, plugin client GET {apiUs:0} us, json {jsonUs:0} us ({body.Length} chars), scope+resolve executor {scopeUs:0} us");
            }

            for (var round = 0; round < 3; round++)
            {
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < 50; i++)
                    await shop.SettingService.LoadSettingAsync<KlarnaSettings>();
                var settingsUs = sw.Elapsed.TotalMicroseconds / 50;
                sw.Restart();
                for (var i = 0; i < 50; i++)
                    await api.GetOrderAsync(credentials, orders[i].KlarnaOrderId);
                var getUs = sw.Elapsed.TotalMicroseconds / 50;
                sw.Restart();
                for (var i = 0; i < 50; i++)
                    await shop.RecordTable.GetAllAsync(q => q.Where(r => r.OrderId == orders[i].OrderId));
                var readUs = sw.Elapsed.TotalMicroseconds / 50;
                Console.WriteLine($"settings load {settingsUs:0} us, api GET order {getUs:0} us, record read {readUs:0} us");
            }
        }
        Console.WriteLine("times (us): " + string.Join(" ", times.Select(t => t.ToString("0"))));
    }
}
