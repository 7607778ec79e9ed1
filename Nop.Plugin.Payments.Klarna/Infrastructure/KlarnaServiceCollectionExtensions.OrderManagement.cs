using Microsoft.Extensions.DependencyInjection;
using Nop.Plugin.Payments.Klarna.Services;

namespace Nop.Plugin.Payments.Klarna.Infrastructure;

public static partial class KlarnaServiceCollectionExtensions
{
    static partial void AddOrderManagement(IServiceCollection services)
    {
        services.AddScoped<IKlarnaCredentialsProvider, KlarnaCredentialsProvider>();
        services.AddScoped<IKlarnaOrderRecordService, KlarnaOrderRecordService>();
        services.AddScoped<IKlarnaOrderStatusService, KlarnaOrderStatusService>();
        services.AddScoped<IKlarnaShipmentTrackingService, KlarnaShipmentTrackingService>();
        services.AddScoped<IKlarnaOrderManagementService, KlarnaOrderManagementService>();
        services.AddScoped<IKlarnaNopPaymentOperations, KlarnaNopPaymentOperations>();
    }
}
