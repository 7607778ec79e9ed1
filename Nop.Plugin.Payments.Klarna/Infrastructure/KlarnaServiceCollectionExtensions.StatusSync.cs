using Microsoft.Extensions.DependencyInjection;
using Nop.Plugin.Payments.Klarna.Services;

namespace Nop.Plugin.Payments.Klarna.Infrastructure;

public static partial class KlarnaServiceCollectionExtensions
{
    static partial void AddStatusSync(IServiceCollection services)
    {
        services.AddScoped<IKlarnaOrderReconciler, KlarnaOrderReconciler>();
        services.AddScoped<IKlarnaStatusSyncOrderProcessor, KlarnaStatusSyncOrderProcessor>();
        services.AddScoped<IKlarnaStatusSyncService, KlarnaStatusSyncService>();
    }
}
