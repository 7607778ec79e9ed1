using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using Klarna.Sandbox.Models;

namespace Klarna.Sandbox;

public sealed partial class SandboxState
{
    #region Klarna Payments v1

    /// <summary>
    /// POST /payments/v1/sessions
    /// </summary>
    public SandboxResponse CreateSession(KlarnaCall call, SandboxCart cart)
    {
        var failure = SandboxRules.ValidateCart(cart);
        if (failure is not null)
            return call.Fail(failure);

        lock (_sync)
        {
            var sessionId = Guid.NewGuid().ToString();
            var payload = new JsonObject { ["session_id"] = sessionId, ["base_url"] = call.BaseUrl, ["purchase_country"] = cart.PurchaseCountry };
            var session = new SandboxSession
            {
                SessionId = sessionId,
                ClientToken = $"{Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Base64Url(payload.ToJsonString())}.sandbox",
                Status = "incomplete",
                ExpiresAt = DateTimeOffset.UtcNow + _clockOffset + TimeSpan.FromHours(48),
                Cart = SandboxJson.Clone(cart)
            };
            _sessions[sessionId] = session;

            return SandboxResponse.Json(200, new JsonObject
            {
                ["session_id"] = session.SessionId,
                ["client_token"] = session.ClientToken,
                ["payment_method_categories"] = PaymentMethodCategories(call.BaseUrl)
            });
        }
    }

    /// <summary>
    /// POST /payments/v1/sessions/{id}
    /// </summary>
    public SandboxResponse UpdateSession(KlarnaCall call, string sessionId, SandboxCart cart)
    {
        lock (_sync)
        {
            if (!TryGetOpenSession(sessionId, out var session))
                return call.Fail(404, "NOT_FOUND", "Invalid session id");
            if (session.Status == "complete")
                return call.Fail(404, "SESSION_COMPLETED", "The session is already completed (an order was placed)");

            var failure = SandboxRules.ValidateCart(cart);
            if (failure is not null)
                return call.Fail(failure);

            session.Cart = SandboxJson.Clone(cart);
            return SandboxResponse.NoContent();
        }
    }

    /// <summary>
    /// GET /payments/v1/sessions/{id}
    /// </summary>
    public SandboxResponse ReadSession(KlarnaCall call, string sessionId)
    {
        lock (_sync)
        {
            if (!TryGetOpenSession(sessionId, out var session))
                return call.Fail(404, "NOT_FOUND", "Invalid session id");

            var json = System.Text.Json.JsonSerializer.SerializeToNode(session.Cart, SandboxJson.Options)!.AsObject();
            json["session_id"] = session.SessionId;
            json["client_token"] = session.ClientToken;
            json["status"] = session.Status;
            json["expires_at"] = session.ExpiresAt.ToString("O");
            if (session.AuthorizationToken is not null)
                json["authorization_token"] = session.AuthorizationToken;
            json["payment_method_categories"] = PaymentMethodCategories(call.BaseUrl);

            return new SandboxResponse { Status = 200, Body = json.ToJsonString() };
        }
    }

