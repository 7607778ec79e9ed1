using Microsoft.Extensions.DependencyInjection;
using Nop.Plugin.Payments.Klarna.Services;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Infrastructure;

public static partial class KlarnaServiceCollectionExtensions
{
    static partial void AddApi(IServiceCollection services)
    {
        //"Debug logging" setting: Klarna requests and responses (secrets masked) into nopCommerce's log.
        //The typed API client itself is registered by NopStartup (with nopCommerce's proxy settings) or by the tests.
        services.AddScoped<IKlarnaTrafficLogger, KlarnaTrafficLogger>();
    }
}
