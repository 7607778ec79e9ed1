using Klarna.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// Builds a real Klarna API client pointed at a sandbox (checkout tests)
/// </summary>
public static class KlarnaTestClients
{
    public static IKlarnaApiClient Create() =>
        new KlarnaApiClient(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, Options.Create(new KlarnaApiClientOptions()),
            NullLogger<KlarnaApiClient>.Instance, null);

    public static KlarnaCredentials Credentials(KlarnaSandboxHost sandbox, KlarnaRegion region = KlarnaRegion.Europe) => new()
    {
        Username = "sandbox_user",
        Password = "sandbox_password",
        Region = region,
        Environment = KlarnaEnvironment.Playground,
        BaseUrlOverride = sandbox.BaseUri.ToString()
    };
}
