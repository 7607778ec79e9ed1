using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Klarna.Sandbox;

/// <summary>
/// Represents the composition of the sandbox web application (shared by Program and KlarnaSandboxHost)
/// </summary>
public static class SandboxApp
{
    /// <summary>
    /// Registers the sandbox services
    /// </summary>
    public static void ConfigureServices(IServiceCollection services, SandboxState state)
    {
        services.AddSingleton(state);
        services.AddCors();
        services.AddRouting();
    }

    /// <summary>
    /// Configures the request pipeline: Klarna paths first, then the control API and the browser library
    /// </summary>
    public static void Configure(WebApplication app, SandboxState state)
    {
        var pipeline = new KlarnaPipeline(state);
        app.UseCors(policy => policy.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod());
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/payments") || context.Request.Path.StartsWithSegments("/ordermanagement"))
            {
                await pipeline.HandleAsync(context);
                return;
            }

            await next(context);
        });
        app.UseRouting();
        ControlEndpoints.Map(app, state);
        HostileModeEndpoints.Map(app, state);
    }
}
