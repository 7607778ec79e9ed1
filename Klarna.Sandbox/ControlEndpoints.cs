using System;
using System.IO;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Klarna.Sandbox.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Klarna.Sandbox;

/// <summary>
/// Represents the test-control API under /_sandbox/ (no auth), the stand-in browser library /kp/lib/v1/api.js and the
/// payment method category logos /kp/assets/*.svg
/// </summary>
public static class ControlEndpoints
{
    #region Nested classes

    public class AuthorizeRequest : SandboxCustomerData
    {
        public bool? Approved { get; set; }
        public string FraudStatus { get; set; }
        public bool? AutoFinalize { get; set; }
        public string PaymentMethodCategory { get; set; }
    }

    public class CreateOrderRequest : SandboxCart
    {
        public string FraudStatus { get; set; }
        public int? ExpiresInDays { get; set; }
    }

    public class FraudDecisionRequest
    {
        public string FraudStatus { get; set; }
        public bool? Notify { get; set; }
    }

    public class LatencyRequest
    {
        public int Ms { get; set; }
    }

    public class ClockRequest
    {
        public double? AdvanceMinutes { get; set; }
    }

    #endregion

    #region Utilities

    private static async Task<(T Value, IResult Error)> ReadAsync<T>(HttpRequest request) where T : class, new()
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        if (string.IsNullOrWhiteSpace(body))
            return (new T(), null);

