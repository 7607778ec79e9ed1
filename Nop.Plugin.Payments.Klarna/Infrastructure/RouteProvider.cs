using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Nop.Web.Framework;
using Nop.Web.Framework.Mvc.Routing;

namespace Nop.Plugin.Payments.Klarna.Infrastructure;

/// <summary>
/// Represents the plugin's routes: the admin routes and the public route of Klarna's notifications
/// </summary>
public class RouteProvider : IRouteProvider
{
    /// <summary>
    /// Gets the admin routes: route name, pattern, controller (KlarnaAdmin: configuration; KlarnaOrderAdmin: the order
    /// block's actions), action
    /// </summary>
    public static IReadOnlyList<(string Name, string Pattern, string Controller, string Action)> AdminRoutes { get; } = new List<(string, string, string, string)>
    {
        (KlarnaDefaults.Route.Configuration, "Admin/Klarna/Configure", "KlarnaAdmin", "Configure"),
        (KlarnaDefaults.Route.TestConnection, "Admin/Klarna/TestConnection", "KlarnaAdmin", "TestConnection"),
        (KlarnaDefaults.Route.Capture, "Admin/Klarna/Capture", "KlarnaOrderAdmin", "Capture"),
        (KlarnaDefaults.Route.Refund, "Admin/Klarna/Refund", "KlarnaOrderAdmin", "Refund"),
        (KlarnaDefaults.Route.Cancel, "Admin/Klarna/Cancel", "KlarnaOrderAdmin", "Cancel"),
        (KlarnaDefaults.Route.Release, "Admin/Klarna/Release", "KlarnaOrderAdmin", "Release"),
        (KlarnaDefaults.Route.RefreshBlock, "Admin/Klarna/OrderBlock/{orderId:int}", "KlarnaOrderAdmin", "RefreshBlock")
    };

    /// <summary>
    /// Register routes
    /// </summary>
    /// <param name="endpointRouteBuilder">Route builder</param>
    public void RegisterRoutes(IEndpointRouteBuilder endpointRouteBuilder)
    {
        foreach (var (name, pattern, controller, action) in AdminRoutes)
        {
            endpointRouteBuilder.MapControllerRoute(name: name, pattern: pattern,
                defaults: new { controller, action, area = AreaNames.ADMIN });
        }

        endpointRouteBuilder.MapControllerRoute(name: KlarnaDefaults.Route.Notification,
            pattern: $"{KlarnaDefaults.Checkout.NotificationPath}/{{secret?}}",
            defaults: new { controller = "KlarnaPublic", action = "Notification" });

        endpointRouteBuilder.MapControllerRoute(name: KlarnaDefaults.Route.Finalized,
            pattern: KlarnaDefaults.Checkout.FinalizedPath,
            defaults: new { controller = "KlarnaCheckout", action = "Finalized" });
    }

    /// <summary>
    /// Gets a priority of route provider
    /// </summary>
    public int Priority => 0;
}
