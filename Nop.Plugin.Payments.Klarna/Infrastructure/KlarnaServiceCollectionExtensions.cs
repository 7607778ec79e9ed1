using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.Logging;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;

namespace Nop.Plugin.Payments.Klarna.Infrastructure;

/// <summary>
/// The plugin's service registrations, one method per capability, shared by NopStartup and the tests that build a
/// service provider. The typed API client is registered apart (AddKlarnaApiClient), with nopCommerce's proxy settings in
/// NopStartup and with test handlers in the tests
/// </summary>
public static class KlarnaServiceCollectionExtensions
{
    /// <summary>
    /// Registers every service of the plugin except the typed API client
    /// </summary>
    /// <param name="services">Collection of service descriptors</param>
    /// <returns>The same collection</returns>
    public static IServiceCollection AddKlarnaPluginServices(this IServiceCollection services)
    {
        return services
            .AddKlarnaConnection()
            .AddKlarnaCheckout()
            .AddKlarnaOrderManagement()
            .AddKlarnaRecords()
            .AddKlarnaAdmin()
            .AddKlarnaStatusSync();
    }

    /// <summary>
    /// Registers the glue between the settings and the API client: credentials, the "Debug logging" setting (Klarna
    /// requests and responses, secrets masked, into nopCommerce's log) and the one throttle of repeated warnings (a singleton
    /// on the application's clock)
    /// </summary>
    /// <param name="services">Collection of service descriptors</param>
    /// <returns>The same collection</returns>
    public static IServiceCollection AddKlarnaConnection(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<KlarnaWarningThrottle>();
        services.AddScoped<IKlarnaTrafficLogger, KlarnaTrafficLogger>();
        services.AddScoped<IKlarnaCredentialsProvider, KlarnaCredentialsProvider>();
        services.AddScoped<KlarnaConnectionTester>();
        return services;
    }

    /// <summary>
    /// Registers the checkout: payment sessions, authorization, Klarna order creation, Klarna's notifications
    /// </summary>
    /// <param name="services">Collection of service descriptors</param>
    /// <returns>The same collection</returns>
    public static IServiceCollection AddKlarnaCheckout(this IServiceCollection services)
    {
        services.AddScoped<IKlarnaCheckoutLineSourceFactory, KlarnaCheckoutLineSourceFactory>();
        services.AddScoped<IKlarnaCustomerDataBuilder, KlarnaCustomerDataBuilder>();
        services.AddScoped<IKlarnaCheckoutAttemptStore, KlarnaCheckoutAttemptStore>();
        services.AddScoped<IKlarnaCheckoutAttemptSettler, KlarnaCheckoutAttemptSettler>();
        services.AddScoped<IKlarnaOrderPlacementService, KlarnaOrderPlacementService>();
        services.AddScoped<IKlarnaPlacedOrderRecorder, KlarnaPlacedOrderRecorder>();
        services.AddScoped<IKlarnaCheckoutSessionService, KlarnaCheckoutSessionService>();
        services.AddScoped<IKlarnaCheckoutService, KlarnaCheckoutService>();
        services.AddScoped<IKlarnaCheckoutNotificationService, KlarnaCheckoutNotificationService>();
        return services;
    }

    /// <summary>
    /// Registers the order engine: the executor and its parts (sessions, lock, settlement, writes, state), the read side of
    /// the order block, texts and notes, the order status mapping, shipment tracking and nopCommerce's own buttons
    /// </summary>
    /// <param name="services">Collection of service descriptors</param>
    /// <returns>The same collection</returns>
    public static IServiceCollection AddKlarnaOrderManagement(this IServiceCollection services)
    {
        services.AddOptions<KlarnaEngineOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<KlarnaMoneyFormatter>();
        services.AddScoped<KlarnaTexts>();
        services.AddScoped<KlarnaOrderNotes>();
        services.AddScoped<KlarnaOrderClaims>();
        services.AddScoped<KlarnaOrderLock>();
        services.AddScoped<KlarnaWriteSender>();
        services.AddScoped<KlarnaOrderSessions>();
        services.AddScoped<KlarnaPendingSettler>();
        services.AddScoped<KlarnaOperationWriter>();
        services.AddScoped<KlarnaOrderStateWriter>();
        services.AddScoped<KlarnaCommandServices>();
        services.AddScoped<IKlarnaOperationExecutor, KlarnaOperationExecutor>();
        services.AddScoped<IKlarnaOrderReader, KlarnaOrderReader>();
        services.AddScoped<IKlarnaOrderStatusService, KlarnaOrderStatusService>();
        services.AddScoped<IKlarnaShippingInfoBuilder, KlarnaShippingInfoBuilder>();
        services.AddScoped<IKlarnaShipmentTrackingService, KlarnaShipmentTrackingService>();
        services.AddScoped<IKlarnaNopPaymentOperations, KlarnaNopPaymentOperations>();
        return services;
    }

    /// <summary>
    /// Registers the plugin's records (Klarna orders and operations)
    /// </summary>
    /// <param name="services">Collection of service descriptors</param>
    /// <returns>The same collection</returns>
    public static IServiceCollection AddKlarnaRecords(this IServiceCollection services)
    {
        services.AddScoped<IKlarnaOrderRecordService, KlarnaOrderRecordService>();
        return services;
    }

    /// <summary>
    /// Registers the admin pages' model factories (Configure page, order block)
    /// </summary>
    /// <param name="services">Collection of service descriptors</param>
    /// <returns>The same collection</returns>
    public static IServiceCollection AddKlarnaAdmin(this IServiceCollection services)
    {
        services.AddScoped<IKlarnaModelFactory, KlarnaModelFactory>();
        services.AddScoped<IKlarnaOrderDetailsModelFactory, KlarnaOrderDetailsModelFactory>();
        return services;
    }

    /// <summary>
    /// Registers the status synchronization with Klarna (nopCommerce creates the schedule task itself)
    /// </summary>
    /// <param name="services">Collection of service descriptors</param>
    /// <returns>The same collection</returns>
    public static IServiceCollection AddKlarnaStatusSync(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<IKlarnaStatusSyncOrderProcessor, KlarnaStatusSyncOrderProcessor>();
        services.AddScoped<KlarnaSyncRunLog>();
        services.AddScoped<IKlarnaStatusSyncService, KlarnaStatusSyncService>();
        return services;
    }
}
