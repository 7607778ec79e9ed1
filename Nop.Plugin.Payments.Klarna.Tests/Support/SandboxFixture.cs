using System.Net.Http.Json;
using System.Text;
using Klarna.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// Starts a Klarna sandbox on 127.0.0.1 and wires the real Klarna API client (IHttpClientFactory, resilience pipeline) to it
/// </summary>
public sealed class SandboxFixture : IAsyncDisposable
{
    #region Fields

    public const string Username = "test_user";
    public const string Password = "S3cr3t-Klarna-Password!";

    private readonly List<ServiceProvider> _providers = new();

    #endregion

    #region Ctor

    private SandboxFixture(KlarnaSandboxHost sandbox)
    {
        Sandbox = sandbox;
        Control = sandbox.CreateControlClient();
        Credentials = new KlarnaCredentials
        {
            Username = Username,
            Password = Password,
            Region = KlarnaRegion.Europe,
            Environment = KlarnaEnvironment.Playground,
            BaseUrlOverride = sandbox.BaseUri.ToString()
        };
        Logs = new CapturingLoggerProvider();
        Client = CreateClient();
    }

    #endregion

    #region Properties

    public KlarnaSandboxHost Sandbox { get; }

    public SandboxState State => Sandbox.State;

    public HttpClient Control { get; }

    public KlarnaCredentials Credentials { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>
    /// Gets the client with test options: 10 s per attempt, 3 retries, 10 ms base delay
    /// </summary>
    public IKlarnaApiClient Client { get; }

    #endregion

    #region Methods

    public static async Task<SandboxFixture> StartAsync()
    {
        var sandbox = await KlarnaSandboxHost.StartAsync(new SandboxOptions { Username = Username, Password = Password });
        return new SandboxFixture(sandbox);
    }

    /// <summary>
    /// Creates a client through the plugin's registration (AddKlarnaApiClient) with test options
    /// </summary>
    public IKlarnaApiClient CreateClient(Action<KlarnaApiClientOptions> configure = null, IKlarnaTrafficLogger trafficLogger = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddKlarnaApiClient();
        services.Configure<KlarnaApiClientOptions>(options =>
        {
            options.Timeout = TimeSpan.FromSeconds(10);
            options.MaxRetries = 3;
            options.BaseDelay = TimeSpan.FromMilliseconds(10);
            options.MaxDelay = TimeSpan.FromSeconds(2);
            configure?.Invoke(options);
        });
        if (trafficLogger is not null)
            services.AddSingleton(trafficLogger);

        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<IKlarnaApiClient>();
    }

    /// <summary>
    /// Forgets all sandbox state and captured logs
    /// </summary>
    public void Reset()
    {
        State.Reset();
        Logs.Clear();
    }

    /// <summary>
    /// Builds a valid EU line: total = quantity * unit price - discount, tax from the rate
    /// </summary>
    public static KlarnaOrderLine Line(string name, long quantity, long unitPrice, int taxRate = 2500, long discount = 0,
        string type = KlarnaOrderLineType.Physical, string reference = null)
    {
        var total = quantity * unitPrice - discount;
        var tax = (long)Math.Round(total - total * 10000m / (10000m + taxRate), MidpointRounding.AwayFromZero);
        return new KlarnaOrderLine
        {
            Type = type,
            Reference = reference ?? name.ToUpperInvariant(),
            Name = name,
            Quantity = quantity,
            QuantityUnit = "pcs",
            UnitPrice = unitPrice,
            TaxRate = taxRate,
            TotalAmount = total,
            TotalDiscountAmount = discount,
            TotalTaxAmount = tax
        };
    }

    /// <summary>
    /// Builds a cart whose order amount and tax are the sums of the lines (API.md §6.3 worked example by default)
    /// </summary>
    public static KlarnaSessionRequest Cart(params KlarnaOrderLine[] lines)
    {
        if (lines.Length == 0)
        {
            lines =
            [
                new KlarnaOrderLine { Type = "physical", Reference = "SHOE-1", Name = "Shoes", Quantity = 1, UnitPrice = 59500, TaxRate = 2000, TotalAmount = 59500, TotalTaxAmount = 9917 },
                new KlarnaOrderLine { Type = "shipping_fee", Reference = "SHIP", Name = "Shipping", Quantity = 1, UnitPrice = 2900, TaxRate = 2000, TotalAmount = 2900, TotalTaxAmount = 483 }
            ];
        }

        return new KlarnaSessionRequest
        {
            PurchaseCountry = "DE",
            PurchaseCurrency = "EUR",
            Locale = "de-DE",
            OrderAmount = lines.Sum(line => line.TotalAmount),
            OrderTaxAmount = lines.Sum(line => line.TotalTaxAmount),
            OrderLines = lines.ToList(),
            MerchantReference1 = "1001"
        };
    }

    /// <summary>
    /// Creates an AUTHORIZED order through the control API
    /// </summary>
    /// <returns>The Klarna order id</returns>
    public async Task<string> CreateOrderAsync(KlarnaSessionRequest cart = null, string fraudStatus = null, int? expiresInDays = null)
    {
        var body = JObject.FromObject(cart ?? Cart(), JsonSerializer.Create(new JsonSerializerSettings { NullValueHandling = NullValueHandling.Ignore }));
        if (fraudStatus is not null)
            body["fraud_status"] = fraudStatus;
        if (expiresInDays is not null)
            body["expires_in_days"] = expiresInDays;

        var response = await PostControlAsync("_sandbox/orders", body.ToString());
        response.EnsureSuccessStatusCode();
        return JObject.Parse(await response.Content.ReadAsStringAsync()).Value<string>("order_id");
    }

    /// <summary>
    /// Creates an order and captures part of it through the client
    /// </summary>
    public async Task<(string OrderId, string CaptureId)> CreateCapturedOrderAsync(long captureAmount)
    {
        var orderId = await CreateOrderAsync();
        var captureId = await Client.CaptureAsync(Credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = captureAmount }, Guid.NewGuid().ToString());
        return (orderId, captureId);
    }

