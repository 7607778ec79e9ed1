using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Moq;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Web.Framework.UI;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser.Support;

/// <summary>
/// A Kestrel server on 127.0.0.1 serving a page made of the plugin's real order block (its views compiled with Razor and
/// rendered by ASP.NET Core MVC), the real Content/klarna-admin.js and .css, jQuery 3.7 and Bootstrap 4.6 from npm, and
/// stubbed JSON endpoints for the block's actions
/// </summary>
public sealed class OrderBlockHarness : IAsyncDisposable
{
    public const string AntiforgeryToken = "test-antiforgery-token-42";

    private readonly WebApplication _app;

    private OrderBlockHarness(WebApplication app, string baseUrl, HarnessState state)
    {
        _app = app;
        BaseUrl = baseUrl;
        State = state;
    }

    public string BaseUrl { get; }

    public HarnessState State { get; }

    /// <summary>
    /// What the stubbed endpoints answer and what they received
    /// </summary>
    public sealed class HarnessState
    {
        public KlarnaOrderDetailsModel Model { get; set; }

        /// <summary>Gets the admin's language the views are rendered in</summary>
        public HarnessLocale Locale { get; } = new();

        /// <summary>Gets or sets the answer to the next POST: (HTTP status, JSON)</summary>
        public Func<string, (int Status, object Body)> Answer { get; set; } = _ => (200, new { success = true });

        /// <summary>Gets or sets the model shown after a successful action</summary>
        public KlarnaOrderDetailsModel ModelAfterSuccess { get; set; }

        public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    }

    public sealed record RecordedRequest(string Action, IReadOnlyDictionary<string, string> Form, IReadOnlyDictionary<string, string> Headers);

    /// <summary>
    /// jQuery, Bootstrap and select2 (the admin's dropdowns) from the npm registry (installed once into a cache folder)
    /// </summary>
    public static string EnsureFrontEndPackages()
    {
        var dir = Path.Combine(Path.GetTempPath(), "klarna-admin-browser-assets");
        var jquery = Path.Combine(dir, "node_modules", "jquery", "dist", "jquery.min.js");
        var bootstrap = Path.Combine(dir, "node_modules", "bootstrap", "dist", "js", "bootstrap.bundle.min.js");
        var select2 = Path.Combine(dir, "node_modules", "select2", "dist", "js", "select2.full.min.js");
        if (File.Exists(jquery) && File.Exists(bootstrap) && File.Exists(select2))
            return dir;

        Directory.CreateDirectory(dir);
        var npm = new ProcessStartInfo("npm", "install --no-save --no-audit --no-fund --no-package-lock --prefix . jquery@3.7.1 bootstrap@4.6.2 select2@4.0.13")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true
        };
        using var process = Process.Start(npm)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(300_000) || process.ExitCode != 0 || !File.Exists(jquery) || !File.Exists(bootstrap) || !File.Exists(select2))
            throw new InvalidOperationException($"npm install of jquery/bootstrap/select2 failed: {error} {output.Result}");

        return dir;
    }

    public static async Task<OrderBlockHarness> StartAsync()
    {
        var assets = EnsureFrontEndPackages();

        // the plugin's views, compiled by Razor + Roslyn, with nopCommerce's page base and card helper swapped for test stand-ins
        var compiled = RazorViewCompiler.CompileAll(code => code
                .Replace("Nop.Web.Framework.Mvc.Razor.NopRazorPage<", "global::Nop.Plugin.Payments.Klarna.Tests.Browser.Support.HarnessRazorPage<")
                .Replace("global::Nop.Web.Framework.TagHelpers.Admin.NopCardTagHelper", "global::Nop.Plugin.Payments.Klarna.Tests.Browser.Support.HarnessNopCardTagHelper"),
            new[] { MetadataReference.CreateFromFile(typeof(OrderBlockHarness).Assembly.Location) }, runningFramework: true);
        if (compiled.AssemblyBytes == null)
            throw new InvalidOperationException("The views do not compile: " + string.Join(Environment.NewLine, compiled.AllErrors));
        var viewAssembly = Assembly.Load(compiled.AssemblyBytes);

        var state = new HarnessState();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(OrderBlockHarness).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production"
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(state.Locale);
        builder.Services.AddSingleton(new Mock<INopHtmlHelper>().Object);
        builder.Services.AddControllersWithViews().ConfigureApplicationPartManager(manager =>
        {
            manager.ApplicationParts.Clear();
            manager.ApplicationParts.Add(new AssemblyPart(typeof(HarnessController).Assembly));
            manager.ApplicationParts.Add(new CompiledRazorAssemblyPart(viewAssembly));
        });

        var app = builder.Build();
        app.UseDeveloperExceptionPage();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(RazorViewCompiler.PluginDirectory, "Content")),
            RequestPath = "/Plugins/Payments.Klarna/Content"
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(assets, "node_modules")),
            RequestPath = "/lib"
        });
        app.MapControllers();
        app.MapGet("/order", async (HttpContext context) =>
        {
            // nopCommerce's order page: the block sits inside <form id="order-form"> next to the page's antiforgery token
            using var client = new HttpClient();
            var block = await client.GetStringAsync($"{context.Request.Scheme}://{context.Request.Host}/block");
            var html = $$"""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Order details - Klarna block</title>
                <link rel="stylesheet" href="/lib/bootstrap/dist/css/bootstrap.min.css">
                <link rel="stylesheet" href="/Plugins/Payments.Klarna/Content/klarna-admin.css">
                <style>body{background:#f4f6f9;padding:16px;font-size:14px}.card-outline{border-top:3px solid #6c757d}.card-header{background:#fff}</style>
                </head><body>
                <form action="/order/edit" method="post" id="order-form">
                <input name="__RequestVerificationToken" type="hidden" value="{{AntiforgeryToken}}">
                <div class="content-header"><h1>Edit order details - Order #42</h1></div>
                <div id="order-cards">{{block}}</div>
                </form>
                <script src="/lib/jquery/dist/jquery.min.js"></script>
                <script src="/lib/bootstrap/dist/js/bootstrap.bundle.min.js"></script>
                <script src="/Plugins/Payments.Klarna/Content/klarna-admin.js"></script>
                </body></html>
                """;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(html);
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OrderBlockHarness(app, address.TrimEnd('/'), state);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// The harness's own controller: the block (the refresh URL too) and the stubbed actions
/// </summary>
public sealed class HarnessController : Controller
{
    private readonly OrderBlockHarness.HarnessState _state;

    public HarnessController(OrderBlockHarness.HarnessState state) => _state = state;

    [HttpGet("/block")]
    public IActionResult Block() => PartialView(KlarnaDefaults.OrderDetailsViewPath, _state.Model);

    [HttpPost("/stub/{kind}")]
    [IgnoreAntiforgeryToken]
    public async Task<IActionResult> Stub(string kind)
    {
        var form = await Request.ReadFormAsync();
        _state.Requests.Enqueue(new OrderBlockHarness.RecordedRequest(kind,
            form.ToDictionary(f => f.Key, f => f.Value.ToString()),
            Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        var (status, body) = _state.Answer(kind);
        if (status == 200 && _state.ModelAfterSuccess != null && body.GetType().GetProperty("success")?.GetValue(body) is true)
            _state.Model = _state.ModelAfterSuccess;
        return new JsonResult(body) { StatusCode = status };
    }
}

