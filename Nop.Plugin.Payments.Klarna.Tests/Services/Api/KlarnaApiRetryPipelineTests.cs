using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Api;

/// <summary>
/// The registered client's resilience pipeline over a scripted Klarna (no network): which requests are repeated, with which
/// idempotency key, how Retry-After and the retry count are honoured, and the per-attempt timeout
/// </summary>
[TestFixture]
public class KlarnaApiRetryPipelineTests
{
    private ConcurrentQueue<(HttpMethod Method, string Key)> _attempts;
    private Func<int, HttpResponseMessage> _answer;
    private Func<int, TimeSpan> _delay;
    private List<ServiceProvider> _providers;
    private KlarnaCredentials _credentials;

    private sealed class ScriptedKlarna(KlarnaApiRetryPipelineTests test) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var key = request.Headers.TryGetValues(KlarnaApiDefaults.IdempotencyKeyHeader, out var keys) ? keys.Single() : null;
            test._attempts.Enqueue((request.Method, key));
            var attempt = test._attempts.Count;
            var delay = test._delay(attempt);
            if (delay > TimeSpan.Zero)
                await Task.Delay(delay, cancellationToken);

            var response = test._answer(attempt);
            response.RequestMessage = request;
            return response;
        }
    }

    [SetUp]
    public void SetUp()
    {
        _attempts = new ConcurrentQueue<(HttpMethod, string)>();
        _answer = _ => Ok();
        _delay = _ => TimeSpan.Zero;
        _providers = new List<ServiceProvider>();
        _credentials = new KlarnaCredentials { Username = "u", Password = "p", BaseUrlOverride = "https://klarna.test/" };
    }

    [TearDown]
    public async Task TearDown()
    {
        foreach (var provider in _providers)
            await provider.DisposeAsync();
    }

    private IKlarnaApiClient CreateClient(Action<KlarnaApiClientOptions> configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKlarnaApiClient().ConfigurePrimaryHttpMessageHandler(() => new ScriptedKlarna(this));
        services.Configure<KlarnaApiClientOptions>(options =>
        {
            options.Timeout = TimeSpan.FromSeconds(10);
            options.MaxRetries = 3;
            options.BaseDelay = TimeSpan.FromMilliseconds(1);
            options.MaxDelay = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(options);
        });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<IKlarnaApiClient>();
    }

    private static HttpResponseMessage Ok() => new(HttpStatusCode.OK) { Content = new StringContent("{\"order_id\":\"o\"}") };

    private static HttpResponseMessage Status(int status, RetryConditionHeaderValue retryAfter = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent("{\"error_code\":\"BUSY\"}") };
        response.Headers.RetryAfter = retryAfter;
        return response;
    }

    [Test]
    public async Task A_read_is_repeated_after_a_server_error_until_Klarna_answers()
    {
        _answer = attempt => attempt <= 2 ? Status(503) : Ok();

        var order = await CreateClient().GetOrderAsync(_credentials, "o");

        Assert.That(order.OrderId, Is.EqualTo("o"));
        Assert.That(_attempts, Has.Count.EqualTo(3));
    }

    [Test]
    public void A_read_is_tried_once_more_than_the_retries_allow_and_then_fails_with_the_last_status()
    {
        _answer = attempt => Status(attempt < 3 ? 503 : 502);

        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => CreateClient(options => options.MaxRetries = 2).GetOrderAsync(_credentials, "o"));

        Assert.That(exception.StatusCode, Is.EqualTo(502));
        Assert.That(_attempts, Has.Count.EqualTo(3));
    }

    [Test]
    public void Without_retries_a_server_error_is_returned_at_once()
    {
        _answer = _ => Status(503);

        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => CreateClient(options => options.MaxRetries = 0).GetOrderAsync(_credentials, "o"));

        Assert.That(exception.StatusCode, Is.EqualTo(503));
        Assert.That(_attempts, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_keyed_write_is_repeated_with_the_same_key()
    {
        _answer = attempt => attempt == 1 ? Status(500) : new HttpResponseMessage(HttpStatusCode.Created);

        await CreateClient().CaptureAsync(_credentials, "o", new KlarnaCaptureRequest { CapturedAmount = 1 }, "capture-key");

        Assert.That(_attempts.Select(a => a.Key), Is.EqualTo(new[] { "capture-key", "capture-key" }));
        Assert.That(_attempts.Select(a => a.Method), Is.All.EqualTo(HttpMethod.Post));
    }

    [Test]
    public void A_write_without_a_key_is_never_repeated()
    {
        _answer = _ => Status(503);

        Assert.ThrowsAsync<KlarnaApiException>(() => CreateClient().CreateSessionAsync(_credentials, new KlarnaSessionRequest()));

        Assert.That(_attempts, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_client_error_is_never_repeated()
    {
        _answer = _ => Status(400);

        Assert.ThrowsAsync<KlarnaApiException>(() => CreateClient().GetOrderAsync(_credentials, "o"));

        Assert.That(_attempts, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_429_is_repeated_after_the_pause_Klarna_asks_for()
    {
        _answer = attempt => attempt == 1 ? Status(429, new RetryConditionHeaderValue(TimeSpan.FromMilliseconds(150))) : Ok();
        var started = DateTime.UtcNow;

        await CreateClient(options => options.BaseDelay = TimeSpan.Zero).GetOrderAsync(_credentials, "o");

        Assert.That(_attempts, Has.Count.EqualTo(2));
        Assert.That(DateTime.UtcNow - started, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(140)));
    }

    [Test]
    public void A_429_asking_for_a_longer_pause_than_the_longest_wait_is_returned_at_once()
    {
        _answer = _ => Status(429, new RetryConditionHeaderValue(TimeSpan.FromSeconds(1)));

        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => CreateClient().GetOrderAsync(_credentials, "o"));

        Assert.That(exception.StatusCode, Is.EqualTo(429));
        Assert.That(_attempts, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_429_asking_for_exactly_the_longest_wait_is_still_repeated()
    {
        _answer = attempt => attempt == 1 ? Status(429, new RetryConditionHeaderValue(TimeSpan.FromMilliseconds(200))) : Ok();

        await CreateClient().GetOrderAsync(_credentials, "o");

        Assert.That(_attempts, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task An_attempt_slower_than_the_timeout_the_credentials_carry_is_abandoned_and_repeated()
    {
        _delay = attempt => attempt == 1 ? TimeSpan.FromSeconds(5) : TimeSpan.Zero;
        var credentials = new KlarnaCredentials { Username = "u", Password = "p", BaseUrlOverride = "https://klarna.test/", Timeout = TimeSpan.FromMilliseconds(150) };
        var started = DateTime.UtcNow;

        var order = await CreateClient().GetOrderAsync(credentials, "o");

        Assert.That(order.OrderId, Is.EqualTo("o"));
        Assert.That(_attempts, Has.Count.EqualTo(2));
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(4)));
    }

    [Test]
    public void Attempts_slower_than_the_clients_timeout_end_as_TIMEOUT_after_the_retries()
    {
        _delay = _ => TimeSpan.FromSeconds(5);

        var exception = Assert.ThrowsAsync<KlarnaApiException>(() =>
            CreateClient(options => { options.Timeout = TimeSpan.FromMilliseconds(100); options.MaxRetries = 1; }).GetOrderAsync(_credentials, "o"));

        Assert.That(exception.ErrorCode, Is.EqualTo("TIMEOUT"));
        Assert.That(_attempts, Has.Count.EqualTo(2));
    }

    [Test]
    public void The_retry_after_of_an_answer_is_its_delta_its_date_from_now_or_nothing()
    {
        var delta = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        delta.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        var date = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        date.Headers.RetryAfter = new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(30));
        var past = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        past.Headers.RetryAfter = new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(-30));

        Assert.That(KlarnaApiServiceCollectionExtensions.GetRetryAfter(delta), Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(KlarnaApiServiceCollectionExtensions.GetRetryAfter(date), Is.EqualTo(TimeSpan.FromSeconds(30)).Within(TimeSpan.FromSeconds(2)));
        Assert.That(KlarnaApiServiceCollectionExtensions.GetRetryAfter(past), Is.EqualTo(TimeSpan.Zero));
        Assert.That(KlarnaApiServiceCollectionExtensions.GetRetryAfter(new HttpResponseMessage(HttpStatusCode.TooManyRequests)), Is.Null);
        Assert.That(KlarnaApiServiceCollectionExtensions.GetRetryAfter(null), Is.Null);
    }

    [Test]
    public void Only_reads_and_writes_with_a_real_key_are_safe_to_repeat()
    {
        var head = new HttpRequestMessage(HttpMethod.Head, "http://x/");
        var blankKey = new HttpRequestMessage(HttpMethod.Post, "http://x/");
        blankKey.Headers.TryAddWithoutValidation(KlarnaApiDefaults.IdempotencyKeyHeader, " ");
        var patch = new HttpRequestMessage(HttpMethod.Patch, "http://x/");
        patch.Headers.TryAddWithoutValidation(KlarnaApiDefaults.IdempotencyKeyHeader, "k");

        Assert.That(KlarnaApiServiceCollectionExtensions.IsSafeToRepeat(head), Is.True);
        Assert.That(KlarnaApiServiceCollectionExtensions.IsSafeToRepeat(blankKey), Is.False);
        Assert.That(KlarnaApiServiceCollectionExtensions.IsSafeToRepeat(patch), Is.True);
        Assert.That(KlarnaApiServiceCollectionExtensions.IsSafeToRepeat(null), Is.False);
    }

    [Test]
    public void Registering_on_no_service_collection_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => KlarnaApiServiceCollectionExtensions.AddKlarnaApiClient(null));
    }

    [Test]
    public void The_registered_http_client_has_no_timeout_of_its_own_so_the_pipeline_owns_them()
    {
        CreateClient();
        var factory = _providers.Single().GetRequiredService<IHttpClientFactory>();

        Assert.That(factory.CreateClient(KlarnaApiDefaults.HttpClientName).Timeout, Is.EqualTo(System.Threading.Timeout.InfiniteTimeSpan));
    }

    private sealed class CapturingLogs : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter) =>
            Entries.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }

    [Test]
    public async Task The_registered_client_writes_no_HttpClient_log_that_would_carry_the_authorization_token_of_the_URL()
    {
        var logs = new CapturingLogs();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddKlarnaApiClient().ConfigurePrimaryHttpMessageHandler(() => new ScriptedKlarna(this));
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);

        await provider.GetRequiredService<IKlarnaApiClient>().CreateOrderAsync(_credentials, "secret-authorization-token", new KlarnaSessionRequest());

        Assert.That(_attempts, Has.Count.EqualTo(1));
        Assert.That(logs.Entries.Where(entry => entry.Contains("secret-authorization-token")), Is.Empty);
    }
}
