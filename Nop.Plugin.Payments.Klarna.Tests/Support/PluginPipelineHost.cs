using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nop.Plugin.Payments.Klarna.Controllers;
using Nop.Web.Framework.Mvc.Filters;
using Nop.Web.Framework.Mvc.Routing;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// A real ASP.NET Core pipeline (Kestrel on 127.0.0.1, MVC model binding, MVC's real antiforgery validation) hosting the
/// plugin's controllers and route providers. nopCommerce's AuthorizeAdmin and CheckPermission filters exist only inside
/// nopCommerce (the reference declares them without behaviour): stand-ins behave like them.
/// </summary>
public sealed class PluginPipelineHost : IAsyncDisposable
{
    private PluginPipelineHost(WebApplication app, string baseUrl)
    {
        App = app;
        BaseUrl = baseUrl;
    }

    /// <summary>Gets the application</summary>
    public WebApplication App { get; }

    /// <summary>Gets the base URL, without a trailing slash; GET {BaseUrl}/test/token gives an antiforgery request token (and its cookie)</summary>
    public string BaseUrl { get; }

    /// <summary>
    /// Starts the pipeline
    /// </summary>
    /// <param name="isAdmin">Whether the request comes from a logged-in admin (else: the login redirect of AuthorizeAdmin)</param>
    /// <param name="isGranted">Whether the request's user has the permission (else: nopCommerce's { error } JSON for AJAX, a redirect otherwise)</param>
    /// <param name="services">The plugin's dependencies</param>
    /// <param name="logging">Optional logging set-up</param>
    /// <param name="routeProviders">The route providers to register</param>
    /// <returns>The running host</returns>
    public static Task<PluginPipelineHost> StartAsync(Func<HttpContext, bool> isAdmin, Func<HttpContext, string, bool> isGranted,
        Action<IServiceCollection> services, Action<ILoggingBuilder> logging, params IRouteProvider[] routeProviders) =>
        StartAsync(isAdmin, isGranted, services, logging, null, null, routeProviders);

    /// <summary>
    /// Starts the pipeline with more MVC parts and middleware (the browser harness: views, stand-ins, static files)
    /// </summary>
    /// <param name="mvc">Optional MVC set-up after the plugin's controllers are added</param>
    /// <param name="pipeline">Optional middleware and endpoints, added before the route providers' routes</param>
    public static async Task<PluginPipelineHost> StartAsync(Func<HttpContext, bool> isAdmin, Func<HttpContext, string, bool> isGranted,
        Action<IServiceCollection> services, Action<ILoggingBuilder> logging, Action<IMvcBuilder> mvc, Action<WebApplication> pipeline,
        IRouteProvider[] routeProviders)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(KlarnaAdminController).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory
        });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var mvcBuilder = builder.Services.AddControllersWithViews(options => options.Conventions.Add(new NopFilterConvention(isAdmin, isGranted)))
            .ConfigureApplicationPartManager(manager =>
            {
                manager.ApplicationParts.Clear();
                manager.ApplicationParts.Add(new AssemblyPart(typeof(KlarnaAdminController).Assembly));
            });
        mvc?.Invoke(mvcBuilder);
        services(builder.Services);
        //nopCommerce renders the order block (RenderPartialViewToStringAsync), which the reference assemblies cannot: the
        //order block's controller is the testable one that records the block's model
        builder.Services.AddSingleton<IControllerActivator, TestableControllerActivator>();

        var app = builder.Build();
        pipeline?.Invoke(app);
        app.MapGet("/test/token", (IAntiforgery antiforgery, HttpContext http) => antiforgery.GetAndStoreTokens(http).RequestToken);
        foreach (var routeProvider in routeProviders)
            routeProvider.RegisterRoutes(app);
        await app.StartAsync();

        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return new PluginPipelineHost(app, baseUrl);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>
    /// Creates controllers from the request's services, the order block's controller as <see cref="TestableOrderAdminController"/>
    /// </summary>
    private sealed class TestableControllerActivator : IControllerActivator
    {
        public object Create(ControllerContext context)
        {
            var type = context.ActionDescriptor.ControllerTypeInfo.AsType();
            if (type == typeof(KlarnaOrderAdminController))
                type = typeof(TestableOrderAdminController);
            return ActivatorUtilities.CreateInstance(context.HttpContext.RequestServices, type);
        }

        public void Release(ControllerContext context, object controller) => (controller as IDisposable)?.Dispose();
    }

    /// <summary>
    /// Stand-in of nopCommerce's AuthorizeAdminAttribute filter: no admin login = challenge (redirect to the login page)
    /// </summary>
    private sealed class AdminLoginStandIn(Func<HttpContext, bool> isAdmin) : IAsyncAuthorizationFilter
    {
        public Task OnAuthorizationAsync(AuthorizationFilterContext context)
        {
            if (!isAdmin(context.HttpContext))
                context.Result = new RedirectResult("/login?ReturnUrl=" + Uri.EscapeDataString(context.HttpContext.Request.Path));
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Stand-in of nopCommerce's CheckPermission filter: a denied AJAX request gets nopCommerce's { error } JSON, others a redirect
    /// </summary>
    private sealed class PermissionStandIn(string permission, Func<HttpContext, string, bool> isGranted) : IAsyncActionFilter
    {
        public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
        {
            if (isGranted(context.HttpContext, permission))
            {
                await next();
                return;
            }

            context.Result = context.HttpContext.Request.Headers["X-Requested-With"] == "XMLHttpRequest"
                ? new JsonResult(new { error = "You do not have permission to perform the selected operation" })
                : new RedirectResult("/Admin/Security/AccessDenied");
        }
    }

    /// <summary>
    /// Replaces the reference declarations of nopCommerce's filters (no behaviour) by the stand-ins
    /// </summary>
    private sealed class NopFilterConvention(Func<HttpContext, bool> isAdmin, Func<HttpContext, string, bool> isGranted) : IActionModelConvention
    {
        public void Apply(ActionModel action)
        {
            foreach (var filter in action.Filters.OfType<TypeFilterAttribute>().Where(f => f.ImplementationType == typeof(object)).ToList())
                action.Filters.Remove(filter);
            foreach (var filter in action.Controller.Filters.OfType<TypeFilterAttribute>().Where(f => f.ImplementationType == typeof(object)).ToList())
                action.Controller.Filters.Remove(filter);

            if (action.Controller.ControllerType.GetCustomAttributes(typeof(AuthorizeAdminAttribute), true).Any())
                action.Filters.Add(new AdminLoginStandIn(isAdmin));
            foreach (var permission in action.ActionMethod.GetCustomAttributesData().Where(a => a.AttributeType == typeof(CheckPermissionAttribute)))
                action.Filters.Add(new PermissionStandIn((string)permission.ConstructorArguments[0].Value, isGranted));
        }
    }
}
