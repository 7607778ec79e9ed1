using System.Text;
using Moq;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Api;

/// <summary>
/// The password and the Authorization header never reach a log line or an exception message
/// </summary>
[TestFixture]
public class KlarnaApiClientLoggingTests
{
    private SandboxFixture _fixture;
    private CapturingTrafficLogger _traffic;
    private IKlarnaApiClient _client;
    private string _basicToken;

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        _fixture = await SandboxFixture.StartAsync();
    }

    [OneTimeTearDown]
    public async Task OneTimeTearDown()
    {
        await _fixture.DisposeAsync();
    }

    [SetUp]
    public void SetUp()
    {
        _fixture.Reset();
        _traffic = new CapturingTrafficLogger();
        _client = _fixture.CreateClient(options => options.LogBodies = true, _traffic);
        _basicToken = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SandboxFixture.Username}:{SandboxFixture.Password}"));
    }

    private void AssertNoSecret(string text)
    {
        Assert.That(text, Does.Not.Contain(SandboxFixture.Password));
        Assert.That(text, Does.Not.Contain(_basicToken));
        Assert.That(text, Does.Not.Contain(_basicToken[..20]));
        Assert.That(text, Does.Not.Match("Basic [A-Za-z0-9+/=]{8,}"));
    }

    [Test]
    public async Task Logs_of_successful_and_failed_calls_never_contain_the_password_or_the_authorization_header()
    {
        // Arrange
        var cart = SandboxFixture.Cart();
        cart.BillingAddress = new KlarnaAddress { GivenName = "Erika", FamilyName = "Mustermann", Email = "erika@example.com", Country = "DE" };
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "GET", kind = "status", status = 503, times = 1 });

        // Act
        await _client.CreateSessionAsync(_fixture.Credentials, cart);
        await _client.GetOrderAsync(_fixture.Credentials, orderId);
        await _client.CaptureAsync(_fixture.Credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 100 }, Guid.NewGuid().ToString());
        Assert.ThrowsAsync<KlarnaApiException>(() => _client.CancelOrderAsync(_fixture.Credentials, orderId, Guid.NewGuid().ToString()));
        Assert.ThrowsAsync<KlarnaApiException>(() => _client.GetOrderAsync(_fixture.Credentials, "missing"));

        // Assert
        var logs = _fixture.Logs.AllText;
        Assert.That(logs, Does.Contain("Klarna POST"), "the client logged its calls");
        Assert.That(logs, Does.Not.Contain("System.Net.Http.HttpClient"), "the HttpClient factory logs nothing (its URIs carry authorization tokens)");
        AssertNoSecret(logs);
        AssertNoSecret(string.Join("\n", _traffic.Messages));
        Assert.That(string.Join("\n", _traffic.Messages), Does.Not.Contain("erika@example.com"));
        Assert.That(string.Join("\n", _traffic.Messages), Does.Not.Contain("Mustermann"));
        Assert.That(string.Join("\n", _traffic.Messages), Does.Contain("\"order_amount\":62400"));
    }

    [Test]
    public void KlarnaApiException_of_a_401_carries_klarna_error_but_no_secret()
    {
        // Arrange
        var wrong = new KlarnaCredentials { Username = SandboxFixture.Username, Password = "Wrong-Password-123", BaseUrlOverride = _fixture.Sandbox.BaseUri.ToString() };

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.GetOrderAsync(wrong, "order-1"));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(401));
        Assert.That(exception.ErrorCode, Is.EqualTo("PERMISSION_DENIED"));
        Assert.That(exception.ErrorMessages, Is.EqualTo(new[] { "Authentication failed or permission not granted" }));
        Assert.That(exception.CorrelationId, Is.EqualTo(_fixture.State.Requests.Single().CorrelationId));
        Assert.That(exception.ToString(), Does.Not.Contain("Wrong-Password-123"));
        Assert.That(_fixture.Logs.AllText, Does.Not.Contain("Wrong-Password-123"));
        AssertNoSecret(exception.ToString());
    }

    [Test]
    public void KlarnaApiException_of_a_transport_failure_carries_no_secret()
    {
        // Arrange
        var client = _fixture.CreateClient(options => options.MaxRetries = 0);
        var credentials = new KlarnaCredentials { Username = "u", Password = SandboxFixture.Password, BaseUrlOverride = "http://127.0.0.1:1/" };

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => client.GetOrderAsync(credentials, "order-1"));

        // Assert
        Assert.That(exception.ErrorCode, Is.EqualTo("TRANSPORT_ERROR"));
        AssertNoSecret(exception.ToString());
        AssertNoSecret(_fixture.Logs.AllText);
    }

    [Test]
    public void KlarnaApiException_message_names_code_status_messages_and_correlation_id()
    {
        // Arrange
        var exception = new KlarnaApiException(403, "CAPTURE_NOT_ALLOWED", ["Capture not allowed"], "cid-1");

        // Act
        var message = exception.Message;

        // Assert
        Assert.That(message, Is.EqualTo("Klarna error CAPTURE_NOT_ALLOWED (403): Capture not allowed (correlation id cid-1)"));
    }

    [Test]
    public async Task Sandbox_request_log_masks_the_authorization_header()
    {
        // Act
        await _client.CreateSessionAsync(_fixture.Credentials, SandboxFixture.Cart());

        // Assert
        var request = _fixture.State.Requests.Single();
        Assert.That(request.Headers["Authorization"], Is.EqualTo("Basic ***"));
        var json = await _fixture.Control.GetStringAsync("_sandbox/requests");
        AssertNoSecret(json);
    }

    [Test]
    public async Task A_failing_or_disabled_traffic_logger_never_fails_the_call()
    {
        // Arrange
        var failing = new Mock<IKlarnaTrafficLogger>();
        failing.SetupGet(logger => logger.Enabled).Returns(true);
        failing.Setup(logger => logger.LogAsync(It.IsAny<string>())).ThrowsAsync(new InvalidOperationException("log store down"));
        var disabled = new Mock<IKlarnaTrafficLogger>();
        disabled.SetupGet(logger => logger.Enabled).Returns(false);
        var orderId = await _fixture.CreateOrderAsync();

        // Act
        var order = await _fixture.CreateClient(trafficLogger: failing.Object).GetOrderAsync(_fixture.Credentials, orderId);
        await _fixture.CreateClient(trafficLogger: disabled.Object).GetOrderAsync(_fixture.Credentials, orderId);

        // Assert
        Assert.That(order.OrderId, Is.EqualTo(orderId));
        failing.Verify(logger => logger.LogAsync(It.Is<string>(m => m.Contains($"GET {_fixture.Sandbox.BaseUri}ordermanagement/v1/orders/{orderId} -> 200"))), Times.Once);
        disabled.Verify(logger => logger.LogAsync(It.IsAny<string>()), Times.Never);
    }
}
