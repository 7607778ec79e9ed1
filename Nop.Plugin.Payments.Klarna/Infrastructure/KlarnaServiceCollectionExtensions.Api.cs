using Microsoft.Extensions.DependencyInjection;
using Nop.Plugin.Payments.Klarna.Services;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Web.Framework.Infrastructure.Extensions;

namespace Nop.Plugin.Payments.Klarna.Infrastructure;

public static partial class KlarnaServiceCollectionExtensions
{
    static partial void AddApi(IServiceCollection services)
    {
        //typed Klarna client with timeouts and retries; nopCommerce's proxy settings apply
        services.AddKlarnaApiClient().WithProxy();

        //"Debug logging" setting: Klarna requests and responses (secrets masked) into nopCommerce's log
        services.AddScoped<IKlarnaTrafficLogger, KlarnaTrafficLogger>();
    }
}
