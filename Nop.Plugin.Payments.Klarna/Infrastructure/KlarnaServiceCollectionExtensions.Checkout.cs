using Microsoft.Extensions.DependencyInjection;
using Nop.Plugin.Payments.Klarna.Services;

namespace Nop.Plugin.Payments.Klarna.Infrastructure;

public static partial class KlarnaServiceCollectionExtensions
{
    static partial void AddCheckout(IServiceCollection services)
    {
        services.AddScoped<IKlarnaCheckoutLineSourceFactory, KlarnaCheckoutLineSourceFactory>();
        services.AddScoped<IKlarnaCheckoutSessionService, KlarnaCheckoutSessionService>();
        services.AddScoped<KlarnaCheckoutService>();
        services.AddScoped<IKlarnaCheckoutService>(provider => provider.GetRequiredService<KlarnaCheckoutService>());
        services.AddScoped<IKlarnaCheckoutNotificationService, KlarnaCheckoutNotificationService>();
    }
}
