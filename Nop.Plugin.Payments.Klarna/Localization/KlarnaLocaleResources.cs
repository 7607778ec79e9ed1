namespace Nop.Plugin.Payments.Klarna.Localization;

/// <summary>
/// The plugin's locale resources (English): the one list KlarnaPaymentMethod adds on install (it removes them by prefix
/// on uninstall), one section per area
/// </summary>
public static class KlarnaLocaleResources
{
    #region Properties

    /// <summary>
    /// Gets the resources whose English text 1.1.0 changed, with 1.0.0's text (the update replaces a text a shop kept)
    /// </summary>
    public static IReadOnlyDictionary<string, string> ChangedSince100 { get; } = new Dictionary<string, string>
    {
        ["Plugins.Payments.Klarna.Fields.MerchantId.Hint"] = "Your Klarna merchant id, used for the link to the order in the Klarna Merchant Portal. Newer API usernames do not contain it.",
        ["Plugins.Payments.Klarna.Fields.RequestTimeoutSeconds.Hint"] = "How long one request to Klarna may take before it is abandoned.",
        ["Plugins.Payments.Klarna.Validation.RequestTimeoutSeconds"] = "The timeout must be between 1 and 300 seconds.",
        ["Plugins.Payments.Klarna.Validation.ApiUrlOverride"] = "The API URL override must be an absolute http(s) address without query.",
        ["Plugins.Payments.Klarna.Admin.TestConnection.Hint"] = "Calls Klarna with the credentials entered for the selected region and environment (the stored password when the field is empty).",
        ["Plugins.Payments.Klarna.Fields.ApiUrlOverride.Hint"] = "For development only: an address that replaces Klarna's API host (e.g. a Klarna sandbox). Leave empty in a live store."
    };

    #endregion

    #region Utilities

    /// <summary>
    /// Adds the resources of the checkout (payment info step, customer-facing errors)
    /// </summary>
    /// <param name="resources">Resource name to English value</param>
    private static void AddCheckout(IDictionary<string, string> resources)
    {
        resources["Plugins.Payments.Klarna.Checkout.NotConfigured"] = "Klarna is not configured for this store.";
        resources["Plugins.Payments.Klarna.Checkout.EmptyCart"] = "Your cart is empty.";
        resources["Plugins.Payments.Klarna.Checkout.NotAvailable"] = "Klarna is not available for your billing country and currency.";
        resources["Plugins.Payments.Klarna.Checkout.LinesInvalid"] = "Klarna cannot be used for this cart. Please choose another payment method.";
        resources["Plugins.Payments.Klarna.Checkout.NoCategories"] = "Klarna offers no payment option for this purchase. Please choose another payment method.";
        resources["Plugins.Payments.Klarna.Checkout.SessionFailed"] = "Klarna is not available right now. Please try again or choose another payment method.";
        resources["Plugins.Payments.Klarna.Checkout.AuthorizationRequired"] = "Please complete the payment with Klarna before you continue.";
        resources["Plugins.Payments.Klarna.Checkout.AuthorizationInvalid"] = "Klarna's authorization is not valid. Please try again.";
        resources["Plugins.Payments.Klarna.Checkout.AuthorizationExpired"] = "Klarna's authorization has expired. Please go back to the payment step and pay with Klarna again.";
        resources["Plugins.Payments.Klarna.Checkout.CreateOrderFailed"] = "Klarna could not accept the order. Please go back to the payment step and try again, or choose another payment method.";
        resources["Plugins.Payments.Klarna.Checkout.Rejected"] = "Klarna declined this purchase. Please choose another payment method.";
        resources["Plugins.Payments.Klarna.Checkout.NotCompleted"] = "The payment with Klarna was not completed. Please try again or choose another payment method.";
        resources["Plugins.Payments.Klarna.Checkout.Declined"] = "Klarna declined the payment. Please choose another payment method.";
        resources["Plugins.Payments.Klarna.Checkout.Loading"] = "Loading Klarna...";
        resources["Plugins.Payments.Klarna.Checkout.FinalizeRequired"] = "Please confirm the payment with Klarna to place the order.";
        resources["Plugins.Payments.Klarna.Checkout.NotConfirmed"] = "Klarna has not confirmed your order yet. Please try again in a moment: you will not be charged twice.";
        resources["Plugins.Payments.Klarna.Checkout.InProgress"] = "Your order is being placed. Please wait a moment, then look at your orders before you try again.";
        resources["Plugins.Payments.Klarna.Checkout.AlreadyPlaced"] = "This payment with Klarna has already been used for an order. Please look at your orders.";
        resources["Plugins.Payments.Klarna.Checkout.AttemptNeedsAttention"] = "Klarna: the answer to create order was lost and could not be settled before the authorization expired, so a Klarna order may exist " +
            "without a nopCommerce order. Look up merchant reference {0} (Klarna session {1}, {2} {3}, customer {4}) in Klarna's Merchant Portal " +
            "and cancel it there if the customer has no order. Last error: {5}";
        resources["Plugins.Payments.Klarna.Lines.Product"] = "Product {0}";
        resources["Plugins.Payments.Klarna.Lines.Shipping"] = "Shipping";
        resources["Plugins.Payments.Klarna.Lines.PaymentFee"] = "Payment fee";
        resources["Plugins.Payments.Klarna.Lines.CheckoutAttributes"] = "Checkout attributes";
        resources["Plugins.Payments.Klarna.Lines.SubTotalDiscount"] = "Discount";
        resources["Plugins.Payments.Klarna.Lines.OrderDiscount"] = "Order discount";
        resources["Plugins.Payments.Klarna.Lines.GiftCard"] = "Gift card";
        resources["Plugins.Payments.Klarna.Lines.RewardPoints"] = "Reward points";
        resources["Plugins.Payments.Klarna.Lines.SalesTax"] = "Sales Tax";
        resources["Plugins.Payments.Klarna.Lines.RoundingAdjustment"] = "Rounding adjustment";
    }

