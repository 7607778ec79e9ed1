using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Klarna.Sandbox;

/// <summary>
/// Represents a sandbox started inside a test process on 127.0.0.1 and a free port
/// </summary>
public sealed class KlarnaSandboxHost : IAsyncDisposable
{
    #region Fields

    private readonly WebApplication _app;

    #endregion

    #region Ctor

    private KlarnaSandboxHost(WebApplication app, SandboxState state, Uri baseUri)
    {
        _app = app;
        State = state;
        BaseUri = baseUri;
    }

    #endregion

    #region Properties

    /// <summary>
    /// Gets the base URI (ends with '/'), e.g. http://127.0.0.1:41234/
    /// </summary>
    public Uri BaseUri { get; }

    /// <summary>
    /// Gets the in-memory state (direct access for asserts)
    /// </summary>
    public SandboxState State { get; }

    #endregion

    #region Methods

    /// <summary>
    /// Starts a sandbox on 127.0.0.1 and a free port
    /// </summary>
    /// <param name="options">Options; null for the defaults</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation. The task result contains the running sandbox</returns>
    public static async Task<KlarnaSandboxHost> StartAsync(SandboxOptions options = null, CancellationToken cancellationToken = default)
    {
        var state = new SandboxState(options ?? new SandboxOptions());
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(KlarnaSandboxHost).Assembly.GetName().Name });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        SandboxApp.ConfigureServices(builder.Services, state);

        var app = builder.Build();
        SandboxApp.Configure(app, state);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KlarnaSandboxHost(app, state, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>
    /// Creates an HTTP client for the /_sandbox/ control API (base address = BaseUri)
    /// </summary>
    public HttpClient CreateControlClient()
    {
        return new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// Stops the sandbox
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        State.Notifier.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    #endregion
}
