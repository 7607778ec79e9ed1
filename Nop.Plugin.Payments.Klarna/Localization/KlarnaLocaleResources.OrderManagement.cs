namespace Nop.Plugin.Payments.Klarna.Localization;

public static partial class KlarnaLocaleResources
{
    static partial void AddOrderManagement(IDictionary<string, string> resources)
    {
        const string kind = "Enums.Nop.Plugin.Payments.Klarna.Domain.KlarnaOperationKind.";
        resources[kind + "Authorize"] = "Authorization";
        resources[kind + "Capture"] = "Capture";
        resources[kind + "Refund"] = "Refund";
        resources[kind + "Cancel"] = "Cancel";
        resources[kind + "Release"] = "Release remaining authorization";
        resources[kind + "ShippingInfo"] = "Shipping info";
        resources[kind + "ExtendAuthorization"] = "Extend authorization";

        const string status = "Enums.Nop.Plugin.Payments.Klarna.Domain.KlarnaOperationStatus.";
        resources[status + "Pending"] = "Pending";
        resources[status + "Succeeded"] = "Succeeded";
        resources[status + "Failed"] = "Failed";

        const string initiator = "Enums.Nop.Plugin.Payments.Klarna.Domain.KlarnaInitiator.";
        resources[initiator + "Admin"] = "Admin";
        resources[initiator + "CaptureUponFulfillment"] = "Capture upon fulfillment";
        resources[initiator + "NopButton"] = "nopCommerce button";
        resources[initiator + "Checkout"] = "Checkout";
        resources[initiator + "StatusSync"] = "Status synchronization";
        resources[initiator + "MerchantPortal"] = "Klarna Merchant Portal";
        resources[initiator + "Notification"] = "Klarna notification";

        const string statusEvent = "Enums.Nop.Plugin.Payments.Klarna.Domain.KlarnaStatusEvent.";
        resources[statusEvent + "Authorized"] = "Authorized";
        resources[statusEvent + "FraudPending"] = "Fraud review pending";
        resources[statusEvent + "PartiallyCaptured"] = "Partially captured";
        resources[statusEvent + "Captured"] = "Captured";
        resources[statusEvent + "Cancelled"] = "Cancelled";
        resources[statusEvent + "PartiallyRefunded"] = "Partially refunded";
        resources[statusEvent + "Refunded"] = "Refunded";
        resources[statusEvent + "Expired"] = "Expired";

        const string om = "Plugins.Payments.Klarna.OrderManagement.";
        resources[om + "InProgress"] = "Another Klarna operation on this order is in progress. Please try again in a moment.";
        resources[om + "NotKlarnaOrder"] = "This order was not paid with Klarna.";
        resources[om + "NothingToCapture"] = "Nothing is left to capture.";
        resources[om + "NothingToRefund"] = "Everything captured was already refunded.";
    }
}
