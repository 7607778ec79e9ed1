using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Sandbox;

/// <summary>
/// The sandbox's stand-in of the customer's Klarna widget: authorize (with or without auto_finalize, declined when asked)
/// and finalize of a pay-now category, with the addresses the customer gives and the authorization callback
/// </summary>
[TestFixture]
public class SandboxWidgetTests : SandboxHttpTestBase
{
    [Test]
    public async Task Authorize_session_returns_a_token_and_a_decline_when_asked()
    {
        // Arrange
        var created = await _http.SendAsync(Klarna(HttpMethod.Post, "payments/v1/sessions", Cart));
        var sessionId = JObject.Parse(await created.Content.ReadAsStringAsync()).Value<string>("session_id");

        // Act
        var declined = await PostJsonAsync($"_sandbox/sessions/{sessionId}/authorize", "{\"approved\":false}");
        var approved = await PostJsonAsync($"_sandbox/sessions/{sessionId}/authorize", "{}");

        // Assert
        Assert.That(declined.Value<bool>("approved"), Is.False);
        Assert.That(declined.Value<string>("authorization_token"), Is.Null);
        Assert.That(approved.Value<bool>("approved"), Is.True);
        Assert.That(approved.Value<string>("authorization_token"), Does.StartWith("sbx-authz-"));
    }

    private async Task<string> SessionAsync(string merchantUrls = null)
    {
        var cart = JObject.Parse(Cart);
        if (merchantUrls is not null)
            cart["merchant_urls"] = JObject.Parse(merchantUrls);
        var created = await _http.SendAsync(Klarna(HttpMethod.Post, "payments/v1/sessions", cart.ToString()));
        return JObject.Parse(await created.Content.ReadAsStringAsync()).Value<string>("session_id");
    }

    [TestCase("pay_now")]
    [TestCase("direct_bank_transfer")]
    public async Task Authorize_without_auto_finalize_of_a_pay_now_category_asks_for_finalize_which_gives_the_token(string category)
    {
        // Arrange
        var sessionId = await SessionAsync();

        // Act
        var authorized = await PostJsonAsync($"_sandbox/sessions/{sessionId}/authorize",
            $"{{\"auto_finalize\":false,\"payment_method_category\":\"{category}\"}}");
        var finalized = await PostJsonAsync($"_sandbox/sessions/{sessionId}/finalize", "{}");

        // Assert
        Assert.That(authorized.Value<bool>("approved"), Is.True);
        Assert.That(authorized.Value<bool>("finalize_required"), Is.True);
        Assert.That(authorized.Value<string>("authorization_token"), Is.Null);
        Assert.That(finalized.Value<bool>("approved"), Is.True);
        Assert.That(finalized.Value<bool>("finalize_required"), Is.False);
        Assert.That(finalized.Value<string>("authorization_token"), Does.StartWith("sbx-authz-"));
    }

    [TestCase("{\"auto_finalize\":false,\"payment_method_category\":\"pay_later\"}")]
    [TestCase("{\"payment_method_category\":\"pay_now\"}")]
    public async Task Authorize_gives_the_token_at_once_for_pay_later_or_with_auto_finalize(string body)
    {
        // Arrange
        var sessionId = await SessionAsync();

        // Act
        var authorized = await PostJsonAsync($"_sandbox/sessions/{sessionId}/authorize", body);

        // Assert
        Assert.That(authorized.Value<bool>("finalize_required"), Is.False);
        Assert.That(authorized.Value<string>("authorization_token"), Does.StartWith("sbx-authz-"));
    }

    [Test]
    public async Task Finalize_authorizes_the_session_as_updated_after_authorize_with_the_addresses_it_is_given()
    {
        // Arrange: authorize on the payment step, then the cart changes (the session is updated) before the last page
        var sessionId = await SessionAsync();
        await PostJsonAsync($"_sandbox/sessions/{sessionId}/authorize", "{\"auto_finalize\":false,\"payment_method_category\":\"pay_now\"}");
        var updated = Cart.Replace("10000", "20000").Replace("_tax_amount\":2000", "_tax_amount\":4000");
        (await _http.SendAsync(Klarna(HttpMethod.Post, $"payments/v1/sessions/{sessionId}", updated))).EnsureSuccessStatusCode();

        // Act
        var finalized = await PostJsonAsync($"_sandbox/sessions/{sessionId}/finalize",
            "{\"billing_address\":{\"given_name\":\"Erika\",\"country\":\"SE\"}}");
        var token = finalized.Value<string>("authorization_token");
        var order = JObject.Parse(updated);
        order["billing_address"] = new JObject { ["given_name"] = "Erika", ["country"] = "SE" };
        var created = await _http.SendAsync(Klarna(HttpMethod.Post, $"payments/v1/authorizations/{token}/order", order.ToString()));

        // Assert
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK), await created.Content.ReadAsStringAsync());
        var orderId = JObject.Parse(await created.Content.ReadAsStringAsync()).Value<string>("order_id");
        Assert.That(_fixture.State.GetOrder(orderId).OrderAmount, Is.EqualTo(20000));
        Assert.That(_fixture.State.GetOrder(orderId).BillingAddress.GivenName, Is.EqualTo("Erika"));
    }

    [Test]
    public async Task Finalize_announces_the_token_on_the_authorization_callback()
    {
        // Arrange
        using var listener = new HttpListener();
        var port = LocalPorts.Free();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            context.Response.StatusCode = 200;
            context.Response.Close();
            return body;
        });
        var sessionId = await SessionAsync($"{{\"authorization\":\"http://127.0.0.1:{port}/klarna/authorized\"}}");
        await PostJsonAsync($"_sandbox/sessions/{sessionId}/authorize", "{\"auto_finalize\":false,\"payment_method_category\":\"pay_now\"}");

        // Act
        var finalized = await PostJsonAsync($"_sandbox/sessions/{sessionId}/finalize", "{}");

        // Assert
        var callback = JObject.Parse(await received.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(callback.Value<string>("authorization_token"), Is.EqualTo(finalized.Value<string>("authorization_token")));
        Assert.That(callback.Value<string>("session_id"), Is.EqualTo(sessionId));
    }
}