    /// <summary>
    /// Adds the resources of the order management (operations, order notes, admin errors)
    /// </summary>
    /// <param name="resources">Resource name to English value</param>
    private static void AddOrderManagement(IDictionary<string, string> resources)
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

        resources[status + "NeedsAttention"] = "Needs attention";
        resources[statusEvent + "FraudRejected"] = "Fraud rejected";
        resources[statusEvent + "FraudStopped"] = "Stopped by Klarna";
        resources["Plugins.Payments.Klarna.Capture.ShipmentDescription"] = "Shipment {0}";
    }

    /// <summary>
    /// Adds the resources of the configuration page, the admin order block and the enums shown there
    /// </summary>
    /// <param name="resources">Resource name to English value</param>
    private static void AddAdmin(IDictionary<string, string> resources)
    {
        const string p = "Plugins.Payments.Klarna.";
        const string e = "Enums.Nop.Plugin.Payments.Klarna.";

        // configuration page
        resources[p + "Configuration.Credentials"] = "API credentials";
        resources[p + "Configuration.Credentials.Instructions"] = "Enter the API username and password Klarna gave you for each region and environment you use (Merchant Portal: Settings > Klarna API keys). The stored password is never shown; leave the field empty to keep it.";
        resources[p + "Configuration.General"] = "Connection";
        resources[p + "Configuration.StatusMapping"] = "Order status mapping";
        resources[p + "Configuration.StatusMapping.Instructions"] = "The nopCommerce order status to set when Klarna reports each event.";
        resources[p + "Configuration.Capture"] = "Capture";
        resources[p + "Configuration.Sync"] = "Status synchronization";
        resources[p + "Configuration.PasswordStored"] = "A password is stored. Leave empty to keep it.";
        resources[p + "Configuration.PasswordNotStored"] = "No password stored.";
        resources[p + "Fields.Region"] = "Region";
        resources[p + "Fields.Region.Hint"] = "The Klarna region the store sells in: it selects Klarna's API host and the credentials used for new orders.";
        resources[p + "Fields.Environment"] = "Environment";
        resources[p + "Fields.Environment.Hint"] = "Playground for tests (no real payments), production for live orders.";
        resources[p + "Fields.Username"] = "API username";
        resources[p + "Fields.Username.Hint"] = "The API username (UID) of the Klarna API credentials of this region and environment.";
        resources[p + "Fields.Password"] = "API password";
        resources[p + "Fields.Password.Hint"] = "The API password of these credentials. Leave empty to keep the stored password.";
        resources[p + "Fields.ClearPassword"] = "Remove the stored password";
        resources[p + "Fields.ClearPassword.Hint"] = "Check to delete the stored password of this region and environment.";
        resources[p + "Fields.MerchantId"] = "Merchant id (MID)";
        resources[p + "Fields.MerchantId.Hint"] = "Your Klarna merchant id (MID) of this region and environment (the playground has ids of its own), used for the link to the order in Klarna's Merchant Portal. Newer API usernames do not contain it.";
        resources[p + "Fields.ApiUrlOverride"] = "API URL override";
        resources[p + "Fields.ApiUrlOverride.Hint"] = "For development only: an address that replaces Klarna's API host in the playground (e.g. a Klarna sandbox). Not allowed in production, where it is ignored.";
        // Klarna's browser library (Configure page, next to the API URL override)
        resources[p + "Fields.KlarnaLibraryUrl"] = "Klarna library URL";
        resources[p + "Fields.KlarnaLibraryUrl.Hint"] = "The address the checkout loads Klarna's browser library (Klarna Payments SDK) from. Leave Klarna's address (https://x.klarnacdn.net/kp/lib/v1/api.js) in a live store; with the API URL override pointing at a Klarna sandbox, use the sandbox's /kp/lib/v1/api.js.";
        resources[p + "Fields.ShippingCarrierMappings"] = "Shipping carriers";
        resources[p + "Fields.ShippingCarrierMappings.Hint"] = "Klarna shows the customer the carrier and the way of delivery of each shipment. The carrier plugins (UPS, FedEx, USPS, Canada Post, Australia Post) and shipping methods named after their carrier (\"DHL Paket\") tell it; for the others, one line each: \"shipping method or rate computation method = carrier; Klarna shipping method\", e.g. \"Ground = DHL Paket; Home\". Klarna's shipping methods: PickUpStore, Home, BoxReg, BoxUnreg, PickUpPoint, Own, Postal, DHLPackstation, Digital, Undefined, PickUpWarehouse, ClickCollect, PalletDelivery.";
        resources[p + "Validation.ShippingCarrierMappings"] = "Each line of the shipping carriers reads \"shipping method = carrier; Klarna shipping method\", with a carrier of at most 100 characters and one of Klarna's shipping methods (PickUpStore, Home, BoxReg, BoxUnreg, PickUpPoint, Own, Postal, DHLPackstation, Digital, Undefined, PickUpWarehouse, ClickCollect, PalletDelivery).";
        resources[p + "Validation.KlarnaLibraryUrl"] = "The Klarna library URL must be an absolute https address (http only for this machine, e.g. a local sandbox).";
        resources[p + "Fields.RequestTimeoutSeconds"] = "Request timeout (seconds)";
        resources[p + "Fields.RequestTimeoutSeconds.Hint"] = "How long one attempt of a request to Klarna may take before it is abandoned (at most 60 seconds; an operation on an order stays locked for the worst case of its retries).";
        resources[p + "Fields.LogDebug"] = "Debug logging";
        resources[p + "Fields.LogDebug.Hint"] = "Log every Klarna request and response in the nopCommerce log (secrets and personal data masked). Turn off when not investigating a problem.";
        resources[p + "Fields.OrderStatus.Unchanged"] = "Leave unchanged";
        resources[p + "Fields.OrderStatusAfterAuthorize"] = "New authorized order";
        resources[p + "Fields.OrderStatusAfterAuthorize.Hint"] = "Order status of a new order Klarna has authorized.";
        resources[p + "Fields.OrderStatusFraudPending"] = "Fraud check pending";
        resources[p + "Fields.OrderStatusFraudPending.Hint"] = "Order status while Klarna's fraud check of a new order is pending.";
        resources[p + "Fields.OrderStatusAfterCapture"] = "Captured";
        resources[p + "Fields.OrderStatusAfterCapture.Hint"] = "Order status once the whole order is captured.";
        resources[p + "Fields.OrderStatusAfterPartialCapture"] = "Partially captured";
        resources[p + "Fields.OrderStatusAfterPartialCapture.Hint"] = "Order status after a partial capture.";
        resources[p + "Fields.OrderStatusAfterCancel"] = "Cancelled";
        resources[p + "Fields.OrderStatusAfterCancel.Hint"] = "Order status once the Klarna order is cancelled.";
        resources[p + "Fields.OrderStatusAfterRefund"] = "Refunded";
        resources[p + "Fields.OrderStatusAfterRefund.Hint"] = "Order status once everything captured is refunded.";
        resources[p + "Fields.OrderStatusAfterPartialRefund"] = "Partially refunded";
        resources[p + "Fields.OrderStatusAfterPartialRefund.Hint"] = "Order status after a partial refund.";
        resources[p + "Fields.OrderStatusAfterExpiry"] = "Authorization expired";
        resources[p + "Fields.OrderStatusAfterExpiry.Hint"] = "Order status once Klarna's authorization has expired without a capture.";
        resources[p + "Fields.OrderStatusFraudStopped"] = "Stopped by Klarna";
        resources[p + "Fields.OrderStatusFraudStopped.Hint"] = "Order status when Klarna stops an order it had accepted (do not ship it; captures are stopped). A fraud rejection uses the \"Cancelled\" status (the plugin cancels the authorization).";
        resources[p + "Fields.EnableAutomaticOrderStatusChange"] = "Enable automatic order status change";
        resources[p + "Fields.EnableAutomaticOrderStatusChange.Hint"] = "On: the shop order status follows Klarna's order status using the mapping above; each mapped status is applied once per order, so a status an admin sets by hand is never overridden. Off: only the initial status of a new order is set.";
        resources[p + "Fields.CaptureUponFulfillmentMode"] = "Capture upon fulfillment";
        resources[p + "Fields.CaptureUponFulfillmentMode.Hint"] = "Off: captures are started by an admin. On order status: everything still uncaptured is captured when the order reaches the chosen status. Per shipment: each shipment's items are captured when it is shipped.";
        resources[p + "Fields.CaptureOnOrderStatus"] = "Capture on order status";
        resources[p + "Fields.CaptureOnOrderStatus.Hint"] = "The order status that triggers the capture.";
        resources[p + "Fields.SyncIntervalMinutes"] = "Synchronization interval (minutes)";
        resources[p + "Fields.SyncIntervalMinutes.Hint"] = "How often open Klarna orders are compared with Klarna (changes made in the Merchant Portal).";
        resources[p + "Fields.SyncConcurrency"] = "Synchronization concurrency";
        resources[p + "Fields.SyncConcurrency.Hint"] = "How many orders are read from Klarna at the same time during a synchronization.";
        resources[p + "Fields.ExpiryWarningDays"] = "Expiry warning (days)";
        resources[p + "Fields.ExpiryWarningDays.Hint"] = "Flag an authorization on the order page this many days before it expires.";
        resources[p + "Fields.AutoExtendAuthorization"] = "Extend authorizations automatically";
        resources[p + "Fields.AutoExtendAuthorization.Hint"] = "Ask Klarna to extend an authorization that is about to expire.";

        resources[p + "Validation.Region"] = "Choose a valid Klarna region.";
        resources[p + "Validation.Environment"] = "Choose a valid Klarna environment.";
        resources[p + "Validation.MerchantId"] = "The merchant id may only contain letters, digits, '_' and '-' (at most 64).";
        resources[p + "Validation.ApiUrlOverride"] = "The API URL override must be an absolute http(s) address without user name, password or query.";
        resources[p + "Validation.ApiUrlOverrideProduction"] = "The API URL override is for the playground only: leave it empty in production (a live shop always talks to Klarna).";
        resources[p + "Validation.RequestTimeoutSeconds"] = "The timeout must be between 1 and 60 seconds.";
        resources[p + "Validation.OrderStatus"] = "Choose an order status or \"Leave unchanged\".";
        resources[p + "Validation.CaptureUponFulfillmentMode"] = "Choose when to capture.";
        resources[p + "Validation.CaptureOnOrderStatus"] = "Choose the order status (Processing or Complete) that triggers the capture.";
        resources[p + "Validation.SyncIntervalMinutes"] = "The synchronization interval must be between 5 and 1440 minutes.";
        resources[p + "Validation.SyncConcurrency"] = "The synchronization concurrency must be between 1 and 16.";
        resources[p + "Validation.ExpiryWarningDays"] = "The expiry warning must be between 0 and 28 days.";
        resources[p + "Validation.Username"] = "The API username is too long or has leading or trailing spaces.";
        resources[p + "Validation.Password"] = "The API password is too long.";

        resources[p + "Admin.TestConnection"] = "Test connection";
        resources[p + "Admin.TestConnection.Hint"] = "Calls Klarna with the credentials entered for the selected region and environment. The stored password is used only when the field is empty and the region, environment, username and API URL override are the saved ones.";
        resources[p + "Admin.TestConnection.Success"] = "Klarna accepted the credentials.";

        // order block
        resources[p + "Admin.Block.Title"] = "Klarna";
        resources[p + "Admin.Block.KlarnaReference"] = "Klarna reference";
        resources[p + "Admin.Block.KlarnaOrderId"] = "Klarna order id";
        resources[p + "Admin.Block.OpenInPortal"] = "Open in the Klarna Merchant Portal";
        resources[p + "Admin.Block.Status"] = "Klarna status";
        resources[p + "Admin.Block.FraudStatus"] = "Fraud status";
        resources[p + "Admin.Block.Environment"] = "Environment";
        resources[p + "Admin.Block.OrderAmount"] = "Authorized amount";
        resources[p + "Admin.Block.CapturedAmount"] = "Captured";
        resources[p + "Admin.Block.RefundedAmount"] = "Refunded";
        resources[p + "Admin.Block.RemainingAmount"] = "Remaining authorized";
        resources[p + "Admin.Block.InitialPaymentMethod"] = "Payment method";
        resources[p + "Admin.Block.ExpiresOn"] = "Authorization expires";
        resources[p + "Admin.Block.ExpiresSoon"] = "Expires soon: capture or extend the authorization.";
        resources[p + "Admin.Block.Captures"] = "Captures";
        resources[p + "Admin.Block.Refunds"] = "Refunds";
        resources[p + "Admin.Block.Operations"] = "Failed and pending operations";
        resources[p + "Admin.Block.Date"] = "Date";
        resources[p + "Admin.Block.Amount"] = "Amount";
        resources[p + "Admin.Block.Lines"] = "Lines";
        resources[p + "Admin.Block.Tracking"] = "Tracking";
        resources[p + "Admin.Block.Reference"] = "Reference";
        resources[p + "Admin.Block.Description"] = "Description";
        resources[p + "Admin.Block.Operation"] = "Operation";
        resources[p + "Admin.Block.OperationStatus"] = "Status";
        resources[p + "Admin.Block.InitiatedBy"] = "By";
        resources[p + "Admin.Block.Origin"] = "Made in";
        resources[p + "Admin.Block.Error"] = "Klarna's answer";
        resources[p + "Admin.Block.ErrorCode"] = "Klarna's error code";
        resources[p + "Admin.Block.ErrorMessage"] = "Klarna's message";
        resources[p + "Admin.Block.CorrelationId"] = "Klarna correlation id";
        resources[p + "Admin.Block.None"] = "None";
        resources[p + "Admin.Block.Busy"] = "Another operation on this order was under way: what Klarna showed at that moment is shown. Refresh in a moment.";
        resources[p + "Admin.Block.FraudWarning"] = "Fraud decision";
        resources[p + "Admin.Block.NeedsAttention"] = "Needs attention: check the order in the Klarna Merchant Portal.";
        resources[p + "Admin.ReadError"] = "Klarna could not be read; the last known state is shown. {0}";

        resources[p + "Admin.Action.CapturePayment"] = "Capture payment";
        resources[p + "Admin.Action.CapturePayment.Confirm"] = "Klarna charges the customer the whole remaining amount ({0}) now.";
        resources[p + "Admin.Action.CapturePayment.Title"] = "Capture the whole remaining amount?";
        resources[p + "Admin.Action.CapturePayment.Button"] = "Capture {0}";
        resources[p + "Admin.Action.CaptureOrder"] = "Capture order";
        resources[p + "Admin.Action.CancelOrder"] = "Cancel order";
        resources[p + "Admin.Action.CancelOrder.Confirm"] = "The customer's authorization is released and nothing can be captured afterwards. This cannot be undone.";
        resources[p + "Admin.Action.CancelOrder.Title"] = "Cancel Klarna order?";
        resources[p + "Admin.Action.Release"] = "Release remaining authorization";
        resources[p + "Admin.Action.Release.Confirm"] = "The remaining authorized amount ({0}) is released: nothing more can be captured afterwards. This cannot be undone.";
        resources[p + "Admin.Action.Release.Title"] = "Release the remaining authorization?";
        resources[p + "Admin.Action.Release.Button"] = "Release {0}";
        resources[p + "Admin.Action.Refund"] = "Refund";
        resources[p + "Admin.Action.Close"] = "Close";
        resources[p + "Admin.Action.Working"] = "Working...";
        resources[p + "Admin.Modal.Capture.Title"] = "Capture order";
        resources[p + "Admin.Modal.Refund.Title"] = "Refund";
        resources[p + "Admin.Modal.Line"] = "Line";
        resources[p + "Admin.Modal.UnitPrice"] = "Unit price";
        resources[p + "Admin.Modal.Quantity"] = "Quantity";
        resources[p + "Admin.Modal.Capturable"] = "Capturable";
        resources[p + "Admin.Modal.Refundable"] = "Refundable";
        resources[p + "Admin.Modal.Total"] = "Total";
        resources[p + "Admin.Modal.EnterAmount.Capture"] = "Capture amount";
        resources[p + "Admin.Modal.EnterAmount.Refund"] = "Refund amount";
        resources[p + "Admin.Modal.SelectLines"] = "Select lines";
        resources[p + "Admin.Modal.Amount"] = "Amount ({0})";
        resources[p + "Admin.Modal.Amount.Hint"] = "Type the amount as this page shows amounts, e.g. {0}. At most {1}.";
        resources[p + "Admin.Modal.Description"] = "Description (optional)";
        resources[p + "Admin.Modal.CaptureButton"] = "Capture";
        resources[p + "Admin.Modal.RefundButton"] = "Refund";
        resources[p + "Admin.Modal.Remaining"] = "Remaining authorized: {0}";
        resources[p + "Admin.Modal.RefundableAmount"] = "Refundable: {0}";
        resources[p + "Admin.Modal.TooHigh"] = "The amount is higher than what is left: at most {0}.";
        resources[p + "Admin.Modal.LinesTooHigh"] = "The selected lines add up to more than what is left: at most {0}.";
        resources[p + "Admin.Modal.QuantityInvalid"] = "Enter a whole quantity for each selected line, at most the quantity offered.";
        resources[p + "Admin.Modal.NoSums"] = "The amount is checked when you submit (this currency's format cannot be shown here).";

        resources[p + "Admin.Error.Unexpected"] = "The request failed. Reload the page and try again.";

        // enums shown in the admin
        resources[e + "Services.Api.KlarnaRegion.Europe"] = "Europe";
        resources[e + "Services.Api.KlarnaRegion.NorthAmerica"] = "North America";
        resources[e + "Services.Api.KlarnaRegion.Oceania"] = "Oceania";
        resources[e + "Services.Api.KlarnaEnvironment.Playground"] = "Playground (test)";
        resources[e + "Services.Api.KlarnaEnvironment.Production"] = "Production (live)";
        resources[e + "Domain.KlarnaCaptureUponFulfillmentMode.Off"] = "Off (admins capture)";
        resources[e + "Domain.KlarnaCaptureUponFulfillmentMode.OnOrderStatus"] = "When the order reaches a status";
        resources[e + "Domain.KlarnaCaptureUponFulfillmentMode.PerShipment"] = "Per shipment, when shipped";
    }

    /// <summary>
    /// Adds the resources of the status synchronization
    /// </summary>
    /// <param name="resources">Resource name to English value</param>
    private static void AddStatusSync(IDictionary<string, string> resources)
    {
        resources["Plugins.Payments.Klarna.StatusSync.LastRun"] = "Last synchronization with Klarna";
        resources["Plugins.Payments.Klarna.StatusSync.NeverRun"] = "The order status synchronization has not run yet.";
        resources["Plugins.Payments.Klarna.StatusSync.Running"] = "Running since {0}";
        resources["Plugins.Payments.Klarna.StatusSync.StartedOn"] = "Started";
        resources["Plugins.Payments.Klarna.StatusSync.EndedOn"] = "Ended";
        resources["Plugins.Payments.Klarna.StatusSync.Checked"] = "Orders checked";
        resources["Plugins.Payments.Klarna.StatusSync.Changed"] = "Orders changed";
        resources["Plugins.Payments.Klarna.StatusSync.Failed"] = "Orders failed";
        resources["Plugins.Payments.Klarna.StatusSync.RateLimited"] = "Rate-limited answers (429)";
        resources["Plugins.Payments.Klarna.StatusSync.Skipped"] = "Orders skipped (busy on another instance)";
        resources["Plugins.Payments.Klarna.StatusSync.Extended"] = "Authorizations extended";
        resources["Plugins.Payments.Klarna.StatusSync.Failures"] = "Failures";
        resources["Plugins.Payments.Klarna.StatusSync.Failure.Order"] = "Order";
        resources["Plugins.Payments.Klarna.StatusSync.Failure.Message"] = "Error";
        resources["Plugins.Payments.Klarna.StatusSync.Failure.CorrelationId"] = "Correlation id";
        resources["Plugins.Payments.Klarna.StatusSync.Failure.Cancelled"] = "The run was cancelled.";
        resources["Plugins.Payments.Klarna.StatusSync.Expiring"] = "Authorizations expiring soon";
        resources["Plugins.Payments.Klarna.StatusSync.Expiring.None"] = "No authorization expires within the warning period.";
        resources["Plugins.Payments.Klarna.StatusSync.Expiring.ExpiresAt"] = "Expires";
        resources["Plugins.Payments.Klarna.StatusSync.Expiring.Remaining"] = "Still capturable";
        resources["Plugins.Payments.Klarna.StatusSync.Expiring.Extended"] = "Extended automatically";
        resources["Plugins.Payments.Klarna.StatusSync.Expiring.ExtendError"] = "Automatic extension failed: {0}";
    }

    #endregion

    #region Methods

    /// <summary>
    /// Gets every resource of the plugin
    /// </summary>
    /// <returns>Resource name to English value</returns>
    public static IDictionary<string, string> GetAll()
    {
        var resources = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Plugins.Payments.Klarna.PaymentMethodDescription"] = "Pay with Klarna: pay now, pay later or slice it.",
        };
        AddCheckout(resources);
        AddOrderManagement(resources);
        KlarnaOrderEngineResources.Add(resources);
        AddAdmin(resources);
        AddStatusSync(resources);
        return resources;
    }

    #endregion
}
