using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Responses;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// The API password never shows in a page, a log line, an order note, an exception or the debug traffic log (the whole
/// suite runs with it; the summary scans everything captured), and Klarna-provided text is HTML-encoded where the admin
/// views show it
/// </summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public class SecretsTests
{
    private const string Markup = "<script>alert('klarna')</script>";

    private ReliabilityShop _shop;
    private ReliabilityAdmin _admin;

    [SetUp]
    public void SetUp()
    {
        _shop = new ReliabilityShop(ReliabilityEnvironment.ClientWithoutRetries);
        _admin = new ReliabilityAdmin(_shop);
    }

    [TearDown]
    public void TearDown() => _shop.CaptureAll(TestContext.CurrentContext.Test.Name);

    private static void AssertNoSecret(string where, string text)
    {
        ReliabilityLedger.Capture(where, text);
        Assert.That(text ?? string.Empty, Does.Not.Contain(ReliabilityEnvironment.Password), where);
    }

    [Test]
    public async Task The_scan_finds_the_password_and_the_Basic_credentials_and_the_sandbox_saw_them_masked()
    {
        var (_, klarnaOrderId) = await _shop.CreateOrderAsync();
        await _shop.Client.GetOrderAsync(ReliabilityEnvironment.Credentials, klarnaOrderId);
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{ReliabilityEnvironment.Username}:{ReliabilityEnvironment.Password}"));

        Assert.That(ReliabilityLedger.ContainsSecret($"x {ReliabilityEnvironment.Password} y"), Is.True);
        Assert.That(ReliabilityLedger.ContainsSecret($"Authorization: Basic {basic}"), Is.True);
        Assert.That(ReliabilityLedger.ContainsSecret("Basic ***"), Is.False);
        //the requests reached the sandbox authenticated with the password, and it recorded the header masked
        Assert.That(ReliabilityEnvironment.Sandbox.State.Requests.Where(r => r.Path.StartsWith("/ordermanagement")).Select(r => r.Status), Has.Some.InRange(200, 299));
        Assert.That(ReliabilityEnvironment.Sandbox.State.Requests.Select(r => r.Headers.GetValueOrDefault("Authorization")), Has.Some.StartsWith("Basic "));
    }

    [Test]
    public async Task Settings_page_never_sends_the_stored_password_back()
    {
        var page = await _admin.Controller.Configure() as ViewResult;

        var json = JsonConvert.SerializeObject(page?.Model);
        AssertNoSecret("settings page model", json);
        Assert.That(((ConfigurationModel)page!.Model).Credentials.Select(c => c.Password), Has.All.Null.Or.Empty);
    }

    [Test]
    public async Task Test_connection_answers_never_contain_a_password()
    {
        //the stored password (posted empty), then a wrong one typed by the admin
        var ok = ReliabilityAdmin.Read(await _admin.Controller.TestConnection(new KlarnaTestConnectionModel
        {
            RegionId = 0, EnvironmentId = 0, Username = ReliabilityEnvironment.Username, ApiUrlOverride = ReliabilityEnvironment.Sandbox.BaseUri.ToString()
        }));
        const string wrong = "Wrong-Typed-Password-5d1e";
        var refused = ReliabilityAdmin.Read(await _admin.Controller.TestConnection(new KlarnaTestConnectionModel
        {
            RegionId = 0, EnvironmentId = 0, Username = ReliabilityEnvironment.Username, Password = wrong, ApiUrlOverride = ReliabilityEnvironment.Sandbox.BaseUri.ToString()
        }));

        AssertNoSecret("test connection answer", ok.Body);
        AssertNoSecret("test connection refusal", refused.Body);
        Assert.That(ok.Body, Does.Contain("true"));
        Assert.That(refused.Body, Does.Contain("PERMISSION_DENIED").Or.Contain("401"));
        Assert.That(refused.Body, Does.Not.Contain(wrong));
        Assert.That(ReliabilityEnvironment.MicrosoftLogs.AllText, Does.Not.Contain(wrong));
        Assert.That(string.Join("\n", ReliabilityEnvironment.TrafficLines), Does.Not.Contain(wrong));
        Assert.That(ReliabilityEnvironment.TrafficLines, Is.Not.Empty, "the debug traffic log is on for the whole suite");
    }

    [Test]
    public async Task Klarna_errors_with_markup_reach_notes_results_and_the_order_block_without_the_password()
    {
        var lines = ReliabilityShop.DefaultLines();
        lines[0].Name = Markup;
        var (order, _) = await _shop.CreateOrderAsync(lines);
        await ReliabilityEnvironment.AddFaultAsync(new
        {
            method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "status", status = 403,
            error_code = "NOT_ALLOWED", message = $"{Markup} refused", times = 1
        });

        var result = await _shop.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.Admin, IdempotencyKey = Guid.NewGuid().ToString() });
        await ReliabilityEnvironment.ClearFaultsAsync();
        var model = await _admin.OrderDetailsFactory.PrepareOrderDetailsModelAsync(order);
        var block = ReliabilityAdmin.Read(await _admin.OrderController.RefreshBlock(order.Id));

        _shop.CaptureResult("markup capture", result);
        AssertNoSecret("order block model", JsonConvert.SerializeObject(model));
        AssertNoSecret("refresh block answer", block.Body);
        Assert.Multiple(() =>
        {
            Assert.That(result.Success, Is.False);
            Assert.That(_shop.Harness.TextOf(result), Does.Contain(Markup), "Klarna's message is shown to the admin as text");
            Assert.That(model.Operations.Select(o => o.ErrorMessage), Has.Some.Contains(Markup), "the failed operation shows Klarna's message (encoded by the view)");
            Assert.That(model.Lines.Select(l => l.Name), Has.Some.EqualTo(Markup), "Klarna's line name as text (encoded by the view)");
        });
    }

    [Test]
    public async Task Klarna_client_exceptions_never_contain_the_password()
    {
        var client = ReliabilityEnvironment.ClientWithoutRetries;
        var credentials = ReliabilityEnvironment.Credentials;
        var messages = new List<string>();
        foreach (var fault in new object[]
                 {
                     new { path_pattern = "/ordermanagement/**", kind = "status", status = 500, times = 1 },
                     new { path_pattern = "/ordermanagement/**", kind = "drop", times = 1 },
                     new { path_pattern = "/ordermanagement/**", kind = "rate_limit", retry_after_seconds = 60, times = 1 },
                     new { path_pattern = "/ordermanagement/**", kind = "status", status = 401, times = 1 }
                 })
        {
            await ReliabilityEnvironment.AddFaultAsync(fault);
            try
            {
                await client.GetOrderAsync(credentials, "no-such-order");
            }
            catch (Exception exception)
            {
                messages.Add(exception.ToString());
            }
        }

        //wrong credentials: Klarna's 401
        try
        {
            await client.GetOrderAsync(new KlarnaCredentials
            {
                Username = ReliabilityEnvironment.Username, Password = ReliabilityEnvironment.Password + "-x",
                BaseUrlOverride = ReliabilityEnvironment.Sandbox.BaseUri.ToString()
            }, "no-such-order");
        }
        catch (Exception exception)
        {
            messages.Add(exception.ToString());
        }

        await ReliabilityEnvironment.ClearFaultsAsync();
        Assert.That(messages, Has.Count.EqualTo(5));
        foreach (var message in messages)
            AssertNoSecret("client exception", message);
        Assert.That(credentials.ToString(), Does.Not.Contain(ReliabilityEnvironment.Password));
    }

    [Test]
    public async Task The_debug_traffic_log_and_client_errors_mask_the_notification_secret_and_the_authorization_token()
    {
        var client = ReliabilityEnvironment.ClientWithoutRetries;
        var credentials = ReliabilityEnvironment.Credentials;
        var cart = SandboxFixture.Cart(ReliabilityShop.DefaultLines());
        cart.MerchantUrls = new KlarnaMerchantUrls
        {
            Confirmation = "https://shop.example/checkout/completed",
            Notification = $"https://shop.example/{KlarnaDefaults.Checkout.NotificationPath}/{ReliabilityShop.NotificationSecret}"
        };
        var trafficBefore = ReliabilityEnvironment.TrafficLines.Count;

        //a session, the customer's authorization, a create order that fails (the error names the path) and one that succeeds
        var session = await client.CreateSessionAsync(credentials, cart);
        var authorized = await ReliabilityEnvironment.Control.PostAsync($"_sandbox/sessions/{session.SessionId}/authorize",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        var token = Newtonsoft.Json.Linq.JObject.Parse(await authorized.Content.ReadAsStringAsync()).Value<string>("authorization_token");
        ReliabilityLedger.LogSecret(token);
        await ReliabilityEnvironment.AddFaultAsync(new { method = "POST", path_pattern = "/payments/v1/authorizations/*/order", kind = "drop", times = 1 });
        var dropped = Assert.ThrowsAsync<KlarnaApiException>(() => client.CreateOrderAsync(credentials, token, cart));
        await ReliabilityEnvironment.ClearFaultsAsync();
        var created = await client.CreateOrderAsync(credentials, token, cart);

        var traffic = ReliabilityEnvironment.TrafficLines.Skip(trafficBefore).ToList();
        //the plugin's and its client's Microsoft log lines (ASP.NET Core's own request log of the notification route is the host's)
        var microsoft = string.Join("\n", ReliabilityEnvironment.MicrosoftLogs.Lines.Where(line => !line.Contains(" Microsoft.AspNetCore.Hosting.Diagnostics:", StringComparison.Ordinal)));
        ReliabilityLedger.Capture("create order exception", dropped.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(token, Is.Not.Empty);
            Assert.That(created.OrderId, Is.Not.Empty);
            Assert.That(traffic, Has.Some.Contains("/payments/v1/authorizations/***/order"), "the create order is logged with the token masked");
            Assert.That(traffic, Has.Some.Contains($"{KlarnaDefaults.Checkout.NotificationPath}/***"), "merchant_urls.notification is logged with its secret masked");
            Assert.That(traffic, Has.Some.Contains("checkout/completed"), "the other merchant URLs stay readable");
            foreach (var secret in new[] { token, ReliabilityShop.NotificationSecret })
            {
                Assert.That(string.Join("\n", traffic), Does.Not.Contain(secret), "debug traffic log");
                Assert.That(microsoft, Does.Not.Contain(secret), "Microsoft ILogger");
                Assert.That(dropped.ToString(), Does.Not.Contain(secret), "client exception");
            }
            //and the suite's scan searches for them (Klarna itself received them)
            Assert.That(ReliabilityLedger.LogSecrets, Does.Contain(token).And.Contain(ReliabilityShop.NotificationSecret));
            Assert.That(ReliabilityEnvironment.Sandbox.State.Requests.Select(r => r.Path), Has.Some.Contains(token));
        });
    }

    /// <summary>
    /// Razor's @ encodes; the admin views must never write Klarna-provided text raw. Checked on the C# that Razor
    /// generates from the plugin's real views (the admin engineer's view compiler) and on the admin script
    /// </summary>
    [Test]
    public void Admin_views_and_script_never_write_Klarna_text_unencoded()
    {
        var compiled = RazorViewCompiler.CompileAll();
        var problems = new List<string>();
        foreach (var view in compiled.Views)
        {
            var code = view.GeneratedCode;
            //Razor itself wraps the literal attribute values of tag helpers in HtmlString("..."): only non-literal arguments count
            if (Regex.IsMatch(code, @"Html\.Raw\s*\(") || Regex.IsMatch(code, @"HtmlString\((?!@?"")"))
                problems.Add($"{view.Path}: raw HTML output");
            //WriteLiteral writes unencoded: only string literals and nopCommerce's localized resources (T("...")) may go through it
            foreach (Match match in Regex.Matches(code, @"WriteLiteral\((?!@?"")(?!T\("")([^)]*)\)"))
                problems.Add($"{view.Path}: WriteLiteral of an expression: {match.Groups[1].Value}");
        }

        //.replaceWith(html) puts back the block's HTML as the server rendered it (Razor-encoded); Klarna's texts from JSON go through .text()
        var script = File.ReadAllText(Path.Combine(RazorViewCompiler.PluginDirectory, "Content", "klarna-admin.js"));
        foreach (Match match in Regex.Matches(script, @"\.(html|append|prepend|after|before|replaceWith)\(\s*([^)'""]*)\)"))
        {
            var argument = match.Groups[2].Value.Trim();
            if (argument.Length > 0 && !argument.StartsWith("$") && !argument.Contains(".data('label')") && argument != "html")
                problems.Add($"klarna-admin.js: .{match.Groups[1].Value}({argument}) may insert text as HTML");
        }
        if (Regex.IsMatch(script, @"innerHTML\s*=|insertAdjacentHTML|document\.write"))
            problems.Add("klarna-admin.js: innerHTML / insertAdjacentHTML / document.write");

        foreach (var problem in problems)
            ReliabilityLedger.Capture("html-encoding", problem);
        Assert.That(compiled.Views, Is.Not.Empty);
        Assert.That(problems, Is.Empty);
    }
}