    /// <summary>
    /// Stands in for the customer's click: authorizes a session through the control API
    /// </summary>
    public async Task<string> AuthorizeAsync(string sessionId, string fraudStatus = null, KlarnaAddress billingAddress = null,
        KlarnaAddress shippingAddress = null)
    {
        var body = new JObject();
        if (fraudStatus is not null)
            body["fraud_status"] = fraudStatus;
        if (billingAddress is not null)
            body["billing_address"] = JObject.FromObject(billingAddress, JsonSerializer.Create(new JsonSerializerSettings { NullValueHandling = NullValueHandling.Ignore }));
        if (shippingAddress is not null)
            body["shipping_address"] = JObject.FromObject(shippingAddress, JsonSerializer.Create(new JsonSerializerSettings { NullValueHandling = NullValueHandling.Ignore }));

        var response = await PostControlAsync($"_sandbox/sessions/{sessionId}/authorize", body.ToString());
        response.EnsureSuccessStatusCode();
        return JObject.Parse(await response.Content.ReadAsStringAsync()).Value<string>("authorization_token");
    }

    /// <summary>
    /// Builds a German address of a person (given name as given, email given-name@example.com)
    /// </summary>
    public static KlarnaAddress Address(string givenName) => new()
    {
        GivenName = givenName,
        FamilyName = "Mustermann",
        Email = $"{givenName.ToLowerInvariant()}@example.com",
        Phone = "+49 30 1234567",
        StreetAddress = "Unter den Linden 1",
        PostalCode = "10117",
        City = "Berlin",
        Country = "DE"
    };

    /// <summary>
    /// Injects a fault through the control API
    /// </summary>
    public async Task AddFaultAsync(object fault)
    {
        var response = await Control.PostAsJsonAsync("_sandbox/faults", fault);
        response.EnsureSuccessStatusCode();
    }

    public Task<HttpResponseMessage> PostControlAsync(string path, string json)
    {
        return Control.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
            await provider.DisposeAsync();
        Control.Dispose();
        await Sandbox.DisposeAsync();
    }

    #endregion
}
