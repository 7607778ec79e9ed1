using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Sandbox;

/// <summary>
/// Base of the Order Management fixtures: Klarna's errors as the client surfaces them (status, code, correlation id of the
/// last request) and a captured order
/// </summary>
public abstract class SandboxOrderManagementTestBase : SandboxFixtureTestBase
{
    protected static string Key() => Guid.NewGuid().ToString();

    protected KlarnaApiException AssertKlarnaError(Func<Task> call, int status, string errorCode, string messagePart = null)
    {
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => call());
        Assert.That(exception.StatusCode, Is.EqualTo(status));
        Assert.That(exception.ErrorCode, Is.EqualTo(errorCode));
        Assert.That(exception.CorrelationId, Is.EqualTo(_fixture.State.Requests.Last().CorrelationId));
        Assert.That(exception.CorrelationId, Is.Not.Empty);
        if (messagePart is not null)
            Assert.That(exception.ErrorMessages, Has.Some.Contains(messagePart));

        return exception;
    }

    protected async Task<string> CapturedOrderAsync(long amount)
    {
        var orderId = await _fixture.CreateOrderAsync();
        await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = amount }, Key());
        return orderId;
    }
}
