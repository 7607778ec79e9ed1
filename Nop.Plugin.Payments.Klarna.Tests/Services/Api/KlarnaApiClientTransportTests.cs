using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moq;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using NUnit.Framework;
using Polly.Timeout;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Api;

/// <summary>
/// The client's own part of every exchange, without a network: what it puts on the request (auth, idempotency key, timeout,
/// body), what it reads from the answer (ids, correlation id), how failures become Klarna errors, and what it logs
/// </summary>
[TestFixture]
public partial class KlarnaApiClientTransportTests
{
    private const string Password = "pa55-word!";

    private Func<HttpRequestMessage, HttpResponseMessage> _answer;
    private List<(HttpRequestMessage Request, string Body)> _sent;
    private KlarnaApiClientOptions _options;
    private List<(LogLevel Level, string Message, Exception Exception)> _logs;
    private KlarnaCredentials _credentials;

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer, List<(HttpRequestMessage, string)> sent) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            sent.Add((request, body));
            var response = answer(request);
            response.RequestMessage ??= request;
            return response;
        }
    }

    private sealed class ListLogger(List<(LogLevel, string, Exception)> logs) : ILogger<KlarnaApiClient>
    {
        public IDisposable BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter) =>
            logs.Add((logLevel, formatter(state, exception), exception));
    }

    [SetUp]
    public void SetUp()
    {
        _sent = new List<(HttpRequestMessage, string)>();
        _logs = new List<(LogLevel, string, Exception)>();
        _options = new KlarnaApiClientOptions { UserAgentPlatform = "TestShop_1.0" };
        _answer = _ => Json(HttpStatusCode.OK, "{}");
        _credentials = new KlarnaCredentials { Username = "merchant-user", Password = Password, BaseUrlOverride = "https://klarna.test/base" };
    }

    private KlarnaApiClient CreateClient(params IKlarnaTrafficLogger[] trafficLoggers) =>
        new(new HttpClient(new StubHandler(request => _answer(request), _sent)), Options.Create(_options), new ListLogger(_logs), trafficLoggers);

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private HttpRequestMessage Sent => _sent.Single().Request;

    [Test]
    public async Task A_keyed_write_carries_basic_auth_json_accept_the_user_agent_the_key_and_its_body()
    {
        await CreateClient().CaptureAsync(_credentials, "order-1", new KlarnaCaptureRequest { CapturedAmount = 1250 }, "key-1");

        var (request, body) = _sent.Single();
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.RequestUri, Is.EqualTo(new Uri("https://klarna.test/base/ordermanagement/v1/orders/order-1/captures")));
        Assert.That(request.Headers.Authorization.Scheme, Is.EqualTo("Basic"));
        Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers.Authorization.Parameter)), Is.EqualTo($"merchant-user:{Password}"));
        Assert.That(request.Headers.Accept.Select(a => a.MediaType), Is.EqualTo(new[] { "application/json" }));
        Assert.That(string.Join(" ", request.Headers.GetValues("User-Agent")), Does.StartWith("Platform/TestShop_1.0 Module/Nop.Plugin.Payments.Klarna_"));
        Assert.That(string.Join(" ", request.Headers.GetValues("User-Agent")), Does.Contain(" Language/.NET_").And.Contain(" OS/"));
        Assert.That(request.Headers.GetValues(KlarnaApiDefaults.IdempotencyKeyHeader), Is.EqualTo(new[] { "key-1" }));
        Assert.That(request.Content.Headers.ContentType.MediaType, Is.EqualTo("application/json"));
        Assert.That(request.Content.Headers.ContentType.CharSet, Is.EqualTo("utf-8"));
        Assert.That(body, Does.Contain("\"captured_amount\":1250"));
        Assert.That(body, Does.Not.Contain("null"), "null members are left out");
    }

    [Test]
    public async Task A_read_carries_no_key_and_no_body()
    {
        await CreateClient().GetOrderAsync(_credentials, "order-1");

        Assert.That(Sent.Method, Is.EqualTo(HttpMethod.Get));
        Assert.That(Sent.Headers.Contains(KlarnaApiDefaults.IdempotencyKeyHeader), Is.False);
        Assert.That(Sent.Content, Is.Null);
    }

    [TestCase(null)]
    [TestCase("")]
    public async Task A_send_without_a_key_adds_no_key_header(string key)
    {
        await CreateClient().SendAsync(KlarnaRequest.CancelOrder("order-1"), _credentials, key);

        Assert.That(Sent.Headers.Contains(KlarnaApiDefaults.IdempotencyKeyHeader), Is.False);
    }

    [Test]
    public async Task The_timeout_the_credentials_carry_travels_with_the_request_for_the_pipeline()
    {
        var credentials = new KlarnaCredentials { Username = "u", Password = "p", BaseUrlOverride = "https://klarna.test/", Timeout = TimeSpan.FromSeconds(7) };

        await CreateClient().GetOrderAsync(credentials, "order-1");

        Assert.That(Sent.Options.TryGetValue(KlarnaApiDefaults.TimeoutOption, out var timeout), Is.True);
        Assert.That(timeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    [Test]
    public async Task No_timeout_or_a_zero_one_leaves_the_clients_default()
    {
        await CreateClient().GetOrderAsync(_credentials, "order-1");
        var zero = new KlarnaCredentials { Username = "u", Password = "p", BaseUrlOverride = "https://klarna.test/", Timeout = TimeSpan.Zero };
        await CreateClient().GetOrderAsync(zero, "order-2");

        Assert.That(_sent.All(s => !s.Request.Options.TryGetValue(KlarnaApiDefaults.TimeoutOption, out _)), Is.True);
    }

    [Test]
    public async Task The_answer_carries_status_body_correlation_id_location_and_the_ids_of_captures_and_refunds()
    {
        _answer = _ =>
        {
            var response = Json(HttpStatusCode.Created, "{\"a\":1}");
            response.Headers.Add(KlarnaApiDefaults.CorrelationIdHeader, "corr-9");
            response.Headers.Location = new Uri("https://klarna.test/ordermanagement/v1/orders/o/captures/cap-1");
            response.Headers.Add(KlarnaApiDefaults.CaptureIdHeader, "cap-1");
            response.Headers.Add(KlarnaApiDefaults.RefundIdHeader, "ref-1");
            return response;
        };

        var response = await CreateClient().SendAsync(KlarnaRequest.GetOrder("o"), _credentials, null);

        Assert.That(response.StatusCode, Is.EqualTo(201));
        Assert.That(response.Body, Is.EqualTo("{\"a\":1}"));
        Assert.That(response.CorrelationId, Is.EqualTo("corr-9"));
        Assert.That(response.Location, Is.EqualTo("https://klarna.test/ordermanagement/v1/orders/o/captures/cap-1"));
        Assert.That(response.CaptureId, Is.EqualTo("cap-1"));
        Assert.That(response.RefundId, Is.EqualTo("ref-1"));
    }

    [Test]
    public async Task An_answer_without_those_headers_has_none_of_them()
    {
        var response = await CreateClient().SendAsync(KlarnaRequest.GetOrder("o"), _credentials, null);

        Assert.That(response.CorrelationId, Is.Null);
        Assert.That(response.Location, Is.Null);
        Assert.That(response.CaptureId, Is.Null);
        Assert.That(response.RefundId, Is.Null);
    }

    [Test]
    public async Task The_capture_and_refund_ids_come_from_their_headers_else_from_the_last_segment_of_the_location()
    {
        _answer = request =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Created);
            response.Headers.Location = request.RequestUri!.AbsolutePath.EndsWith("/captures")
                ? new Uri("https://klarna.test/ordermanagement/v1/orders/o/captures/cap-7/")
                : new Uri("https://klarna.test/ordermanagement/v1/orders/o/refunds/ref-7");
            return response;
        };
        var client = CreateClient();

        var captureId = await client.CaptureAsync(_credentials, "o", new KlarnaCaptureRequest { CapturedAmount = 1 }, "k1");
        var refundId = await client.RefundAsync(_credentials, "o", new KlarnaRefundRequest { RefundedAmount = 1 }, "k2");

        Assert.That(captureId, Is.EqualTo("cap-7"));
        Assert.That(refundId, Is.EqualTo("ref-7"));
    }

    [Test]
    public async Task A_capture_answer_with_neither_header_nor_location_has_no_id()
    {
        _answer = _ => new HttpResponseMessage(HttpStatusCode.Created);

        var captureId = await CreateClient().CaptureAsync(_credentials, "o", new KlarnaCaptureRequest { CapturedAmount = 1 }, "k1");
        var refundId = await CreateClient().RefundAsync(_credentials, "o", new KlarnaRefundRequest { RefundedAmount = 1 }, "k2");

        Assert.That(captureId, Is.Null);
        Assert.That(refundId, Is.Null);
    }

    [Test]
    public void A_Klarna_error_answer_becomes_Klarnas_code_messages_and_correlation_id()
    {
        _answer = _ =>
        {
            var response = Json(HttpStatusCode.Forbidden, "{\"error_code\":\"NOT_ALLOWED\",\"error_messages\":[\"Capture not allowed\"],\"correlation_id\":\"c-1\"}");
            response.Headers.Add(KlarnaApiDefaults.CorrelationIdHeader, "c-1");
            return response;
        };

        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => CreateClient().CaptureAsync(_credentials, "o", new KlarnaCaptureRequest { CapturedAmount = 1 }, "k"));

        Assert.That(exception.StatusCode, Is.EqualTo(403));
        Assert.That(exception.ErrorCode, Is.EqualTo("NOT_ALLOWED"));
        Assert.That(exception.ErrorMessages, Is.EqualTo(new[] { "Capture not allowed" }));
        Assert.That(exception.CorrelationId, Is.EqualTo("c-1"));
    }

    [Test]
    public void A_timeout_of_the_pipeline_is_a_TIMEOUT_with_no_answer()
    {
        _answer = _ => throw new TimeoutRejectedException("attempt timed out");

        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => CreateClient().GetOrderAsync(_credentials, "o"));

        Assert.That(exception.StatusCode, Is.Zero);
        Assert.That(exception.ErrorCode, Is.EqualTo("TIMEOUT"));
        Assert.That(exception.InnerException, Is.TypeOf<TimeoutRejectedException>());
        Assert.That(exception.Message, Does.Contain("GET ordermanagement/v1/orders/o"));
    }

    [Test]
    public void A_cancellation_the_caller_did_not_ask_for_is_a_TIMEOUT()
    {
        _answer = _ => throw new TaskCanceledException("HttpClient.Timeout");

        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => CreateClient().GetOrderAsync(_credentials, "o"));

        Assert.That(exception.ErrorCode, Is.EqualTo("TIMEOUT"));
    }

    [Test]
    public void A_cancellation_the_caller_asked_for_stays_a_cancellation()
    {
        using var cancellation = new CancellationTokenSource();
        _answer = _ =>
        {
            cancellation.Cancel();
            throw new TaskCanceledException("cancelled");
        };

        Assert.That(async () => await CreateClient().GetOrderAsync(_credentials, "o", cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void A_connection_failure_is_a_TRANSPORT_ERROR_naming_the_masked_path_and_the_cause()
    {
        _answer = _ => throw new HttpRequestException("connection refused");

        var exception = Assert.ThrowsAsync<KlarnaApiException>(() =>
            CreateClient().CreateOrderAsync(_credentials, "secret-token", new KlarnaSessionRequest()));

        Assert.That(exception.StatusCode, Is.Zero);
        Assert.That(exception.ErrorCode, Is.EqualTo("TRANSPORT_ERROR"));
        Assert.That(exception.CorrelationId, Is.Null);
        Assert.That(exception.Message, Does.Contain("connection refused"));
        Assert.That(exception.Message, Does.Contain("POST"));
        Assert.That(exception.Message, Does.Not.Contain("secret-token"));
    }

    [Test]
    public void An_unreadable_answer_is_INVALID_RESPONSE_with_Klarnas_status_and_correlation_id()
    {
        _answer = _ =>
        {
            var response = Json(HttpStatusCode.OK, "{\"order_id\": [not json");
            response.Headers.Add(KlarnaApiDefaults.CorrelationIdHeader, "c-2");
            return response;
        };

        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => CreateClient().GetOrderAsync(_credentials, "o"));

        Assert.That(exception.StatusCode, Is.EqualTo(200));
        Assert.That(exception.ErrorCode, Is.EqualTo("INVALID_RESPONSE"));
        Assert.That(exception.CorrelationId, Is.EqualTo("c-2"));
        Assert.That(exception.Message, Does.Contain("GET ordermanagement/v1/orders/o"));
    }

    [Test]
    public async Task An_empty_answer_reads_as_nothing_and_an_empty_capture_list_as_no_captures()
    {
        _answer = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(" ") };

        var order = await CreateClient().GetOrderAsync(_credentials, "o");
        var captures = await CreateClient().ListCapturesAsync(_credentials, "o");

        Assert.That(order, Is.Null);
        Assert.That(captures, Is.Empty);
    }

    [Test]
    public async Task Every_exchange_is_logged_at_debug_level_with_method_masked_url_status_and_correlation_id()
    {
        _answer = _ =>
        {
            var response = Json(HttpStatusCode.OK, "{\"order_id\":\"o\"}");
            response.Headers.Add(KlarnaApiDefaults.CorrelationIdHeader, "corr-3");
            return response;
        };

        await CreateClient().CreateOrderAsync(_credentials, "token-abc", new KlarnaSessionRequest());

        var log = _logs.Single();
        Assert.That(log.Level, Is.EqualTo(LogLevel.Debug));
        Assert.That(log.Message, Does.StartWith("Klarna POST https://klarna.test/base/payments/v1/authorizations/***/order -> 200 in "));
        Assert.That(log.Message, Does.EndWith("(correlation id corr-3)"));
        Assert.That(log.Message, Does.Not.Contain("token-abc"));
    }

    [Test]
    public async Task Bodies_are_logged_masked_only_when_the_options_ask_for_it()
    {
        _options.LogBodies = true;
        _answer = _ => Json(HttpStatusCode.OK, "{\"client_token\":\"ct-secret\",\"session_id\":\"s-1\"}");

        await CreateClient().CreateSessionAsync(_credentials, new KlarnaSessionRequest { PurchaseCountry = "SE", BillingAddress = new KlarnaAddress { Email = "a@b.se" } });

        Assert.That(_logs, Has.Count.EqualTo(2));
        var traffic = _logs[1].Message;
        Assert.That(traffic, Does.StartWith("Klarna POST https://klarna.test/base/payments/v1/sessions -> 200 in "));
        Assert.That(traffic, Does.Contain("request: {").And.Contain("\"purchase_country\":\"SE\""));
        Assert.That(traffic, Does.Contain("; response: {").And.Contain("\"session_id\":\"s-1\""));
        Assert.That(traffic, Does.Not.Contain("ct-secret").And.Not.Contain("a@b.se"));
        Assert.That(string.Join("\n", _logs.Select(l => l.Message)), Does.Not.Contain(Password));
    }

    [Test]
    public async Task Without_body_logging_or_traffic_loggers_only_the_summary_is_logged()
    {
        var disabled = new Mock<IKlarnaTrafficLogger>();
        disabled.SetupGet(l => l.Enabled).Returns(false);

        await CreateClient(disabled.Object).GetOrderAsync(_credentials, "o");

        Assert.That(_logs, Has.Count.EqualTo(1));
        disabled.Verify(l => l.LogAsync(It.IsAny<string>()), Times.Never);
    }

    [Test]
    public async Task An_enabled_traffic_logger_gets_the_masked_exchange_and_a_failing_one_is_only_warned_about()
    {
        var messages = new List<string>();
        var enabled = new Mock<IKlarnaTrafficLogger>();
        enabled.SetupGet(l => l.Enabled).Returns(true);
        enabled.Setup(l => l.LogAsync(It.IsAny<string>())).Callback((string m) => messages.Add(m)).Returns(Task.CompletedTask);
        var failing = new Mock<IKlarnaTrafficLogger>();
        failing.SetupGet(l => l.Enabled).Returns(true);
        failing.Setup(l => l.LogAsync(It.IsAny<string>())).ThrowsAsync(new IOException("disk full"));
        _answer = _ => Json(HttpStatusCode.OK, "{\"order_id\":\"o\",\"email\":\"x@y.z\"}");

        var order = await CreateClient(failing.Object, enabled.Object).GetOrderAsync(_credentials, "o");

        Assert.That(order.OrderId, Is.EqualTo("o"));
        Assert.That(messages.Single(), Does.StartWith("Klarna GET https://klarna.test/base/ordermanagement/v1/orders/o -> 200 in "));
        Assert.That(messages.Single(), Does.Contain("request: ; response: {\"order_id\":\"o\",\"email\":\"***\"}"));
        var warning = _logs.Single(l => l.Level == LogLevel.Warning);
        Assert.That(warning.Exception, Is.TypeOf<IOException>());
        Assert.That(warning.Message, Does.Contain("Klarna traffic logger"));
        Assert.That(_logs.Any(l => l.Level == LogLevel.Debug && l.Message.Contains("request:")), Is.False, "no body in the debug log unless LogBodies");
    }

    [Test]
    public async Task A_failed_connection_is_logged_with_status_zero()
    {
        _answer = _ => throw new HttpRequestException("refused");

        Assert.ThrowsAsync<KlarnaApiException>(() => CreateClient().GetOrderAsync(_credentials, "o"));

        await Task.Yield();
        Assert.That(_logs.Single().Message, Does.Contain("GET https://klarna.test/base/ordermanagement/v1/orders/o -> 0 in "));
    }

    [Test]
    public void A_client_built_without_options_or_traffic_loggers_uses_the_defaults()
    {
        var client = new KlarnaApiClient(new HttpClient(new StubHandler(_ => Json(HttpStatusCode.OK, "{}"), _sent)), null, new ListLogger(_logs), null);

        Assert.DoesNotThrowAsync(() => client.GetOrderAsync(_credentials, "o"));
        Assert.That(string.Join(" ", Sent.Headers.GetValues("User-Agent")), Does.StartWith("Platform/nopCommerce_4.90 "));
    }
}
