using Microsoft.Extensions.DependencyInjection;

namespace Nop.Plugin.Payments.Klarna.Infrastructure;

/// <summary>
/// The plugin's service registrations, shared by NopStartup and the tests that build a service provider
/// </summary>
public static partial class KlarnaServiceCollectionExtensions
{
    static partial void AddApi(IServiceCollection services);
    static partial void AddCheckout(IServiceCollection services);
    static partial void AddOrderManagement(IServiceCollection services);
    static partial void AddAdmin(IServiceCollection services);
    static partial void AddStatusSync(IServiceCollection services);

    /// <summary>
    /// Registers every service of the plugin
    /// </summary>
    /// <param name="services">Collection of service descriptors</param>
    /// <returns>The same collection</returns>
    public static IServiceCollection AddKlarnaPluginServices(this IServiceCollection services)
    {
        AddApi(services);
        AddCheckout(services);
        AddOrderManagement(services);
        AddAdmin(services);
        AddStatusSync(services);
        return services;
    }
}
