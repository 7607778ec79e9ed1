using System.Collections.Generic;
using System;
using System.Linq;
using Klarna.Sandbox.Models;

namespace Klarna.Sandbox;

public sealed partial class SandboxState
{
    #region Order Management v1

    /// <summary>
    /// Creates an AUTHORIZED order directly (test-control API); the cart is validated like a KP create-order
    /// </summary>
    public (SandboxOrder Order, KlarnaFailure Failure) CreateOrderDirect(SandboxCart cart, string fraudStatus = null, int? expiresInDays = null)
    {
        var failure = SandboxRules.ValidateCart(cart);
        if (failure is not null)
            return (null, failure);

        lock (_sync)
            return (AddOrder(cart, fraudStatus, expiresInDays ?? Options.AuthorizationPeriodDays), null);
    }

    /// <summary>
    /// Moves the order's authorization past its expiry (expires_at = now - 1 s), making it EXPIRED / CLOSED
    /// </summary>
    public SandboxOrder ExpireOrder(string orderId)
    {
        lock (_sync)
        {
            if (!_orders.TryGetValue(orderId, out var order))
                return null;

            order.ExpiresAt = DateTimeOffset.UtcNow + _clockOffset - TimeSpan.FromSeconds(1);
            RefreshExpiry(order);
            return order;
        }
    }

    /// <summary>
    /// Sets the fraud status of an order
    /// </summary>
    public SandboxOrder SetFraudStatus(string orderId, string fraudStatus)
    {
        lock (_sync)
        {
            if (!_orders.TryGetValue(orderId, out var order))
                return null;

            order.FraudStatus = fraudStatus.ToUpperInvariant();
            return order;
        }
    }

    /// <summary>
    /// Runs one Order Management operation on an order under the state lock; unknown orders get 404 with the endpoint's code
    /// </summary>
    public SandboxResponse OnOrder(KlarnaCall call, string orderId, Func<SandboxOrder, SandboxResponse> operation, string notFoundCode = "NO_SUCH_ORDER")
    {
        lock (_sync)
        {
            if (orderId is null || !_orders.TryGetValue(orderId, out var order))
                return call.Fail(404, notFoundCode, $"Order {orderId} cannot be found");

            RefreshExpiry(order);
            return operation(order);
        }
    }

    /// <summary>
    /// Renders an order as Klarna's JSON
    /// </summary>
    public SandboxResponse RenderOrder(SandboxOrder order)
    {
        lock (_sync)
            return SandboxResponse.Json(200, order);
    }

    /// <summary>
    /// POST /cancel
    /// </summary>
    public SandboxResponse Cancel(KlarnaCall call, SandboxOrder order)
    {
        if (order.Captures.Count > 0)
            return call.Fail(403, "CANCEL_NOT_ALLOWED", "Order has previous captures. Cancel not possible");
        if (order.Status != OrderStatus.Authorized)
            return call.Fail(403, "CANCEL_NOT_ALLOWED", $"Order {order.OrderId} is {order.Status.ToLowerInvariant()}. Cancel not possible");

        order.Status = OrderStatus.Cancelled;
        order.RemainingAuthorizedAmount = 0;
        return SandboxResponse.NoContent();
    }

    /// <summary>
    /// POST /release-remaining-authorization
    /// </summary>
    public SandboxResponse ReleaseRemainingAuthorization(KlarnaCall call, SandboxOrder order)
    {
        switch (order.Status)
        {
            case OrderStatus.PartCaptured:
                order.Status = OrderStatus.Captured;
                order.RemainingAuthorizedAmount = 0;
                return SandboxResponse.NoContent();
            case OrderStatus.Captured:
                return call.Fail(403, "NOT_ALLOWED", "Order is fully captured. Remaining authorization cannot be released.");
            case OrderStatus.Authorized:
                return call.Fail(403, "NOT_ALLOWED", "Order has no captures. Remaining authorization cannot be released.");
            default:
                return call.Fail(403, "NOT_ALLOWED", $"Order is {order.Status.ToLowerInvariant()}. Remaining authorization cannot be released.");
        }
    }

    /// <summary>
    /// POST /extend-authorization-time: expires_at = (date of the call) + the authorization period, at most 180 days after purchase
    /// </summary>
    public SandboxResponse ExtendAuthorizationTime(KlarnaCall call, SandboxOrder order)
    {
        if (order.Status is not (OrderStatus.Authorized or OrderStatus.PartCaptured))
            return call.Fail(403, "NOT_ALLOWED", $"Order is {order.Status.ToLowerInvariant()}. Authorization time cannot be extended.");

        var now = DateTimeOffset.UtcNow + _clockOffset;
        var extended = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(Options.AuthorizationPeriodDays + 1).AddSeconds(-1);
        if (extended > order.CreatedAt.AddDays(180))
            return call.Fail(403, "NOT_ALLOWED", "Authorization time cannot be extended beyond 180 days after the purchase.");

        if (extended > order.ExpiresAt)
            order.ExpiresAt = extended;

        return SandboxResponse.NoContent();
    }

