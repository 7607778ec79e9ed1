using System.Net;
using System.Reflection;
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
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Nop.Core;
using Nop.Plugin.Payments.Klarna.Controllers;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Infrastructure;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Configuration;
using Nop.Services.Localization;
using Nop.Services.Messages;
using Nop.Services.Orders;
using Nop.Web.Framework.Mvc.Filters;

namespace Nop.Plugin.Payments.Klarna.Tests.Controllers;

/// <summary>
/// The admin controller in a real ASP.NET Core pipeline (Kestrel on 127.0.0.1, the plugin's RouteProvider, MVC's real
/// antiforgery validation). nopCommerce's AuthorizeAdmin/CheckPermission filters exist only inside nopCommerce: here a
/// stand-in reads each action's CheckPermission permission name and answers a denied AJAX POST like nopCommerce does.
/// </summary>
[TestFixture]
[NonParallelizable]
public class KlarnaAdminPipelineTests
{
    private PluginPipelineHost _host;
    private string _baseUrl;
    private AdminTestContext _context;
    private static readonly HashSet<string> _granted = new();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _context = new AdminTestContext(null);
        _host = await PluginPipelineHost.StartAsync(_ => true, (_, permission) => _granted.Contains(permission), services =>
        {
            services.AddSingleton<IKlarnaApiClient>(_context.Harness.Klarna);
            services.AddScoped<KlarnaConnectionTester>();
            services.AddSingleton<IKlarnaModelFactory>(_context.Factory);
                services.AddSingleton<IKlarnaOrderDetailsModelFactory>(_context.OrderDetailsFactory);
                services.AddSingleton(_context.Harness.MoneyFormatter);
            services.AddSingleton(_context.Harness.Executor);
            services.AddSingleton(_context.Harness.Texts);
            services.AddSingleton(_context.Localization.Object);
            services.AddSingleton(_context.Notifications.Object);
            services.AddSingleton(_context.Harness.OrderService.Object);
            services.AddSingleton(_context.Harness.SettingService.Object);
            services.AddSingleton(_context.StoreContext.Object);
            services.AddSingleton(_context.WorkContext.Object);
            services.AddSingleton(_context.StatusSync.Object);
        }, null, new RouteProvider());
        _baseUrl = _host.BaseUrl;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
    }

    [SetUp]
    public void SetUp()
    {
        _granted.Clear();
        _granted.Add(Nop.Services.Security.StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE);
        _granted.Add(Nop.Services.Security.StandardPermission.Orders.ORDERS_VIEW);
    }

    private static HttpClient Client() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false });

    private async Task<(HttpClient Client, string Token)> BrowserSessionAsync()
    {
        var client = Client();
        var token = await client.GetStringAsync(_baseUrl + "/test/token");
        return (client, token);
    }

    private Dictionary<string, string> CaptureForm(int orderId, string token = null)
    {
        var form = new Dictionary<string, string>
        {
            ["orderId"] = orderId.ToString(), ["mode"] = "amount", ["amount"] = "5.00", ["idempotencyKey"] = Guid.NewGuid().ToString()
        };
        if (token != null)
            form["__RequestVerificationToken"] = token;
        return form;
    }

    private static HttpRequestMessage Post(string url, Dictionary<string, string> form, string headerToken = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        if (headerToken != null)
            request.Headers.Add("RequestVerificationToken", headerToken);
        return request;
    }

    private Nop.Core.Domain.Orders.Order NewOrder() => _context.Harness.CreateOrder(OrderManagementHarness.Line("SKU-1", 2, 2500));

    [Test]
    public async Task A_post_without_the_antiforgery_token_is_refused_before_the_action()
    {
        var order = NewOrder();
        var (client, _) = await BrowserSessionAsync();

        var response = await client.SendAsync(Post(_baseUrl + "/Admin/Klarna/Capture", CaptureForm(order.Id)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(_context.Harness.OperationsOf(order), Is.Empty);
    }

    [Test]
    public async Task A_post_with_a_forged_token_or_without_the_cookie_is_refused()
    {
        var order = NewOrder();
        var (client, token) = await BrowserSessionAsync();

        var forged = await client.SendAsync(Post(_baseUrl + "/Admin/Klarna/Capture", CaptureForm(order.Id, "CfDJ8forged" + token[12..])));
        var noCookie = await Client().SendAsync(Post(_baseUrl + "/Admin/Klarna/Capture", CaptureForm(order.Id, token)));

        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(noCookie.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(_context.Harness.OperationsOf(order), Is.Empty);
    }

    [Test]
    public async Task A_post_with_the_pages_token_reaches_the_action_through_the_plugins_route()
    {
        var order = NewOrder();
        var (client, token) = await BrowserSessionAsync();

        var response = await client.SendAsync(Post(_baseUrl + "/Admin/Klarna/Capture", CaptureForm(order.Id, token)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((bool)JObject.Parse(await response.Content.ReadAsStringAsync())["success"], Is.True);
        Assert.That(_context.Harness.KlarnaOrderOf(order).CapturedAmount, Is.EqualTo(500));
    }

    [Test]
    public async Task The_token_in_the_RequestVerificationToken_header_is_accepted_too()
    {
        var order = NewOrder();
        var (client, token) = await BrowserSessionAsync();

        var response = await client.SendAsync(Post(_baseUrl + "/Admin/Klarna/Refund", CaptureForm(order.Id), token));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "passed antiforgery, refused by the action: nothing captured yet");
        Assert.That((string)JObject.Parse(await response.Content.ReadAsStringAsync())["error"], Is.EqualTo("Nothing was captured: there is nothing to refund."));
    }

    [Test]
    public async Task A_denied_permission_answers_an_ajax_post_with_nopCommerces_error_json_and_runs_nothing()
    {
        _granted.Clear();
        var order = NewOrder();
        var (client, token) = await BrowserSessionAsync();

        var response = await client.SendAsync(Post(_baseUrl + "/Admin/Klarna/Capture", CaptureForm(order.Id, token)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string)JObject.Parse(await response.Content.ReadAsStringAsync())["error"], Does.Contain("permission"));
        Assert.That(_context.Harness.OperationsOf(order), Is.Empty);
    }

    [Test]
    public async Task Order_actions_do_not_answer_GET()
    {
        var response = await Client().GetAsync(_baseUrl + "/Admin/Klarna/Capture");

        Assert.That((int)response.StatusCode, Is.AnyOf(404, 405));
    }

    [Test]
    public void Route_names_resolve_to_the_admin_paths()
    {
        var links = _host.App.Services.GetRequiredService<LinkGenerator>();

        Assert.That(links.GetPathByName(KlarnaDefaults.Route.Configuration, null), Is.EqualTo("/Admin/Klarna/Configure"));
        Assert.That(links.GetPathByName(KlarnaDefaults.Route.Capture, null), Is.EqualTo("/Admin/Klarna/Capture"));
        Assert.That(links.GetPathByName(KlarnaDefaults.Route.RefreshBlock, new { orderId = 42 }), Is.EqualTo("/Admin/Klarna/OrderBlock/42"));
    }
}