        try
        {
            return (JsonSerializer.Deserialize<T>(body, SandboxJson.Options) ?? new T(), null);
        }
        catch (JsonException exception)
        {
            return (null, Error(SandboxResponse.Error(400, "BAD_REQUEST", Guid.NewGuid().ToString(), $"Malformed request body: {exception.Message}")));
        }
    }

    private static IResult Json(object value, int status = 200) =>
        Results.Content(SandboxJson.Serialize(value), "application/json; charset=utf-8", Encoding.UTF8, status);

    private static IResult Error(SandboxResponse response) =>
        Results.Content(response.Body, "application/json; charset=utf-8", Encoding.UTF8, response.Status);

    private static IResult NotFound(string orderId) =>
        Error(SandboxResponse.Error(404, "NO_SUCH_ORDER", Guid.NewGuid().ToString(), $"Order {orderId} cannot be found"));

    private static KlarnaCall Call(HttpRequest request) =>
        new(Guid.NewGuid().ToString(), $"{request.Scheme}://{request.Host}{request.PathBase}/");

    /// <summary>
    /// Answers the widget's authorize / finalize: {approved, show_form, authorization_token, finalize_required, session_id};
    /// a new token is announced on the session's merchant_urls.authorization (Klarna's authorization callback)
    /// </summary>
    private static IResult AuthorizeResult(SandboxState state, string sessionId, SandboxAuthorizeResult result)
    {
        if (!result.Found)
            return Error(SandboxResponse.Error(404, "NOT_FOUND", Guid.NewGuid().ToString(), "Invalid session id"));

        var callback = state.GetSession(sessionId)?.Cart.MerchantUrls?.Authorization;
        if (result.Token is not null && !string.IsNullOrEmpty(callback))
            _ = PostJsonAsync(callback, new JsonObject { ["authorization_token"] = result.Token, ["session_id"] = sessionId });

        return Json(new JsonObject
        {
            ["approved"] = result.Approved,
            ["show_form"] = result.Approved,
            ["authorization_token"] = result.Token,
            ["finalize_required"] = result.FinalizeRequired,
            ["session_id"] = sessionId
        });
    }

    private static IResult PortalResult(SandboxState state, SandboxResponse response, string orderId)
    {
        return response.IsError ? Error(response) : Json(state.GetOrder(orderId));
    }

    #endregion

    #region Methods

    /// <summary>
    /// Maps the control API and the browser library
    /// </summary>
    public static void Map(IEndpointRouteBuilder app, SandboxState state)
    {
        var group = app.MapGroup("/_sandbox");

        group.MapPost("/sessions/{sessionId}/authorize", async (string sessionId, HttpRequest request) =>
        {
            var (body, error) = await ReadAsync<AuthorizeRequest>(request);
            if (error is not null)
                return error;

            var result = state.AuthorizeSession(sessionId, body.Approved ?? true, body.FraudStatus, body, body.AutoFinalize ?? true, body.PaymentMethodCategory);
            return AuthorizeResult(state, sessionId, result);
        });

        group.MapPost("/sessions/{sessionId}/finalize", async (string sessionId, HttpRequest request) =>
        {
            var (body, error) = await ReadAsync<SandboxCustomerData>(request);
            return error ?? AuthorizeResult(state, sessionId, state.FinalizeSession(sessionId, body));
        });

        group.MapPost("/orders", async (HttpRequest request) =>
        {
            var (body, error) = await ReadAsync<CreateOrderRequest>(request);
            if (error is not null)
                return error;

            var (order, failure) = state.CreateOrderDirect(body, body.FraudStatus, body.ExpiresInDays);
            return failure is not null ? Error(failure.ToResponse(Guid.NewGuid().ToString())) : Json(order);
        });

        group.MapGet("/orders/{orderId}", (string orderId) =>
        {
            var order = state.GetOrder(orderId);
            return order is null ? NotFound(orderId) : Json(order);
        });

        group.MapPost("/orders/{orderId}/expire", (string orderId) =>
        {
            var order = state.ExpireOrder(orderId);
            return order is null ? NotFound(orderId) : Json(order);
        });

        group.MapPost("/orders/{orderId}/fraud-decision", async (string orderId, HttpRequest request) =>
        {
            var (body, error) = await ReadAsync<FraudDecisionRequest>(request);
            if (error is not null)
                return error;

            var fraudStatus = body.FraudStatus?.ToUpperInvariant();
            if (fraudStatus is not ("ACCEPTED" or "REJECTED" or "STOPPED" or "PENDING"))
                return Error(SandboxResponse.Error(400, "BAD_VALUE", Guid.NewGuid().ToString(), "Bad value: fraud_status"));

            var order = state.SetFraudStatus(orderId, fraudStatus);
            if (order is null)
                return NotFound(orderId);

            int? notificationStatus = null;
            if (body.Notify != false && fraudStatus != "PENDING" && !string.IsNullOrEmpty(order.MerchantUrls?.Notification))
            {
                notificationStatus = await state.Notifier.SendAsync(order.MerchantUrls.Notification, order.OrderId, $"FRAUD_RISK_{fraudStatus}", state.Now);
            }

            return Json(new JsonObject
            {
                ["order"] = JsonSerializer.SerializeToNode(order, SandboxJson.Options),
                ["notification_url"] = order.MerchantUrls?.Notification,
                ["notification_status"] = notificationStatus
            });
        });

        group.MapPost("/orders/{orderId}/portal/capture", async (string orderId, HttpRequest request) =>
        {
            var (body, error) = await ReadAsync<SandboxCaptureRequest>(request);
            return error ?? PortalResult(state, state.OnOrder(Call(request), orderId, order => state.Capture(Call(request), order, body)), orderId);
        });

        group.MapPost("/orders/{orderId}/portal/refund", async (string orderId, HttpRequest request) =>
        {
            var (body, error) = await ReadAsync<SandboxRefundRequest>(request);
            return error ?? PortalResult(state, state.OnOrder(Call(request), orderId, order => state.Refund(Call(request), order, body), "NOT_FOUND"), orderId);
        });

        group.MapPost("/orders/{orderId}/portal/cancel", (string orderId, HttpRequest request) =>
            PortalResult(state, state.OnOrder(Call(request), orderId, order => state.Cancel(Call(request), order)), orderId));

        group.MapPost("/orders/{orderId}/portal/release", (string orderId, HttpRequest request) =>
            PortalResult(state, state.OnOrder(Call(request), orderId, order => state.ReleaseRemainingAuthorization(Call(request), order)), orderId));

        group.MapPost("/faults", async (HttpRequest request) =>
        {
            var (body, error) = await ReadAsync<SandboxFault>(request);
            if (error is not null)
                return error;
            if (body.Kind?.Trim().ToLowerInvariant() is not ("delay" or "status" or "drop" or "commit_then_drop" or "rate_limit"))
                return Error(SandboxResponse.Error(400, "BAD_VALUE", Guid.NewGuid().ToString(), "Bad value: kind (delay, status, drop, commit_then_drop, rate_limit)"));

            return Json(state.AddFault(body), 201);
        });

        group.MapGet("/faults", () => Json(state.GetFaults()));

        group.MapDelete("/faults", () =>
        {
            state.ClearFaults();
            return Results.NoContent();
        });

        group.MapPost("/latency", async (HttpRequest request) =>
        {
            var (body, error) = await ReadAsync<LatencyRequest>(request);
            if (error is not null)
                return error;

            state.LatencyMs = Math.Max(0, body.Ms);
            return Json(new JsonObject { ["ms"] = state.LatencyMs });
        });

        group.MapPost("/clock", async (HttpRequest request) =>
        {
            var (body, error) = await ReadAsync<ClockRequest>(request);
            if (error is not null)
                return error;

            state.AdvanceClock(TimeSpan.FromMinutes(Math.Max(0, body.AdvanceMinutes ?? 0)));
            return Json(new JsonObject { ["now"] = state.Now.ToString("O") });
        });

        group.MapGet("/notifications", () => Json(state.Notifier.Deliveries));

        group.MapGet("/requests", () => Json(state.Requests));

        group.MapDelete("/requests", () =>
        {
            state.ClearRequests();
            return Results.NoContent();
        });

        group.MapPost("/reset", () =>
        {
            state.Reset();
            return Results.NoContent();
        });

        group.MapGet("/redirect/{orderId}", (string orderId) =>
        {
            var url = state.GetConfirmationUrl(orderId);
            return url is null ? NotFound(orderId) : Results.Redirect(url);
        });

        app.MapGet("/kp/assets/{fileName}", (string fileName) =>
            SandboxAssets.Svg(fileName) is { } svg ? Results.Content(svg, "image/svg+xml; charset=utf-8") : Results.NotFound());

        app.MapGet("/kp/lib/v1/api.js", () =>
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Klarna.Sandbox.api.js")!;
            using var reader = new StreamReader(stream);
            return Results.Content(reader.ReadToEnd(), "application/javascript; charset=utf-8");
        });
    }

    private static async Task<int?> PostJsonAsync(string url, JsonObject body)
    {
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var response = await client.PostAsync(url, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            return (int)response.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException or UriFormatException)
        {
            return null;
        }
    }

    #endregion
}
