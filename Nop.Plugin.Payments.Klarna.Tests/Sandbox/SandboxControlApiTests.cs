using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Sandbox;

/// <summary>
/// The /_sandbox/ test-control API and Klarna's wire format, driven with a plain HttpClient as curl would
/// </summary>
[TestFixture]
public class SandboxControlApiTests : SandboxHttpTestBase
{
    [Test]
    public async Task Control_create_order_returns_an_authorized_order_expiring_in_28_days()
    {
        // Act
        var order = await PostJsonAsync("_sandbox/orders", Cart);

        // Assert
        Assert.That(order.Value<string>("status"), Is.EqualTo("AUTHORIZED"));
        Assert.That(order.Value<string>("fraud_status"), Is.EqualTo("ACCEPTED"));
        Assert.That(order.Value<long>("remaining_authorized_amount"), Is.EqualTo(10000));
        var created = order.Value<DateTime>("created_at");
        var expires = order.Value<DateTime>("expires_at");
        Assert.That(expires - created, Is.EqualTo(TimeSpan.FromDays(28)));
    }

    [Test]
    public async Task Control_create_order_validates_lines_like_klarna()
    {
        // Act
        var error = await PostJsonAsync("_sandbox/orders", Cart.Replace("\"order_amount\":10000", "\"order_amount\":10001"), HttpStatusCode.BadRequest);

        // Assert
        Assert.That(error.Value<string>("error_code"), Is.EqualTo("BAD_VALUE"));
        Assert.That(error["error_messages"]!.Values<string>(), Is.EqualTo(new[] { "Bad value: order_amount" }));
    }

    [Test]
    public async Task Expire_moves_the_order_past_expires_at()
    {
        // Arrange
        var orderId = (await PostJsonAsync("_sandbox/orders", Cart)).Value<string>("order_id");

        // Act
        var order = await PostJsonAsync($"_sandbox/orders/{orderId}/expire", "{}");

        // Assert
        Assert.That(order.Value<string>("status"), Is.EqualTo("EXPIRED"));
        Assert.That(order.Value<DateTime>("expires_at"), Is.LessThan(DateTime.UtcNow));
    }

    [Test]
    public async Task Portal_actions_follow_the_same_rules_without_an_idempotency_key()
    {
        // Arrange
        var orderId = (await PostJsonAsync("_sandbox/orders", Cart)).Value<string>("order_id");

        // Act
        var captured = await PostJsonAsync($"_sandbox/orders/{orderId}/portal/capture", "{\"captured_amount\":4000}");
        var refunded = await PostJsonAsync($"_sandbox/orders/{orderId}/portal/refund", "{\"refunded_amount\":1000}");
        var tooMuch = await PostJsonAsync($"_sandbox/orders/{orderId}/portal/capture", "{\"captured_amount\":6001}", HttpStatusCode.Forbidden);
        var cancel = await PostJsonAsync($"_sandbox/orders/{orderId}/portal/cancel", "{}", HttpStatusCode.Forbidden);
        var released = await PostJsonAsync($"_sandbox/orders/{orderId}/portal/release", "{}");

        // Assert
        Assert.That(captured.Value<string>("status"), Is.EqualTo("PART_CAPTURED"));
        Assert.That(refunded.Value<long>("refunded_amount"), Is.EqualTo(1000));
        Assert.That(tooMuch.Value<string>("error_code"), Is.EqualTo("CAPTURE_NOT_ALLOWED"));
        Assert.That(cancel.Value<string>("error_code"), Is.EqualTo("CANCEL_NOT_ALLOWED"));
        Assert.That(released.Value<string>("status"), Is.EqualTo("CAPTURED"));
        Assert.That(released.Value<long>("remaining_authorized_amount"), Is.Zero);
    }

    [Test]
    public async Task Portal_cancel_cancels_an_uncaptured_order()
    {
        // Arrange
        var orderId = (await PostJsonAsync("_sandbox/orders", Cart)).Value<string>("order_id");

        // Act
        var order = await PostJsonAsync($"_sandbox/orders/{orderId}/portal/cancel", "{}");

        // Assert
        Assert.That(order.Value<string>("status"), Is.EqualTo("CANCELLED"));
    }

