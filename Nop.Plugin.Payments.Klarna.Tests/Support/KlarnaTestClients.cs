using Nop.Plugin.Payments.Klarna.Services.Api.Models;
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

    /// <summary>
    /// What the browser passes to Klarna.Payments.authorize / finalize as data: the customer data of the payment step, as JSON
    /// </summary>
    public static global::Klarna.Sandbox.Models.SandboxCustomerData BrowserData(KlarnaCustomerData customer) =>
        System.Text.Json.JsonSerializer.Deserialize<global::Klarna.Sandbox.Models.SandboxCustomerData>(
            Newtonsoft.Json.JsonConvert.SerializeObject(customer ?? new KlarnaCustomerData()), global::Klarna.Sandbox.SandboxJson.Options);
}
