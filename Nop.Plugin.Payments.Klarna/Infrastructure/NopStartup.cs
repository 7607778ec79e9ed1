using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nop.Core.Infrastructure;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Web.Framework.Infrastructure.Extensions;

namespace Nop.Plugin.Payments.Klarna.Infrastructure;

/// <summary>
/// Registers the plugin's services (plugin class, controllers, view components and event consumers need no registration)
/// </summary>
public class NopStartup : INopStartup
{
    /// <summary>
    /// Add and configure any of the middleware
    /// </summary>
    /// <param name="services">Collection of service descriptors</param>
    /// <param name="configuration">Configuration of the application</param>
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        //typed Klarna client with timeouts and retries; nopCommerce's proxy settings apply
        services.AddKlarnaApiClient().WithProxy();

        //connection, checkout, order management, records, admin, status sync (one method per capability)
        services.AddKlarnaPluginServices();
    }

    /// <summary>
    /// Configure the using of added middleware
    /// </summary>
    /// <param name="application">Builder for configuring an application's request pipeline</param>
    public void Configure(IApplicationBuilder application)
    {
    }

    /// <summary>
    /// Gets order of this startup configuration implementation
    /// </summary>
    public int Order => 1;
}
