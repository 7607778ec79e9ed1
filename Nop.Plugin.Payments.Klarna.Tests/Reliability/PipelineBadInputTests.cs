using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Controllers;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Infrastructure;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Web.Framework.Mvc.Filters;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// Hostile requests over HTTP: the plugin's controllers in a real ASP.NET Core pipeline (Kestrel on 127.0.0.1, the plugin's
/// route providers, MVC model binding and MVC's real antiforgery validation; the same hosting as the admin engineer's
/// KlarnaAdminPipelineTests) over the suite's shop and sandbox. nopCommerce's AuthorizeAdmin and CheckPermission filters
/// exist only inside nopCommerce: stand-ins behave like them (no admin login: challenge = redirect to the login page;
/// no permission: nopCommerce's { error } JSON for an AJAX request)
/// </summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public class PipelineBadInputTests
{
    private const string AdminHeader = "X-Test-Admin";
    private const string PermissionsHeader = "X-Test-Permissions";

    private PluginPipelineHost _host;
    private string _baseUrl;
    private ReliabilityShop _shop;
    private ReliabilityAdmin _admin;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _shop = new ReliabilityShop(ReliabilityEnvironment.ClientWithRetries);
        _admin = new ReliabilityAdmin(_shop);
        _host = await ReliabilityPipeline.StartAsync(_shop, _admin,
            http => http.Request.Headers[AdminHeader] == "1",
            (http, permission) => http.Request.Headers[PermissionsHeader].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).Contains(permission));
        _baseUrl = _host.BaseUrl;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _shop.CaptureAll("pipeline");
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private static HttpClient Browser() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false });

    private static readonly string AllPermissions = string.Join(",", Nop.Services.Security.StandardPermission.Configuration.MANAGE_PAYMENT_METHODS,
        Nop.Services.Security.StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE, Nop.Services.Security.StandardPermission.Orders.ORDERS_VIEW);

    public enum Guard { None, NoLogin, NoPermission, MissingToken, WrongToken, NoCookie }

    private async Task<HttpResponseMessage> SendAsync(string path, Dictionary<string, string> form, Guard guard, HttpMethod method = null)
    {
        var client = Browser();
        var token = await client.GetStringAsync(_baseUrl + "/test/token");
        if (guard == Guard.NoCookie)
            client = Browser();

        form = new Dictionary<string, string>(form);
        if (guard is not (Guard.MissingToken))
            form["__RequestVerificationToken"] = guard == Guard.WrongToken ? "CfDJ8forged" + token[12..] : token;

        var request = new HttpRequestMessage(method ?? HttpMethod.Post, _baseUrl + path);
        if ((method ?? HttpMethod.Post) == HttpMethod.Post)
            request.Content = new FormUrlEncodedContent(form);
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        if (guard != Guard.NoLogin)
            request.Headers.Add(AdminHeader, "1");
        request.Headers.Add(PermissionsHeader, guard == Guard.NoPermission ? "CustomerView" : AllPermissions);
        return await client.SendAsync(request);
    }

    private (string Klarna, int Operations, int Notes, int PaymentStatus, string Record) Snapshot(Order order, string klarnaOrderId)
    {
        var klarna = ReliabilityEnvironment.Sandbox.State.GetOrder(klarnaOrderId);
        var record = _shop.Record(order);
        return ($"{klarna.Status} {klarna.CapturedAmount} {klarna.RefundedAmount} {klarna.Captures.Count} {klarna.Refunds.Count}",
            _shop.Operations(order).Count, _shop.Notes(order).Count, order.PaymentStatusId,
            $"{record.KlarnaStatus} {record.CapturedAmountMinor} {record.RefundedAmountMinor}");
    }

    public static IEnumerable<TestCaseData> GuardCases()
    {
        foreach (var action in new[] { "Capture", "Refund", "Cancel", "Release", "Configure", "TestConnection" })
        foreach (var guard in new[] { Guard.NoLogin, Guard.NoPermission, Guard.MissingToken, Guard.WrongToken, Guard.NoCookie })
            yield return new TestCaseData(action, guard).SetName($"HTTP {action}: {guard}");
        foreach (var guard in new[] { Guard.NoLogin, Guard.NoPermission })
            yield return new TestCaseData("RefreshBlock", guard).SetName($"HTTP RefreshBlock: {guard}");
    }

    [TestCaseSource(nameof(GuardCases))]
    public async Task Request_without_login_permission_or_valid_antiforgery_token_runs_nothing(string action, Guard guard)
    {
        //an order whose every action would otherwise be allowed somewhere: captured in part (refund, release allowed)
        var (order, klarnaOrderId) = await _shop.CreateOrderAsync();
        Assert.That((await _shop.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 1000, Initiator = Domain.KlarnaInitiator.Admin })).Success);
        if (action == "Cancel")
            (order, klarnaOrderId) = await _shop.CreateOrderAsync();
        var before = Snapshot(order, klarnaOrderId);
        var settingsBefore = Newtonsoft.Json.JsonConvert.SerializeObject(_shop.Harness.Settings);
        var saves = _shop.Harness.SettingService.Invocations.Count(i => i.Method.Name.StartsWith("Save"));
        var requests = ReliabilityEnvironment.Sandbox.State.Requests.Count;

        var form = new Dictionary<string, string>
        {
            ["orderId"] = order.Id.ToString(), ["mode"] = "full", ["idempotencyKey"] = Guid.NewGuid().ToString(),
            ["RegionId"] = "0", ["EnvironmentId"] = "0", ["Username"] = "attacker", ["Password"] = "attacker-pw",
            ["ApiUrlOverride"] = "http://127.0.0.1:9/", ["Credentials[0].MerchantId"] = "EVIL", ["RequestTimeoutSeconds"] = "30", ["SyncIntervalMinutes"] = "60",
            ["SyncConcurrency"] = "4"
        };
        var path = action == "RefreshBlock" ? $"/Admin/Klarna/OrderBlock/{order.Id}" : $"/Admin/Klarna/{action}";
        var response = await SendAsync(path, form, guard, action == "RefreshBlock" ? HttpMethod.Get : HttpMethod.Post);
        var body = await response.Content.ReadAsStringAsync();
        ReliabilityLedger.Capture($"HTTP {action} {guard}: answer", body);

        var status = (int)response.StatusCode;
        var clear = guard switch
        {
            Guard.NoLogin => status == 302 && response.Headers.Location?.ToString().StartsWith("/login") == true,
            Guard.NoPermission => status == 200 && JObject.Parse(body).Value<string>("error")?.Contains("permission") == true,
            _ => status == 400
        };
        var unchanged = Snapshot(order, klarnaOrderId) == before &&
            Newtonsoft.Json.JsonConvert.SerializeObject(_shop.Harness.Settings) == settingsBefore &&
            _shop.Harness.SettingService.Invocations.Count(i => i.Method.Name.StartsWith("Save")) == saves &&
            ReliabilityEnvironment.Sandbox.State.Requests.Count == requests;
        ReliabilityLedger.BadInput($"HTTP {action}: {guard}", clear && unchanged);

        Assert.Multiple(() =>
        {
            Assert.That(clear, Is.True, $"{action} {guard}: nopCommerce's answer (login redirect / {{ error }} / 400), got {status} {response.Headers.Location} {body}");
            Assert.That(Snapshot(order, klarnaOrderId), Is.EqualTo(before), "no change to the order");
            Assert.That(Newtonsoft.Json.JsonConvert.SerializeObject(_shop.Harness.Settings), Is.EqualTo(settingsBefore), "no change to the settings");
            Assert.That(ReliabilityEnvironment.Sandbox.State.Requests.Count, Is.EqualTo(requests), "no call to Klarna");
        });
    }

    [TestCase("1.234,56")]
    [TestCase("1,5")]
    [TestCase("-5")]
    [TestCase("0")]
    [TestCase("abc")]
    [TestCase("5.001")]
    [TestCase("999999999999")]
    public async Task Amount_posted_as_a_form_field_is_refused_with_400(string amount)
    {
        var (order, klarnaOrderId) = await _shop.CreateOrderAsync();
        var before = Snapshot(order, klarnaOrderId);

        var response = await SendAsync("/Admin/Klarna/Capture", new Dictionary<string, string>
        {
            ["orderId"] = order.Id.ToString(), ["mode"] = "amount", ["amount"] = amount, ["idempotencyKey"] = Guid.NewGuid().ToString()
        }, Guard.None);
        var body = await response.Content.ReadAsStringAsync();

        var refused = response.StatusCode == HttpStatusCode.BadRequest && !string.IsNullOrEmpty(JObject.Parse(body).Value<string>("error")) &&
            Snapshot(order, klarnaOrderId) == before;
        ReliabilityLedger.BadInput($"HTTP capture amount '{amount}'", refused);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(Snapshot(order, klarnaOrderId), Is.EqualTo(before));
    }

    [TestCase("abc")]
    [TestCase("-1")]
    [TestCase("99999999999999999999")]
    public async Task Order_id_that_is_not_an_order_is_refused(string orderId)
    {
        var requests = ReliabilityEnvironment.Sandbox.State.Requests.Count;

        var response = await SendAsync("/Admin/Klarna/Capture", new Dictionary<string, string>
        {
            ["orderId"] = orderId, ["mode"] = "full", ["idempotencyKey"] = Guid.NewGuid().ToString()
        }, Guard.None);

        var refused = (int)response.StatusCode is >= 400 and < 500 && ReliabilityEnvironment.Sandbox.State.Requests.Count == requests;
        ReliabilityLedger.BadInput($"HTTP capture of order id '{orderId}'", refused);
        Assert.That((int)response.StatusCode, Is.InRange(400, 499));
        Assert.That(ReliabilityEnvironment.Sandbox.State.Requests.Count, Is.EqualTo(requests));
    }

    [TestCase("wrong-secret", "{\"order_id\":\"{id}\"}", 20, 403)]
    [TestCase("", "{\"order_id\":\"{id}\"}", 20, 401)]
    [TestCase(ReliabilityShop.NotificationSecret, "{\"order_id\":", 20, 400)]
    [TestCase(ReliabilityShop.NotificationSecret, "{\"order_id\":\"{id}\",\"pad\":\"{pad}\"}", 100_000, 413)]
    [TestCase(ReliabilityShop.NotificationSecret, "{\"order_id\":\"unknown-order\"}", 20, 404)]
    public async Task Notification_endpoint_over_HTTP_refuses_bad_requests(string secret, string body, int pad, int expected)
    {
        var (order, klarnaOrderId) = await _shop.CreateOrderAsync();
        var before = Snapshot(order, klarnaOrderId);
        var requests = ReliabilityEnvironment.Sandbox.State.Requests.Count;

        using var client = Browser();
        var content = new StringContent(body.Replace("{id}", klarnaOrderId).Replace("{pad}", new string('a', pad)), Encoding.UTF8, "application/json");
        var response = await client.PostAsync($"{_baseUrl}/Plugins/Klarna/Notification/{Uri.EscapeDataString(secret)}", content);

        var refused = (int)response.StatusCode == expected && Snapshot(order, klarnaOrderId) == before && ReliabilityEnvironment.Sandbox.State.Requests.Count == requests;
        ReliabilityLedger.BadInput($"HTTP notification {expected}", refused);
        Assert.That((int)response.StatusCode, Is.EqualTo(expected));
        Assert.That(Snapshot(order, klarnaOrderId), Is.EqualTo(before));
        Assert.That(ReliabilityEnvironment.Sandbox.State.Requests.Count, Is.EqualTo(requests), "no call to Klarna");
    }
}
