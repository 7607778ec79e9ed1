using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Infrastructure;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// The plugin's controllers and routes in a real ASP.NET Core pipeline (Kestrel on 127.0.0.1) over a shop of the suite:
/// its engine, notification service and nopCommerce mocks, the admin's factories and mocks, the suite's Microsoft log
/// </summary>
public static class ReliabilityPipeline
{
    /// <summary>
    /// Starts the pipeline
    /// </summary>
    /// <param name="shop">The shop whose services answer</param>
    /// <param name="admin">The admin side over the shop (factories, nopCommerce's admin mocks)</param>
    /// <param name="isAdmin">Whether a request comes from a logged-in admin (null: never)</param>
    /// <param name="isGranted">Whether a request's user has a permission (null: never)</param>
    /// <returns>The running host</returns>
    public static Task<PluginPipelineHost> StartAsync(ReliabilityShop shop, ReliabilityAdmin admin, Func<HttpContext, bool> isAdmin = null,
        Func<HttpContext, string, bool> isGranted = null) =>
        PluginPipelineHost.StartAsync(isAdmin ?? (_ => false), isGranted ?? ((_, _) => false),
            services =>
            {
                services.AddSingleton(shop.Client);
                services.AddScoped<KlarnaConnectionTester>();
                services.AddSingleton<IKlarnaModelFactory>(admin.Factory);
                services.AddSingleton<IKlarnaOrderDetailsModelFactory>(admin.OrderDetailsFactory);
                services.AddSingleton(shop.Harness.MoneyFormatter);
                services.AddSingleton(shop.Executor);
                services.AddSingleton(shop.Harness.Texts);
                services.AddSingleton<IKlarnaCheckoutNotificationService>(shop.NotificationService);
                services.AddSingleton(admin.Localization.Object);
                services.AddSingleton(admin.Notifications.Object);
                services.AddSingleton(shop.Harness.OrderService.Object);
                services.AddSingleton(shop.Harness.SettingService.Object);
                services.AddSingleton(admin.StoreContext.Object);
                services.AddSingleton(admin.WorkContext.Object);
                services.AddSingleton(admin.StatusSync.Object);
            },
            logging => logging.AddProvider(ReliabilityEnvironment.MicrosoftLogs),
            new RouteProvider());
}
