using System.Net;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Api;

/// <summary>
/// The client's guards and what it names itself with: a call it cannot make sends nothing, the capture id header wins, and
/// the User-Agent names the plugin's real version
/// </summary>
public partial class KlarnaApiClientTransportTests
{
    [Test]
    public void A_send_without_a_request_or_without_credentials_is_refused_and_sends_nothing()
    {
        var client = CreateClient();

        Assert.Multiple(() =>
        {
            Assert.ThrowsAsync<ArgumentNullException>(() => client.SendAsync(null, _credentials, "key"));
            Assert.ThrowsAsync<ArgumentNullException>(() => client.SendAsync(KlarnaRequest.GetOrder("o"), null, "key"));
        });
        Assert.That(_sent, Is.Empty);
    }

    [Test]
    public async Task The_capture_and_refund_id_headers_win_over_the_location()
    {
        _answer = request =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Created);
            response.Headers.Location = new Uri("https://klarna.test/x/from-location");
            response.Headers.Add(KlarnaApiDefaults.CaptureIdHeader, "capture-from-header");
            response.Headers.Add(KlarnaApiDefaults.RefundIdHeader, "refund-from-header");
            return response;
        };
        var client = CreateClient();

        var captureId = await client.CaptureAsync(_credentials, "o", new KlarnaCaptureRequest { CapturedAmount = 1 }, "k1");
        var refundId = await client.RefundAsync(_credentials, "o", new KlarnaRefundRequest { RefundedAmount = 1 }, "k2");

        Assert.That((captureId, refundId), Is.EqualTo(("capture-from-header", "refund-from-header")));
    }

    [Test]
    public async Task The_user_agent_names_the_plugins_own_version()
    {
        var version = typeof(KlarnaApiClient).Assembly.GetName().Version;
        Assert.That(version, Is.Not.EqualTo(new Version(0, 0, 0, 0)), "the plugin assembly carries a version");

        await CreateClient().GetOrderAsync(_credentials, "o");

        Assert.That(string.Join(" ", Sent.Headers.GetValues("User-Agent")), Does.Contain($" Module/Nop.Plugin.Payments.Klarna_{version} "));
    }
}