    /// <summary>
    /// PATCH /authorization
    /// </summary>
    public SandboxResponse UpdateAuthorization(KlarnaCall call, SandboxOrder order, SandboxUpdateAuthorizationRequest request)
    {
        if (request?.OrderAmount is null or < 0 or > SandboxRules.MaxAmount)
            return call.Fail(KlarnaFailure.BadValue("order_amount"));

        var failure = SandboxRules.ValidateSize(request.Description, "description", 255)
            ?? SandboxRules.ValidateAmountLines(request.OrderLines, request.OrderAmount.Value, "order_amount");
        if (failure is not null)
            return call.Fail(failure);

        if (order.Status is not (OrderStatus.Authorized or OrderStatus.PartCaptured))
            return call.Fail(403, "NOT_ALLOWED", $"Order is {order.Status.ToLowerInvariant()}. Order authorization cannot be updated");
        if (request.OrderAmount.Value < order.CapturedAmount)
            return call.Fail(403, "NOT_ALLOWED", $"Resulting authorization amount {request.OrderAmount.Value} cannot be less than the captured amount {order.CapturedAmount} for order. Order authorization cannot be updated");

        order.OrderAmount = request.OrderAmount.Value;
        order.OrderLines = SandboxJson.Clone(request.OrderLines) ?? new();
        order.RemainingAuthorizedAmount = order.OrderAmount - order.CapturedAmount;
        if (order.CapturedAmount > 0)
            order.Status = order.RemainingAuthorizedAmount == 0 ? OrderStatus.Captured : OrderStatus.PartCaptured;

        return SandboxResponse.NoContent();
    }

    /// <summary>
    /// PATCH /merchant-references
    /// </summary>
    public SandboxResponse UpdateMerchantReferences(KlarnaCall call, SandboxOrder order, SandboxMerchantReferencesRequest request)
    {
        var failure = SandboxRules.ValidateSize(request?.MerchantReference1, "merchant_reference1", 255)
            ?? SandboxRules.ValidateSize(request?.MerchantReference2, "merchant_reference2", 255);
        if (failure is not null)
            return call.Fail(failure);
        if (order.Status == OrderStatus.Cancelled)
            return call.Fail(403, "NOT_ALLOWED", "Order is cancelled. Merchant references cannot be updated.");

        if (request?.MerchantReference1 is not null)
            order.MerchantReference1 = request.MerchantReference1;
        if (request?.MerchantReference2 is not null)
            order.MerchantReference2 = request.MerchantReference2;

        return SandboxResponse.NoContent();
    }

    /// <summary>
    /// PATCH /customer-details
    /// </summary>
    public SandboxResponse UpdateCustomerDetails(KlarnaCall call, SandboxOrder order, SandboxCustomerDetailsRequest request)
    {
        if (order.Status is OrderStatus.Cancelled or OrderStatus.Expired or OrderStatus.Closed)
            return call.Fail(403, "NOT_ALLOWED", $"Order is {order.Status.ToLowerInvariant()}. Customer details cannot be updated.");
        if (request?.BillingAddress is not null)
            return call.Fail(403, "NOT_ALLOWED", "Billing address cannot be changed.");

        var address = request?.ShippingAddress;
        if (address is null || string.IsNullOrWhiteSpace(address.Country) || string.IsNullOrWhiteSpace(address.PostalCode)
            || string.IsNullOrWhiteSpace(address.StreetAddress) || string.IsNullOrWhiteSpace(address.City))
            return call.Fail(422, "INVALID_ADDRESS", "The shipping and/or billing address is invalid");

        order.ShippingAddress = SandboxJson.Clone(address);
        return SandboxResponse.NoContent();
    }

    /// <summary>
    /// POST /acknowledge
    /// </summary>
    public SandboxResponse Acknowledge(KlarnaCall call, SandboxOrder order)
    {
        if (order.Status == OrderStatus.Cancelled)
            return call.Fail(403, "NOT_ALLOWED", $"Order {order.OrderId} is cancelled. Acknowledgement not possible.");

        order.Acknowledged = true;
        return SandboxResponse.NoContent();
    }

    #endregion
}