    /// <summary>
    /// The payment method categories whose funds move at the purchase ("pay now"): with authorize(auto_finalize:false)
    /// they need finalize() on the last page
    /// </summary>
    public static readonly IReadOnlySet<string> PayNowCategories = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "pay_now", "direct_bank_transfer", "direct_debit"
    };

    /// <summary>
    /// Stands in for the customer's click in Klarna's widget: authorize(). Authorizes the session's current cart with the
    /// customer data the browser passed; with auto_finalize false a pay-now category answers finalize_required and no
    /// token until <see cref="FinalizeSession"/>. A new token is announced on merchant_urls.authorization
    /// </summary>
    public SandboxAuthorizeResult AuthorizeSession(string sessionId, bool approved = true, string fraudStatus = null, SandboxCustomerData data = null,
        bool autoFinalize = true, string category = null)
    {
        lock (_sync)
        {
            if (!TryGetOpenSession(sessionId, out var session) || session.Status == "complete")
                return new SandboxAuthorizeResult(false, false, null, false);
            if (!approved)
                return new SandboxAuthorizeResult(true, false, null, false);

            session.AuthorizedFraudStatus = fraudStatus;
            if (!autoFinalize && category is not null && PayNowCategories.Contains(category))
            {
                session.PendingFinalization = SandboxJson.Clone(data) ?? new SandboxCustomerData();
                return new SandboxAuthorizeResult(true, true, null, true);
            }

            return new SandboxAuthorizeResult(true, true, IssueToken(session, data), false);
        }
    }

    /// <summary>
    /// Stands in for finalize() on the last page: authorizes the session's current cart (it may have been updated since
    /// authorize) with the customer data passed now and gives the token
    /// </summary>
    public SandboxAuthorizeResult FinalizeSession(string sessionId, SandboxCustomerData data = null)
    {
        lock (_sync)
        {
            if (!TryGetOpenSession(sessionId, out var session) || session.Status == "complete")
                return new SandboxAuthorizeResult(false, false, null, false);

            session.PendingFinalization = null;
            return new SandboxAuthorizeResult(true, true, IssueToken(session, data), false);
        }
    }

    private string IssueToken(SandboxSession session, SandboxCustomerData data)
    {
        var cart = SandboxJson.Clone(session.Cart);
        if (data?.BillingAddress is not null)
            cart.BillingAddress = SandboxJson.Clone(data.BillingAddress);
        if (data?.ShippingAddress is not null)
            cart.ShippingAddress = SandboxJson.Clone(data.ShippingAddress);

        var token = $"sbx-authz-{Guid.NewGuid()}";
        _authorizations[token] = new SandboxAuthorization
        {
            Token = token,
            SessionId = session.SessionId,
            AuthorizedCart = cart,
            FraudStatus = string.IsNullOrEmpty(session.AuthorizedFraudStatus) ? "ACCEPTED" : session.AuthorizedFraudStatus.ToUpperInvariant(),
            ExpiresAt = DateTimeOffset.UtcNow + _clockOffset + TimeSpan.FromMinutes(60)
        };
        session.AuthorizationToken = token;
        return token;
    }

    /// <summary>
    /// POST /payments/v1/authorizations/{token}/order. Idempotent per token: a repeat with the same token (while the token
    /// is valid) gets the first answer again, the same order or the same refusal, and creates nothing
    /// </summary>
    public SandboxResponse CreateOrderFromAuthorization(KlarnaCall call, string token, SandboxCart cart)
    {
        lock (_sync)
        {
            if (!TryGetUsableAuthorization(token, out var authorization))
                return call.Fail(404, "NOT_FOUND", "Invalid authorization token");
            if (authorization.OrderResponse is not null)
                return authorization.OrderResponse;

            var response = CreateOrder(call, authorization, cart);
            if (response.Status < 500)
                authorization.OrderResponse = response;

            return response;
        }
    }

    private SandboxResponse CreateOrder(KlarnaCall call, SandboxAuthorization authorization, SandboxCart cart)
    {
        var failure = SandboxRules.ValidateCart(cart);
        if (failure is not null)
            return call.Fail(failure);

        var (fields, detail) = SandboxRules.CompareWithAuthorized(authorization.AuthorizedCart, cart);
        if (fields.Count > 0)
        {
            var messages = new List<string> { $"Not matching fields: [{string.Join(", ", fields)}]" };
            if (detail is not null)
                messages.Add(detail);

            return SandboxResponse.Error(409, "BAD_VALUE", call.CorrelationId, messages.ToArray());
        }

        // the addresses are the authorized ones (the order may leave them out)
        var placed = SandboxJson.Clone(cart);
        placed.BillingAddress ??= SandboxJson.Clone(authorization.AuthorizedCart.BillingAddress);
        placed.ShippingAddress ??= SandboxJson.Clone(authorization.AuthorizedCart.ShippingAddress);
        var order = AddOrder(placed, authorization.FraudStatus, Options.AuthorizationPeriodDays);
        if (_sessions.TryGetValue(authorization.SessionId, out var session))
        {
            session.Status = "complete";
            session.OrderId = order.OrderId;
        }

        if (cart.AutoCapture == true)
        {
            ApplyCapture(order, new SandboxCaptureRequest { CapturedAmount = order.OrderAmount, OrderLines = SandboxJson.Clone(order.OrderLines) });
        }

        var response = new JsonObject
        {
            ["order_id"] = order.OrderId,
            ["fraud_status"] = order.FraudStatus,
            ["authorized_payment_method"] = new JsonObject { ["type"] = "invoice", ["number_of_days"] = 30, ["number_of_installments"] = null }
        };
        if (!string.IsNullOrEmpty(cart.MerchantUrls?.Confirmation))
            response["redirect_url"] = $"{call.BaseUrl}_sandbox/redirect/{order.OrderId}";

        return new SandboxResponse { Status = 200, Body = response.ToJsonString() };
    }

    /// <summary>
    /// DELETE /payments/v1/authorizations/{token}
    /// </summary>
    public SandboxResponse CancelAuthorization(KlarnaCall call, string token)
    {
        lock (_sync)
        {
            if (!TryGetUsableAuthorization(token, out var authorization))
                return call.Fail(404, "NOT_FOUND", "Invalid authorization token");

            if (authorization.OrderResponse?.Status == 200)
                return call.Fail(404, "NOT_FOUND", "Invalid authorization token");

            authorization.Cancelled = true;
            return SandboxResponse.NoContent();
        }
    }

    /// <summary>
    /// Gets the confirmation URL of an order created from a session with merchant_urls.confirmation ({order.id} / {session.id} replaced)
    /// </summary>
    public string GetConfirmationUrl(string orderId)
    {
        lock (_sync)
        {
            foreach (var session in _sessions.Values)
            {
                if (session.OrderId == orderId && !string.IsNullOrEmpty(session.Cart.MerchantUrls?.Confirmation))
                    return session.Cart.MerchantUrls.Confirmation.Replace("{order.id}", orderId).Replace("{session.id}", session.SessionId);
            }

            return null;
        }
    }

    #endregion

    #region Utilities

    private bool TryGetOpenSession(string sessionId, out SandboxSession session)
    {
        session = null;
        if (sessionId is null || !_sessions.TryGetValue(sessionId, out var found))
            return false;
        if (found.ExpiresAt < DateTimeOffset.UtcNow + _clockOffset)
            return false;

        session = found;
        return true;
    }

    private bool TryGetUsableAuthorization(string token, out SandboxAuthorization authorization)
    {
        authorization = null;
        if (token is null || !_authorizations.TryGetValue(token, out var found))
            return false;
        if (found.Cancelled || found.ExpiresAt < DateTimeOffset.UtcNow + _clockOffset)
            return false;

        authorization = found;
        return true;
    }

    /// <summary>
    /// Creates an AUTHORIZED order from a validated cart
    /// </summary>
    private SandboxOrder AddOrder(SandboxCart cart, string fraudStatus, int expiresInDays)
    {
        var now = DateTimeOffset.UtcNow + _clockOffset;
        var order = new SandboxOrder
        {
            OrderId = Guid.NewGuid().ToString(),
            Status = OrderStatus.Authorized,
            FraudStatus = string.IsNullOrEmpty(fraudStatus) ? "ACCEPTED" : fraudStatus.ToUpperInvariant(),
            OrderAmount = cart.OrderAmount!.Value,
            OriginalOrderAmount = cart.OrderAmount!.Value,
            RemainingAuthorizedAmount = cart.OrderAmount!.Value,
            PurchaseCountry = cart.PurchaseCountry,
            PurchaseCurrency = cart.PurchaseCurrency,
            Locale = cart.Locale,
            CreatedAt = now,
            ExpiresAt = now.AddDays(expiresInDays),
            MerchantReference1 = cart.MerchantReference1,
            MerchantReference2 = cart.MerchantReference2,
            MerchantData = cart.MerchantData,
            KlarnaReference = NewKlarnaReference(),
            OrderLines = SandboxJson.Clone(cart.OrderLines),
            BillingAddress = SandboxJson.Clone(cart.BillingAddress),
            ShippingAddress = SandboxJson.Clone(cart.ShippingAddress ?? cart.BillingAddress),
            MerchantUrls = SandboxJson.Clone(cart.MerchantUrls),
            InitialPaymentMethod = new SandboxInitialPaymentMethod { Type = "INVOICE", Description = "Pay later in 30 days" }
        };
        _orders[order.OrderId] = order;

        return order;
    }

    private static JsonArray PaymentMethodCategories(string baseUrl)
    {
        JsonObject category(string identifier, string name) => new()
        {
            ["identifier"] = identifier,
            ["name"] = name,
            ["asset_urls"] = new JsonObject
            {
                ["descriptive"] = $"{baseUrl}kp/assets/{identifier}_descriptive.svg",
                ["standard"] = $"{baseUrl}kp/assets/{identifier}_standard.svg"
            }
        };

        return new JsonArray(SandboxAssets.Categories.Select(c => (JsonNode)category(c.Identifier, c.Name)).ToArray());
    }

    private static string Base64Url(string value)
    {
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    #endregion
}
