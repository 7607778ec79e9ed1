using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Nop.Plugin.Payments.Klarna.Services;
using Nop.Web.Framework.Mvc.Routing;

namespace Nop.Plugin.Payments.Klarna.Infrastructure;

/// <summary>
/// Registers the plugin's public routes (Klarna's notifications); the admin routes are in RouteProvider
/// </summary>
public class KlarnaPublicRouteProvider : IRouteProvider
{
    /// <summary>
    /// Register routes
    /// </summary>
    /// <param name="endpointRouteBuilder">Route builder</param>
    public void RegisterRoutes(IEndpointRouteBuilder endpointRouteBuilder)
    {
        endpointRouteBuilder.MapControllerRoute(name: KlarnaDefaults.Route.Notification,
            pattern: $"{KlarnaCheckoutDefaults.NotificationPath}/{{secret?}}",
            defaults: new { controller = "KlarnaPublic", action = "Notification" });
    }

    /// <summary>
    /// Gets a priority of route provider
    /// </summary>
    public int Priority => 0;
}
