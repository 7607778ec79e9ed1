using Microsoft.Extensions.DependencyInjection;
using Nop.Plugin.Payments.Klarna.Factories;

namespace Nop.Plugin.Payments.Klarna.Infrastructure;

public static partial class KlarnaServiceCollectionExtensions
{
    static partial void AddAdmin(IServiceCollection services)
    {
        services.AddScoped<IKlarnaModelFactory, KlarnaModelFactory>();
    }
}
