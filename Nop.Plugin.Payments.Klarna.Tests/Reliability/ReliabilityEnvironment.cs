using Moq;
using System.Collections.Concurrent;
using System.Text;
using Klarna.Sandbox;
using Klarna.Sandbox.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// One Klarna sandbox for the whole reliability suite, started with a distinctive API password, and the real Klarna API
/// client (the plugin's AddKlarnaApiClient registration) pointed at it with short timeouts and backoff. Everything the
/// suite captures (log lines, traffic log, notes, results, pages) is kept here for the secret scan and the summary.
/// </summary>
[SetUpFixture]
public class ReliabilityEnvironment
{
    public const string Username = "reliability_user";

    /// <summary>
    /// The distinctive API password: it must never appear anywhere but in the Basic auth header itself
    /// </summary>
    public const string Password = "Rel1ab1l1ty-PW-9f4e2c7d-NEVER-LOG-ME";

    /// <summary>
    /// Gets the per-attempt timeout of the suite's clients (a "delay" fault waits longer than this)
    /// </summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Gets the waits before Klarna's resends of a notification not answered 200 (Klarna's own schedule, minutes to hours, scaled down)
    /// </summary>
    public static readonly TimeSpan[] NotificationRetryDelays =
        [TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(600), TimeSpan.FromMilliseconds(1200), TimeSpan.FromMilliseconds(2400)];

    private static readonly List<ServiceProvider> _providers = new();

    public static KlarnaSandboxHost Sandbox { get; private set; }

    public static HttpClient Control { get; private set; }

    public static CapturingLoggerProvider MicrosoftLogs { get; } = new();

    /// <summary>
    /// Gets nopCommerce's ILogger behind the plugin's own debug traffic logger (KlarnaTrafficLogger, "Debug logging" on)
    /// </summary>
    public static Moq.Mock<Nop.Services.Logging.ILogger> TrafficNopLogger { get; } = new();

    /// <summary>
    /// Gets what the debug traffic log wrote (method, URL, status, masked bodies)
    /// </summary>
    public static IList<string> TrafficLines => TrafficNopLogger.Invocations
        .Select(i => string.Join(" | ", i.Arguments.Select(a => a?.ToString()))).ToList();

    /// <summary>
    /// Gets the client that gives up at the first failure (the fault reaches the plugin)
    /// </summary>
    public static IKlarnaApiClient ClientWithoutRetries { get; private set; }

    /// <summary>
    /// Gets the client that retries transient failures (as shipped: the fault is absorbed by the retry with the same idempotency key)
    /// </summary>
    public static IKlarnaApiClient ClientWithRetries { get; private set; }