    [Test]
    public async Task Fraud_decision_sets_the_status_and_notifies_the_merchant()
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
        var cart = JObject.Parse(Cart);
        cart["fraud_status"] = "PENDING";
        cart["merchant_urls"] = new JObject { ["notification"] = $"http://127.0.0.1:{port}/klarna/notify" };
        var orderId = (await PostJsonAsync("_sandbox/orders", cart.ToString())).Value<string>("order_id");

        // Act
        var result = await PostJsonAsync($"_sandbox/orders/{orderId}/fraud-decision", "{\"fraud_status\":\"REJECTED\",\"notify\":true}");

        // Assert
        var notification = JObject.Parse(await received.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(notification.Value<string>("order_id"), Is.EqualTo(orderId));
        Assert.That(notification.Value<string>("event_type"), Is.EqualTo("FRAUD_RISK_REJECTED"));
        Assert.That(result.Value<int>("notification_status"), Is.EqualTo(200));
        Assert.That(_fixture.State.GetOrder(orderId).FraudStatus, Is.EqualTo("REJECTED"));
    }

    [Test]
    public async Task A_stop_request_sets_fraud_status_stopped_and_the_notification_is_sent_again_until_answered_200()
    {
        // Arrange: a sandbox that resends quickly; the merchant answers 500 twice, then 200
        await using var sandbox = await global::Klarna.Sandbox.KlarnaSandboxHost.StartAsync(new global::Klarna.Sandbox.SandboxOptions
        {
            NotificationRetryDelays = Enumerable.Repeat(TimeSpan.FromMilliseconds(30), 5).ToArray()
        });
        using var control = sandbox.CreateControlClient();
        using var listener = new HttpListener();
        var port = LocalPorts.Free();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var answers = new Queue<int>(new[] { 500, 500, 200, 200, 200 });
        var bodies = new List<string>();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                var context = await listener.GetContextAsync();
                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                lock (bodies)
                    bodies.Add(body);
                context.Response.StatusCode = answers.Dequeue();
                context.Response.Close();
            }
        });
        var cart = JObject.Parse(Cart);
        cart["merchant_urls"] = new JObject { ["notification"] = $"http://127.0.0.1:{port}/klarna/notify" };
        var created = await control.PostAsync("_sandbox/orders", new StringContent(cart.ToString(), Encoding.UTF8, "application/json"));
        var orderId = JObject.Parse(await created.Content.ReadAsStringAsync()).Value<string>("order_id");

        // Act: Klarna stops an order it had accepted
        var decided = await control.PostAsync($"_sandbox/orders/{orderId}/fraud-decision",
            new StringContent("{\"fraud_status\":\"STOPPED\"}", Encoding.UTF8, "application/json"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!sandbox.State.Notifier.Deliveries.Any(d => d.Status == 200) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        await Task.Delay(200);

        // Assert
        Assert.That(JObject.Parse(await decided.Content.ReadAsStringAsync()).Value<int>("notification_status"), Is.EqualTo(500));
        Assert.That(sandbox.State.GetOrder(orderId).FraudStatus, Is.EqualTo("STOPPED"));
        var deliveries = sandbox.State.Notifier.Deliveries;
        Assert.That(deliveries.Select(d => (d.Attempt, d.Status)), Is.EqualTo(new[] { (1, (int?)500), (2, (int?)500), (3, (int?)200) }));
        Assert.That(deliveries.Select(d => d.EventType), Is.All.EqualTo("FRAUD_RISK_STOPPED"));
        lock (bodies)
            Assert.That(bodies.Select(b => JObject.Parse(b).Value<string>("order_id")), Is.All.EqualTo(orderId));
        var listed = JArray.Parse(await control.GetStringAsync("_sandbox/notifications"));
        Assert.That(listed, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Faults_can_be_listed_and_cleared_and_hit_only_matching_requests()
    {
        // Arrange
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "status", status = 500, times = -1 });
        var orderId = (await PostJsonAsync("_sandbox/orders", Cart)).Value<string>("order_id");

        // Act
        var get = await _http.SendAsync(Klarna(HttpMethod.Get, $"ordermanagement/v1/orders/{orderId}"));
        var capture = await _http.SendAsync(Klarna(HttpMethod.Post, $"ordermanagement/v1/orders/{orderId}/captures", "{\"captured_amount\":1}", "k"));
        var listed = JArray.Parse(await _http.GetStringAsync("_sandbox/faults"));
        await _http.DeleteAsync("_sandbox/faults");
        var afterClear = await _http.SendAsync(Klarna(HttpMethod.Post, $"ordermanagement/v1/orders/{orderId}/captures", "{\"captured_amount\":1}", "k"));

        // Assert
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(capture.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(listed, Has.Count.EqualTo(1));
        Assert.That(afterClear.StatusCode, Is.EqualTo(HttpStatusCode.Created), "a 5xx is not stored for the key");
    }

    [Test]
    public async Task Unknown_fault_kind_is_rejected()
    {
        // Act
        var error = await PostJsonAsync("_sandbox/faults", "{\"kind\":\"explode\"}", HttpStatusCode.BadRequest);

        // Assert
        Assert.That(error.Value<string>("error_code"), Is.EqualTo("BAD_VALUE"));
    }

    [Test]
    public async Task Drop_fault_aborts_the_connection_without_doing_anything()
    {
        // Arrange
        var orderId = (await PostJsonAsync("_sandbox/orders", Cart)).Value<string>("order_id");
        await _fixture.AddFaultAsync(new { kind = "drop", path_pattern = "/ordermanagement/v1/orders/*/captures" });

        // Act & Assert
        Assert.That(() => _http.SendAsync(Klarna(HttpMethod.Post, $"ordermanagement/v1/orders/{orderId}/captures", "{\"captured_amount\":1}", "k")),
            Throws.InstanceOf<HttpRequestException>());
        Assert.That(_fixture.State.GetOrder(orderId).Captures, Is.Empty);
    }

    [Test]
    public async Task Commit_then_drop_fault_performs_the_write_and_aborts_the_connection()
    {
        // Arrange
        var orderId = (await PostJsonAsync("_sandbox/orders", Cart)).Value<string>("order_id");
        await _fixture.AddFaultAsync(new { kind = "commit_then_drop", path_pattern = "/ordermanagement/v1/orders/*/captures" });

        // Act & Assert
        Assert.That(() => _http.SendAsync(Klarna(HttpMethod.Post, $"ordermanagement/v1/orders/{orderId}/captures", "{\"captured_amount\":1}")),
            Throws.InstanceOf<HttpRequestException>());
        Assert.That(_fixture.State.GetOrder(orderId).CapturedAmount, Is.EqualTo(1));
    }

    [Test]
    public async Task Latency_is_added_to_klarna_requests()
    {
        // Arrange
        await PostJsonAsync("_sandbox/latency", "{\"ms\":200}");
        var started = DateTime.UtcNow;

        // Act
        await _http.SendAsync(Klarna(HttpMethod.Get, "ordermanagement/v1/orders/x"));

        // Assert
        Assert.That(DateTime.UtcNow - started, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(190)));
        Assert.That(_fixture.State.LatencyMs, Is.EqualTo(200));
    }

    [Test]
    public async Task Requests_are_recorded_with_masked_authorization_and_can_be_cleared()
    {
        // Arrange
        await _http.SendAsync(Klarna(HttpMethod.Post, "payments/v1/sessions", Cart));

        // Act
        var recorded = JArray.Parse(await _http.GetStringAsync("_sandbox/requests"));
        await _http.DeleteAsync("_sandbox/requests");
        var afterClear = JArray.Parse(await _http.GetStringAsync("_sandbox/requests"));

        // Assert
        var entry = (JObject)recorded.Single();
        Assert.That(entry.Value<string>("method"), Is.EqualTo("POST"));
        Assert.That(entry.Value<string>("path"), Is.EqualTo("/payments/v1/sessions"));
        Assert.That(entry.Value<int>("status"), Is.EqualTo(200));
        Assert.That(entry["headers"]!.Value<string>("Authorization"), Is.EqualTo("Basic ***"));
        Assert.That(entry.Value<string>("body"), Does.Contain("\"order_amount\":10000"));
        Assert.That(afterClear, Is.Empty);
    }

    [Test]
    public async Task Reset_forgets_orders()
    {
        // Arrange
        var orderId = (await PostJsonAsync("_sandbox/orders", Cart)).Value<string>("order_id");

        // Act
        await _fixture.PostControlAsync("_sandbox/reset", "");

        // Assert
        var response = await _http.GetAsync($"_sandbox/orders/{orderId}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Wrong_password_is_401_with_singular_error_message_and_correlation_header()
    {
        // Act
        var response = await _http.SendAsync(Klarna(HttpMethod.Get, "ordermanagement/v1/orders/x", password: "nope"));

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var body = JObject.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(body.Value<string>("error_code"), Is.EqualTo("PERMISSION_DENIED"));
        Assert.That(body.Value<string>("error_message"), Is.EqualTo("Authentication failed or permission not granted"));
        Assert.That(body.Value<string>("correlation_id"), Is.EqualTo(response.Headers.GetValues("Klarna-Correlation-Id").Single()));
    }

    [Test]
    public async Task Missing_authorization_is_401()
    {
        // Act
        var response = await _http.GetAsync("ordermanagement/v1/orders/x");

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("payments/v1/sessions")]
    [TestCase("ordermanagement/v1/orders/{id}/captures")]
    public async Task Malformed_json_is_400_BAD_REQUEST(string path)
    {
        // Arrange
        var orderId = (await PostJsonAsync("_sandbox/orders", Cart)).Value<string>("order_id");

        // Act
        var response = await _http.SendAsync(Klarna(HttpMethod.Post, path.Replace("{id}", orderId), "{\"captured_amount\":", "k1"));

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var body = JObject.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(body.Value<string>("error_code"), Is.EqualTo("BAD_REQUEST"));
        Assert.That(body["error_messages"], Is.InstanceOf<JArray>());
    }

    [Test]
    public async Task Capture_answers_201_with_location_and_capture_id_and_no_body()
    {
        // Arrange
        var orderId = (await PostJsonAsync("_sandbox/orders", Cart)).Value<string>("order_id");

        // Act
        var response = await _http.SendAsync(Klarna(HttpMethod.Post, $"ordermanagement/v1/orders/{orderId}/captures", "{\"captured_amount\":100}", "k2"));

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var captureId = response.Headers.GetValues("Capture-Id").Single();
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"{_fixture.Sandbox.BaseUri}ordermanagement/v1/orders/{orderId}/captures/{captureId}"));
        Assert.That(response.Headers.Contains("Klarna-Correlation-Id"), Is.True);
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
    }

    [Test]
    public async Task Unknown_klarna_path_is_404()
    {
        // Act
        var response = await _http.SendAsync(Klarna(HttpMethod.Get, "payments/v1/nothing"));

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Browser_library_is_served_with_klarna_payments_api()
    {
        // Act
        var response = await _http.GetAsync("kp/lib/v1/api.js");
        var script = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/javascript"));
        Assert.That(script, Does.Contain("window.Klarna.Payments"));
        Assert.That(script, Does.Contain("init:"));
        Assert.That(script, Does.Contain("load:"));
        Assert.That(script, Does.Contain("authorize:"));
        Assert.That(script, Does.Contain("_sandbox/sessions/"));
    }

    [Test]
    public async Task Every_category_logo_of_a_session_is_served_as_an_svg_image()
    {
        // Arrange
        var response = await _http.SendAsync(Klarna(HttpMethod.Post, "payments/v1/sessions", Cart));
        var categories = (JArray)JObject.Parse(await response.Content.ReadAsStringAsync())["payment_method_categories"];
        var urls = categories!.SelectMany(c => new[] { c["asset_urls"]!.Value<string>("standard"), c["asset_urls"]!.Value<string>("descriptive") }).ToList();

        // Act + Assert: each is an SVG document the checkout's <img> can show
        Assert.That(urls, Has.Count.EqualTo(categories.Count * 2));
        foreach (var url in urls)
        {
            var logo = await _http.GetAsync(url);
            Assert.That(logo.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), url);
            Assert.That(logo.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/svg+xml"), url);
            Assert.That(System.Xml.Linq.XDocument.Parse(await logo.Content.ReadAsStringAsync()).Root!.Name.LocalName, Is.EqualTo("svg"), url);
        }
    }

    [TestCase("kp/assets/unknown_standard.svg")]
    [TestCase("kp/assets/pay_later_standard.png")]
    [TestCase("kp/assets/..%2Fapi.js")]
    public async Task An_unknown_asset_is_not_found(string path)
    {
        // Act
        var response = await _http.GetAsync(path);

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Client_token_carries_the_session_id_for_the_browser_library()
    {
        // Arrange
        var response = await _http.SendAsync(Klarna(HttpMethod.Post, "payments/v1/sessions", Cart));
        var session = JObject.Parse(await response.Content.ReadAsStringAsync());

        // Act
        var payload = session.Value<string>("client_token").Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        var claims = JObject.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));

        // Assert
        Assert.That(claims.Value<string>("session_id"), Is.EqualTo(session.Value<string>("session_id")));
        Assert.That(claims.Value<string>("base_url"), Is.EqualTo(_fixture.Sandbox.BaseUri.ToString()));
    }

    [Test]
    public async Task Confirmation_redirect_sends_the_browser_to_the_merchant_with_the_order_id()
    {
        // Arrange
        var cart = JObject.Parse(Cart);
        cart["merchant_urls"] = new JObject { ["confirmation"] = "https://shop.example/confirm/{order.id}" };
        var session = JObject.Parse(await (await _http.SendAsync(Klarna(HttpMethod.Post, "payments/v1/sessions", cart.ToString()))).Content.ReadAsStringAsync());
        var token = (await PostJsonAsync($"_sandbox/sessions/{session.Value<string>("session_id")}/authorize", "{}")).Value<string>("authorization_token");
        var created = JObject.Parse(await (await _http.SendAsync(Klarna(HttpMethod.Post, $"payments/v1/authorizations/{token}/order", cart.ToString()))).Content.ReadAsStringAsync());
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        // Act
        var response = await noRedirect.GetAsync(created.Value<string>("redirect_url"));

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"https://shop.example/confirm/{created.Value<string>("order_id")}"));
    }

    [Test]
    public async Task Customer_details_update_the_shipping_address_and_reject_invalid_ones()
    {
        // Arrange
        var orderId = (await PostJsonAsync("_sandbox/orders", Cart)).Value<string>("order_id");
        const string valid = "{\"shipping_address\":{\"given_name\":\"Sven\",\"street_address\":\"Storgatan 1\",\"postal_code\":\"11122\",\"city\":\"Stockholm\",\"country\":\"SE\"}}";

        // Act
        var updated = await _http.SendAsync(Klarna(HttpMethod.Patch, $"ordermanagement/v1/orders/{orderId}/customer-details", valid, "cd-1"));
        var invalid = await _http.SendAsync(Klarna(HttpMethod.Patch, $"ordermanagement/v1/orders/{orderId}/customer-details", "{\"shipping_address\":{\"city\":\"X\"}}", "cd-2"));
        var billing = await _http.SendAsync(Klarna(HttpMethod.Patch, $"ordermanagement/v1/orders/{orderId}/customer-details", "{\"billing_address\":{\"city\":\"X\"}}", "cd-3"));

        // Assert
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(_fixture.State.GetOrder(orderId).ShippingAddress.City, Is.EqualTo("Stockholm"));
        Assert.That(invalid.StatusCode, Is.EqualTo((HttpStatusCode)422));
        Assert.That(JObject.Parse(await invalid.Content.ReadAsStringAsync()).Value<string>("error_code"), Is.EqualTo("INVALID_ADDRESS"));
        Assert.That(billing.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Order_shipping_info_and_trigger_send_out_answer_like_klarna()
    {
        // Arrange
        var orderId = (await PostJsonAsync("_sandbox/orders", Cart)).Value<string>("order_id");
        var order = await PostJsonAsync($"_sandbox/orders/{orderId}/portal/capture", "{\"captured_amount\":100}");
        var captureId = order["captures"]![0]!.Value<string>("capture_id");

        // Act
        var shipping = await _http.SendAsync(Klarna(HttpMethod.Post, $"ordermanagement/v1/orders/{orderId}/shipping-info", "{\"shipping_info\":[{\"shipping_company\":\"PostNord\"}]}", "s-1"));
        var sendOut = await _http.SendAsync(Klarna(HttpMethod.Post, $"ordermanagement/v1/orders/{orderId}/captures/{captureId}/trigger-send-out", null, "t-1"));
        var unknown = await _http.SendAsync(Klarna(HttpMethod.Post, $"ordermanagement/v1/orders/{orderId}/captures/nope/trigger-send-out", null, "t-2"));

        // Assert
        Assert.That(shipping.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(_fixture.State.GetOrder(orderId).ShippingInfo.Single().ShippingCompany, Is.EqualTo("PostNord"));
        Assert.That(sendOut.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(JObject.Parse(await unknown.Content.ReadAsStringAsync()).Value<string>("error_code"), Is.EqualTo("NO_SUCH_CAPTURE"));
    }
}
