using System.Collections.Concurrent;
using System.Reflection;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Nop.Plugin.Payments.Klarna.Infrastructure;
using Nop.Plugin.Payments.Klarna.Tests.Browser.Support.NopStandIns;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Web.Framework.UI;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser.Support;

/// <summary>
/// A stand-in nopCommerce 4.90 shop for the browser tests: the plugin's controllers, route provider and views (compiled by
/// Razor + Roslyn) in a real ASP.NET Core pipeline on 127.0.0.1, with stand-ins that behave like nopCommerce where the
/// plugin meets it: the Razor page base, the admin tag helpers and editor templates, the script tag helper and NopHtml
/// (Browser/Support/NopStandIns), the admin layout, the store scope switch, the widget zones, the one-page and multi-step
/// checkout pages and scripts (Browser/Support/Shop), FluentValidation's automatic validation, nopCommerce's error page.
/// Every server exception is recorded (ServerErrors), so a test fails on any of them.
/// </summary>
public sealed class NopShopHost : IAsyncDisposable
{
    private static readonly Lazy<Assembly> _views = new(CompileViews);

    private readonly PluginPipelineHost _host;

    private NopShopHost(PluginPipelineHost host, NopShopState state)
    {
        _host = host;
        State = state;
    }

    /// <summary>Gets the shop's base URL as the customer's browser sees it (localhost: another origin than the sandbox's 127.0.0.1)</summary>
    public string BaseUrl => _host.BaseUrl.Replace("127.0.0.1", "localhost");

    /// <summary>Gets the shop's state</summary>
    public NopShopState State { get; }

    /// <summary>
    /// Gets the stand-in Nop.Web folder (views, wwwroot)
    /// </summary>
    public static string ShopDirectory => Path.Combine(RazorViewCompiler.RepositoryRoot, "Nop.Plugin.Payments.Klarna.Tests", "Browser", "Support", "Shop");

    /// <summary>
    /// The generated code of every view, with nopCommerce's page base and tag helpers (declared without behaviour by the
    /// reference) swapped for the stand-ins
    /// </summary>
    private static string Rewrite(string code)
    {
        const string standIns = "global::Nop.Plugin.Payments.Klarna.Tests.Browser.Support.";
        return code
            .Replace("Nop.Web.Framework.Mvc.Razor.NopRazorPage<", standIns + "HarnessRazorPage<")
            .Replace("global::Nop.Web.Framework.TagHelpers.Admin.NopCardTagHelper", standIns + nameof(HarnessNopCardTagHelper))
            .Replace("global::Nop.Web.Framework.TagHelpers.Admin.NopEditorTagHelper", "global::" + typeof(NopEditorTagHelperStandIn).FullName)
            .Replace("global::Nop.Web.Framework.TagHelpers.Admin.NopSelectTagHelper", "global::" + typeof(NopSelectTagHelperStandIn).FullName)
            .Replace("global::Nop.Web.Framework.TagHelpers.Admin.NopLabelTagHelper", "global::" + typeof(NopLabelTagHelperStandIn).FullName)
            .Replace("global::Nop.Web.Framework.TagHelpers.Admin.NopOverrideStoreCheckboxHelper", "global::" + typeof(NopOverrideStoreCheckboxHelperStandIn).FullName)
            .Replace("global::Nop.Web.Framework.TagHelpers.Shared.NopScriptTagHelper", "global::" + typeof(NopScriptTagHelperStandIn).FullName);
    }

    private static Assembly CompileViews()
    {
        var compiled = RazorViewCompiler.CompileAll(Rewrite, new[] { MetadataReference.CreateFromFile(typeof(NopShopHost).Assembly.Location) },
            runningFramework: true, shopViewsDirectory: ShopDirectory);
        if (compiled.AssemblyBytes == null)
            throw new InvalidOperationException("The views do not compile: " + string.Join(Environment.NewLine, compiled.AllErrors));
        return Assembly.Load(compiled.AssemblyBytes);
    }