    public static KlarnaCredentials Credentials => new()
    {
        Username = Username,
        Password = Password,
        Region = KlarnaRegion.Europe,
        Environment = KlarnaEnvironment.Playground,
        BaseUrlOverride = Sandbox.BaseUri.ToString()
    };

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ReliabilityLedger.Reset();
        Sandbox = await KlarnaSandboxHost.StartAsync(new SandboxOptions { Username = Username, Password = Password, NotificationRetryDelays = NotificationRetryDelays });
        Control = Sandbox.CreateControlClient();
        ClientWithoutRetries = CreateClient(0);
        ClientWithRetries = CreateClient(2);
    }

    /// <summary>
    /// After every fixture of the suite, whatever their order: prints the one summary line (test output, stdout,
    /// reliability-summary.txt in the test work directory) and fails unless the zeros hold and every part of the suite ran
    /// (a run that left a part out summarises nothing about it)
    /// </summary>
    [OneTimeTearDown]
    public async Task StopAsync()
    {
        try
        {
            var line = ReliabilityLedger.WriteSummary();
            var leaks = ReliabilityLedger.FindSecretLeaks();
            Assert.Multiple(() =>
            {
                Assert.That(ReliabilityLedger.Scenarios, Is.GreaterThan(0), "the fault scenarios did not run: the summary covers the whole suite (Category=Reliability)");
                Assert.That(ReliabilityLedger.ConcurrentOperationCount, Is.GreaterThan(0), "the concurrency tests did not run");
                Assert.That(ReliabilityLedger.BadInputs, Is.GreaterThan(0), "the bad-input tests did not run");
                Assert.That(ReliabilityLedger.DoubleOperations, Is.Empty, "double operations");
                Assert.That(ReliabilityLedger.LostOperations, Is.Empty, "lost operations");
                Assert.That(ReliabilityLedger.SilentFailures, Is.Empty, "failures without an order note and a log entry");
                Assert.That(ReliabilityLedger.AcceptedBadInputs, Is.Empty, "bad inputs not refused");
                Assert.That(ReliabilityLedger.BadInputsRefused, Is.EqualTo(ReliabilityLedger.BadInputs), line);
                Assert.That(leaks, Is.Empty, "secret leaks");
            });
        }
        finally
        {
            foreach (var provider in _providers)
                await provider.DisposeAsync();
            _providers.Clear();
            Control?.Dispose();
            if (Sandbox is not null)
                await Sandbox.DisposeAsync();
        }
    }

    private static IKlarnaApiClient CreateClient(int maxRetries)
    {
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(MicrosoftLogs));
        services.AddKlarnaApiClient();
        services.Configure<KlarnaApiClientOptions>(options =>
        {
            options.Timeout = ClientTimeout;
            options.MaxRetries = maxRetries;
            options.BaseDelay = TimeSpan.FromMilliseconds(10);
            options.MaxDelay = TimeSpan.FromSeconds(2);
            options.LogBodies = true;
        });
        var trafficSettings = new Mock<Nop.Services.Configuration.ISettingService>();
        trafficSettings.Setup(s => s.GetSettingByKey("KlarnaSettings.LogDebug", It.IsAny<bool>(), It.IsAny<int>(), It.IsAny<bool>())).Returns(true);
        services.AddSingleton<IKlarnaTrafficLogger>(new KlarnaTrafficLogger(TrafficNopLogger.Object,
            trafficSettings.Object, new Mock<Nop.Core.IStoreContext>().Object));

        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<IKlarnaApiClient>();
    }

    /// <summary>
    /// Creates an AUTHORIZED order in the sandbox through its control API
    /// </summary>
    /// <returns>Klarna order id</returns>
    /// <param name="lines">Order lines</param>
    /// <param name="currency">Purchase currency</param>
    /// <param name="notificationUrl">merchant_urls.notification (null: none)</param>
    /// <param name="fraudStatus">Klarna's fraud status of the new order (null: ACCEPTED)</param>
    public static async Task<string> CreateSandboxOrderAsync(IList<KlarnaOrderLine> lines, string currency = "EUR", string notificationUrl = null,
        string fraudStatus = null)
    {
        var cart = SandboxFixture.Cart(lines.ToArray());
        cart.PurchaseCurrency = currency;
        var body = JObject.FromObject(cart, JsonSerializer.Create(new JsonSerializerSettings { NullValueHandling = NullValueHandling.Ignore }));
        if (notificationUrl is not null)
            body["merchant_urls"] = new JObject { ["notification"] = notificationUrl };
        if (fraudStatus is not null)
            body["fraud_status"] = fraudStatus;
        var response = await Control.PostAsync("_sandbox/orders", new StringContent(body.ToString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, text);
        return JObject.Parse(text).Value<string>("order_id");
    }

    /// <summary>
    /// Injects a sandbox fault through the control API
    /// </summary>
    public static async Task AddFaultAsync(object fault)
    {
        var json = JsonConvert.SerializeObject(fault);
        var response = await Control.PostAsync("_sandbox/faults", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
    }

    public static async Task ClearFaultsAsync()
    {
        await Control.DeleteAsync("_sandbox/faults");
    }

    /// <summary>
    /// Gets the recorded Klarna requests of one Klarna order (all paths containing its id)
    /// </summary>
    public static IList<RecordedRequest> RequestsOf(string klarnaOrderId) =>
        Sandbox.State.Requests.Where(r => r.Path?.Contains(klarnaOrderId, StringComparison.OrdinalIgnoreCase) == true).ToList();
}

/// <summary>
/// The suite's figures and everything it captured
/// </summary>
public static class ReliabilityLedger
{
    private static readonly ConcurrentQueue<(string Source, string Text)> _captured = new();
    private static readonly ConcurrentQueue<string> _doubles = new();
    private static readonly ConcurrentQueue<string> _lost = new();
    private static readonly ConcurrentQueue<string> _silent = new();
    private static readonly ConcurrentQueue<string> _accepted = new();
    private static int _faultsInjected;
    private static int _faultsHit;
    private static int _scenarios;
    private static int _badInputs;
    private static int _badInputsRefused;
    private static int _concurrentOperations;

    public static int FaultsInjected => _faultsInjected;
    public static int FaultsHit => _faultsHit;
    public static int Scenarios => _scenarios;
    public static int BadInputs => _badInputs;
    public static int BadInputsRefused => _badInputsRefused;
    public static int ConcurrentOperationCount => _concurrentOperations;
    public static IReadOnlyList<string> DoubleOperations => _doubles.ToList();
    public static IReadOnlyList<string> LostOperations => _lost.ToList();
    public static IReadOnlyList<string> SilentFailures => _silent.ToList();
    public static IReadOnlyList<string> AcceptedBadInputs => _accepted.ToList();

    public static void Reset()
    {
        _captured.Clear();
        _logSecrets.Clear();
        _doubles.Clear();
        _lost.Clear();
        _silent.Clear();
        _accepted.Clear();
        _faultsInjected = _faultsHit = _scenarios = _badInputs = _badInputsRefused = _concurrentOperations = 0;
    }

    public static void Capture(string source, string text)
    {
        if (!string.IsNullOrEmpty(text))
            _captured.Enqueue((source, text));
    }

    public static void FaultInjected() => Interlocked.Increment(ref _faultsInjected);

    public static void FaultHit(int count) => Interlocked.Add(ref _faultsHit, count);

    public static void Scenario() => Interlocked.Increment(ref _scenarios);

    public static void ConcurrentOperations(int count) => Interlocked.Add(ref _concurrentOperations, count);

    public static void Double(string what) => _doubles.Enqueue(what);

    public static void Lost(string what) => _lost.Enqueue(what);

    public static void Silent(string what) => _silent.Enqueue(what);

    /// <summary>
    /// Counts one hostile input; refused = clear 4xx, no call to Klarna and no change
    /// </summary>
    public static void BadInput(string what, bool refused)
    {
        Interlocked.Increment(ref _badInputs);
        if (refused)
            Interlocked.Increment(ref _badInputsRefused);
        else
            _accepted.Enqueue(what);
    }

    /// <summary>
    /// Every place the secret was found: captured texts, Microsoft log lines, the traffic log, sandbox-recorded requests
    /// (headers other than the Basic auth itself, bodies)
    /// </summary>
    public static readonly string[] Secrets =
    [
        ReliabilityEnvironment.Password,
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ReliabilityEnvironment.Username}:{ReliabilityEnvironment.Password}"))
    ];

    public static bool ContainsSecret(string text) => text is not null && Secrets.Any(secret => text.Contains(secret, StringComparison.Ordinal));

    private static readonly ConcurrentQueue<string> _logSecrets = new();

    /// <summary>
    /// Gets what Klarna receives but no log, note, page or exception may show: the notification secret (in the notification
    /// URL) and the Klarna authorization tokens the suite used
    /// </summary>
    public static IReadOnlyList<string> LogSecrets => new[] { ReliabilityShop.NotificationSecret }.Concat(_logSecrets).ToList();

    /// <summary>
    /// Adds a Klarna authorization token the suite used to the secret scan
    /// </summary>
    public static void LogSecret(string secret)
    {
        if (!string.IsNullOrEmpty(secret))
            _logSecrets.Enqueue(secret);
    }

    public static IList<string> FindSecretLeaks()
    {
        var leaks = new List<string>();

        //the credentials nowhere but in the Basic header itself; the notification secret and authorization tokens nowhere
        //the plugin writes (the sandbox, being Klarna, receives them)
        void Check(string source, string text, bool klarnaSide = false)
        {
            if (text is null)
                return;
            foreach (var secret in klarnaSide ? Secrets : Secrets.Concat(LogSecrets))
            {
                if (text.Contains(secret, StringComparison.Ordinal))
                    leaks.Add($"{source}: {Excerpt(text, secret)}");
            }
        }

        foreach (var (source, text) in _captured)
            Check(source, text);
        //ASP.NET Core's own request log (the host's, not the plugin's) writes the URL Klarna posts a notification to; that is
        //the host's logging configuration (nopCommerce logs Microsoft.AspNetCore at Warning), so only the credentials count there
        foreach (var line in ReliabilityEnvironment.MicrosoftLogs.Lines)
            Check("Microsoft ILogger", line, klarnaSide: line.Contains(" Microsoft.AspNetCore.Hosting.Diagnostics:", StringComparison.Ordinal));
        foreach (var message in ReliabilityEnvironment.TrafficLines)
            Check("debug traffic log", message);
        if (ReliabilityEnvironment.Sandbox is { } sandbox)
        {
            foreach (var request in sandbox.State.Requests)
            {
                foreach (var header in request.Headers)
                    Check($"sandbox-recorded header {header.Key} of {request.Method} {request.Path}", header.Value, klarnaSide: true);
                Check($"sandbox-recorded body of {request.Method} {request.Path}", request.Body, klarnaSide: true);
                Check("sandbox-recorded path", request.Path, klarnaSide: true);
            }
        }

        return leaks;
    }

    private static string Excerpt(string text, string secret)
    {
        var index = text.IndexOf(secret, StringComparison.Ordinal);
        var start = Math.Max(0, index - 60);
        return text.Substring(start, Math.Min(text.Length - start, secret.Length + 120)).Replace(secret, "<SECRET>");
    }

    public static int SecretLeakCount => FindSecretLeaks().Count;

    public static string SummaryLine()
    {
        var leaks = FindSecretLeaks().Count;
        return $"faults injected: {FaultsInjected} (hit {FaultsHit} requests, {Scenarios} fault scenarios, {_concurrentOperations} concurrent operations), " +
            $"double operations: {_doubles.Count}, lost operations: {_lost.Count}, silent failures: {_silent.Count}, " +
            $"bad inputs refused: {BadInputsRefused}/{BadInputs}, secret leaks: {leaks}";
    }

    /// <summary>
    /// Prints the summary line to the test output and stdout, and writes it to reliability-summary.txt in the work directory
    /// </summary>
    public static string WriteSummary()
    {
        var line = SummaryLine();
        var text = $"Reliability suite: {line}";
        TestContext.Progress.WriteLine(text);
        TestContext.Out.WriteLine(text);
        try
        {
            File.WriteAllText(Path.Combine(TestContext.CurrentContext.WorkDirectory, "reliability-summary.txt"), text + Environment.NewLine);
        }
        catch (IOException)
        {
            //the summary is also in the test output
        }

        return line;
    }
}
