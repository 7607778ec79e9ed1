using System;
using System.Collections.Generic;
using System.Net.Http;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Requests;

/// <summary>
/// Represents the requests of Klarna Payments v1 and Order Management v1; each factory method knows its method and path
/// </summary>
public sealed class KlarnaRequest : IKlarnaRequest
{
    #region Ctor

    private KlarnaRequest(HttpMethod method, string path, object body = null)
    {
        Method = method;
        Path = path;
        Body = body;
    }

    #endregion

    #region Utilities

    private static string Escape(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{name} is required", name);

        return Uri.EscapeDataString(value);
    }

    private static string OrderPath(string orderId, string suffix = null)
    {
        return $"ordermanagement/v1/orders/{Escape(orderId, nameof(orderId))}{suffix}";
    }

    #endregion

    #region Methods

    /// <summary>POST payments/v1/sessions</summary>
    public static KlarnaRequest CreateSession(KlarnaSessionRequest body) =>
        new(HttpMethod.Post, "payments/v1/sessions", body ?? throw new ArgumentNullException(nameof(body)));

    /// <summary>POST payments/v1/sessions/{session_id} (Klarna updates with POST)</summary>
    public static KlarnaRequest UpdateSession(string sessionId, KlarnaSessionRequest body) =>
        new(HttpMethod.Post, $"payments/v1/sessions/{Escape(sessionId, nameof(sessionId))}", body ?? throw new ArgumentNullException(nameof(body)));

    /// <summary>GET payments/v1/sessions/{session_id}</summary>
    public static KlarnaRequest GetSession(string sessionId) =>
        new(HttpMethod.Get, $"payments/v1/sessions/{Escape(sessionId, nameof(sessionId))}");

    /// <summary>POST payments/v1/authorizations/{token}/order</summary>
    public static KlarnaRequest CreateOrder(string authorizationToken, KlarnaSessionRequest body) =>
        new(HttpMethod.Post, $"payments/v1/authorizations/{Escape(authorizationToken, nameof(authorizationToken))}/order", body ?? throw new ArgumentNullException(nameof(body)));

    /// <summary>DELETE payments/v1/authorizations/{token}</summary>
    public static KlarnaRequest CancelAuthorization(string authorizationToken) =>
        new(HttpMethod.Delete, $"payments/v1/authorizations/{Escape(authorizationToken, nameof(authorizationToken))}");

    /// <summary>GET ordermanagement/v1/orders/{order_id}</summary>
    public static KlarnaRequest GetOrder(string orderId) => new(HttpMethod.Get, OrderPath(orderId));

    /// <summary>POST ordermanagement/v1/orders/{order_id}/captures</summary>
    public static KlarnaRequest CreateCapture(string orderId, KlarnaCaptureRequest body) =>
        new(HttpMethod.Post, OrderPath(orderId, "/captures"), body ?? throw new ArgumentNullException(nameof(body)));

    /// <summary>GET ordermanagement/v1/orders/{order_id}/captures</summary>
    public static KlarnaRequest ListCaptures(string orderId) => new(HttpMethod.Get, OrderPath(orderId, "/captures"));

    /// <summary>GET ordermanagement/v1/orders/{order_id}/captures/{capture_id}</summary>
    public static KlarnaRequest GetCapture(string orderId, string captureId) =>
        new(HttpMethod.Get, OrderPath(orderId, $"/captures/{Escape(captureId, nameof(captureId))}"));

    /// <summary>POST ordermanagement/v1/orders/{order_id}/captures/{capture_id}/shipping-info</summary>
    public static KlarnaRequest AddShippingInfo(string orderId, string captureId, IList<KlarnaShippingInfo> shippingInfo) =>
        new(HttpMethod.Post, OrderPath(orderId, $"/captures/{Escape(captureId, nameof(captureId))}/shipping-info"),
            new ShippingInfoBody { ShippingInfo = shippingInfo ?? throw new ArgumentNullException(nameof(shippingInfo)) });

    /// <summary>POST ordermanagement/v1/orders/{order_id}/refunds</summary>
    public static KlarnaRequest CreateRefund(string orderId, KlarnaRefundRequest body) =>
        new(HttpMethod.Post, OrderPath(orderId, "/refunds"), body ?? throw new ArgumentNullException(nameof(body)));

    /// <summary>GET ordermanagement/v1/orders/{order_id}/refunds/{refund_id}</summary>
    public static KlarnaRequest GetRefund(string orderId, string refundId) =>
        new(HttpMethod.Get, OrderPath(orderId, $"/refunds/{Escape(refundId, nameof(refundId))}"));

    /// <summary>POST ordermanagement/v1/orders/{order_id}/cancel</summary>
    public static KlarnaRequest CancelOrder(string orderId) => new(HttpMethod.Post, OrderPath(orderId, "/cancel"));

    /// <summary>POST ordermanagement/v1/orders/{order_id}/release-remaining-authorization</summary>
    public static KlarnaRequest ReleaseRemainingAuthorization(string orderId) =>
        new(HttpMethod.Post, OrderPath(orderId, "/release-remaining-authorization"));

    /// <summary>POST ordermanagement/v1/orders/{order_id}/extend-authorization-time</summary>
    public static KlarnaRequest ExtendAuthorizationTime(string orderId) =>
        new(HttpMethod.Post, OrderPath(orderId, "/extend-authorization-time"));

    /// <summary>PATCH ordermanagement/v1/orders/{order_id}/authorization</summary>
    public static KlarnaRequest UpdateAuthorization(string orderId, KlarnaUpdateAuthorizationRequest body) =>
        new(HttpMethod.Patch, OrderPath(orderId, "/authorization"), body ?? throw new ArgumentNullException(nameof(body)));

    /// <summary>PATCH ordermanagement/v1/orders/{order_id}/merchant-references</summary>
    public static KlarnaRequest UpdateMerchantReferences(string orderId, string merchantReference1, string merchantReference2) =>
        new(HttpMethod.Patch, OrderPath(orderId, "/merchant-references"),
            new MerchantReferencesBody { MerchantReference1 = merchantReference1, MerchantReference2 = merchantReference2 });

    /// <summary>POST ordermanagement/v1/orders/{order_id}/acknowledge</summary>
    public static KlarnaRequest Acknowledge(string orderId) => new(HttpMethod.Post, OrderPath(orderId, "/acknowledge"));

    #endregion

    #region Properties

    /// <summary>
    /// Gets the HTTP method
    /// </summary>
    public HttpMethod Method { get; }

    /// <summary>
    /// Gets the path relative to the base URI
    /// </summary>
    public string Path { get; }

    /// <summary>
    /// Gets the JSON body; null for none
    /// </summary>
    public object Body { get; }

    #endregion

    #region Nested classes

    private sealed class ShippingInfoBody
    {
        [JsonProperty("shipping_info")]
        public IList<KlarnaShippingInfo> ShippingInfo { get; set; }
    }

    private sealed class MerchantReferencesBody
    {
        [JsonProperty("merchant_reference1")]
        public string MerchantReference1 { get; set; }

        [JsonProperty("merchant_reference2")]
        public string MerchantReference2 { get; set; }
    }

    #endregion
}