    /// <summary>
    /// Starts the shop
    /// </summary>
    /// <param name="options">The shop's settings (JavaScript bundling)</param>
    /// <param name="services">The plugin's dependencies (nopCommerce's services)</param>
    public static async Task<NopShopHost> StartAsync(NopShopOptions options, Action<IServiceCollection> services)
    {
        var assets = OrderBlockHarness.EnsureFrontEndPackages();
        var state = new NopShopState();
        var host = await PluginPipelineHost.StartAsync(_ => true, (_, _) => true,
            collection =>
            {
                collection.AddHttpContextAccessor();
                collection.AddSingleton(options);
                collection.AddSingleton(state);
                collection.AddScoped<NopHtmlStandIn>();
                collection.AddScoped<INopHtmlHelper>(provider => provider.GetRequiredService<NopHtmlStandIn>());
                services(collection);
            },
            null,
            mvc => mvc
                .AddMvcOptions(mvcOptions => mvcOptions.Filters.Add<AutomaticValidationStandIn>())
                .ConfigureApplicationPartManager(manager =>
                {
                    manager.ApplicationParts.Add(new AssemblyPart(typeof(NopShopHost).Assembly));
                    manager.ApplicationParts.Add(new CompiledRazorAssemblyPart(_views.Value));
                }),
            app =>
            {
                // nopCommerce's error handling: the error page, the exception in the log
                app.UseExceptionHandler(error => error.Run(async context =>
                {
                    state.ServerErrors.Enqueue(context.Features.Get<IExceptionHandlerFeature>()?.Error);
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    await context.Response.WriteAsync("We're sorry, an internal error occurred.");
                }));
                app.UseStaticFiles(new StaticFileOptions
                {
                    FileProvider = new PhysicalFileProvider(Path.Combine(RazorViewCompiler.PluginDirectory, "Content")),
                    RequestPath = "/Plugins/Payments.Klarna/Content"
                });
                app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Path.Combine(assets, "node_modules")), RequestPath = "/lib_npm" });
                app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Path.Combine(ShopDirectory, "wwwroot")) });
                app.MapGet("/js/bundle-{key}.js", (string key) =>
                {
                    // the bundle NopHtml made: its local sources, concatenated
                    if (!NopHtmlStandIn.Bundles.TryGetValue($"/js/bundle-{key}.js", out var sources))
                        return Results.NotFound();
                    var parts = sources.Select(source => File.ReadAllText(LocalFile(source, assets)));
                    return Results.Text(string.Join(";\n", parts), "text/javascript");
                });
                app.MapControllers();
            },
            new Nop.Web.Framework.Mvc.Routing.IRouteProvider[] { new RouteProvider() });

        return new NopShopHost(host, state);
    }

    private static string LocalFile(string path, string assets)
    {
        if (path.StartsWith("/Plugins/Payments.Klarna/Content/", StringComparison.Ordinal))
            return Path.Combine(RazorViewCompiler.PluginDirectory, "Content", path["/Plugins/Payments.Klarna/Content/".Length..]);
        if (path.StartsWith("/lib_npm/", StringComparison.Ordinal))
            return Path.Combine(assets, "node_modules", path["/lib_npm/".Length..]);
        return Path.Combine(ShopDirectory, "wwwroot", path.TrimStart('/'));
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();
}

/// <summary>
/// The stand-in shop's state: what the admin and the customer did, and every server error
/// </summary>
public sealed class NopShopState
{
    /// <summary>Gets or sets the admin's store scope (0 = all stores)</summary>
    public int StoreScope { get; set; }

    /// <summary>Gets the exceptions the pipeline caught</summary>
    public ConcurrentQueue<Exception> ServerErrors { get; } = new();

    /// <summary>Gets or sets the payment request of the current checkout (after the payment info step)</summary>
    public Nop.Services.Payments.ProcessPaymentRequest PaymentRequest { get; set; }

    /// <summary>Gets the orders placed: the request and Klarna's result</summary>
    public ConcurrentQueue<(Nop.Services.Payments.ProcessPaymentRequest Request, Nop.Services.Payments.ProcessPaymentResult Result)> PlacedOrders { get; } = new();

    /// <summary>Gets the payment info step's answers (one-page checkout: each insertion of the step's HTML)</summary>
    public ConcurrentQueue<string> PaymentInfoAnswers { get; } = new();
}

/// <summary>
/// Stand-in of FluentValidation.AspNetCore's automatic validation (nopCommerce 4.90 registers it with the validators of
/// every Nop* assembly): each action argument that has a validator is validated and its failures go into ModelState
/// under their property names
/// </summary>
public sealed class AutomaticValidationStandIn : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        foreach (var argument in context.ActionArguments.Values.Where(a => a != null))
        {
            var validatorType = typeof(IValidator<>).MakeGenericType(argument.GetType());
            if (context.HttpContext.RequestServices.GetService(validatorType) is not IValidator validator)
                continue;

            var result = await validator.ValidateAsync(new ValidationContext<object>(argument));
            foreach (var error in result.Errors)
                context.ModelState.AddModelError(error.PropertyName, error.ErrorMessage);
        }

        await next();
    }
}
