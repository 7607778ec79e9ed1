using System.Collections.Concurrent;
using Klarna.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased;

/// <summary>
/// What the model-based sequences share: Klarna sandboxes on 127.0.0.1 (one per sequence running at a time: a sequence
/// moves the sandbox clock and sets its read lag, so it has its sandbox to itself, reset at its start) and the real Klarna
/// API clients (the plugin's AddKlarnaApiClient registration: resilience pipeline, real timeouts scaled down so that a
/// delay past them costs little)
/// </summary>
public sealed class ModelSuite : IAsyncDisposable
{
    public const string Username = "model_user";
    public const string Password = "M0del-Based-PW-2f8a";

    /// <summary>
    /// Gets the per-attempt timeout of the suite's clients (a delay fault waits longer than this: it really times out)
    /// </summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentBag<KlarnaSandboxHost> _idle = new();
    private readonly ConcurrentBag<KlarnaSandboxHost> _all = new();
    private readonly ConcurrentDictionary<KlarnaSandboxHost, HttpClient> _controls = new();
    private readonly ConcurrentDictionary<int, (ServiceProvider Provider, IKlarnaApiClient Client)> _clients = new();

    /// <summary>
    /// Gets the options of a client of the suite (the lock budget of the engine is computed from the same)
    /// </summary>
    public static KlarnaApiClientOptions ClientOptions(int retries) => new()
    {
        Timeout = ClientTimeout,
        MaxRetries = retries,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(50)
    };

    /// <summary>
    /// Gets the real Klarna API client with a number of retries (0: the fault reaches the plugin; 2: as shipped, scaled)
    /// </summary>
    public IKlarnaApiClient Client(int retries) => _clients.GetOrAdd(retries, count =>
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKlarnaApiClient();
        services.Configure<KlarnaApiClientOptions>(options =>
        {
            var scaled = ClientOptions(count);
            options.Timeout = scaled.Timeout;
            options.MaxRetries = scaled.MaxRetries;
            options.BaseDelay = scaled.BaseDelay;
            options.MaxDelay = scaled.MaxDelay;
        });
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<IKlarnaApiClient>());
    }).Client;

    /// <summary>
    /// Takes a sandbox for one sequence (reset: no orders, faults, lag or clock offset)
    /// </summary>
    public async Task<(KlarnaSandboxHost Sandbox, HttpClient Control)> RentAsync()
    {
        if (!_idle.TryTake(out var sandbox))
        {
            sandbox = await KlarnaSandboxHost.StartAsync(new SandboxOptions { Username = Username, Password = Password });
            _all.Add(sandbox);
        }

        sandbox.State.Reset();
        return (sandbox, _controls.GetOrAdd(sandbox, host => host.CreateControlClient()));
    }

    /// <summary>
    /// Gives a sandbox back
    /// </summary>
    public void Return(KlarnaSandboxHost sandbox)
    {
        sandbox.State.Reset();
        _idle.Add(sandbox);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (provider, _) in _clients.Values)
            await provider.DisposeAsync();
        foreach (var control in _controls.Values)
            control.Dispose();
        foreach (var sandbox in _all)
            await sandbox.DisposeAsync();
    }
}
