namespace Nop.Plugin.Payments.Klarna.Localization;

/// <summary>
/// The order engine's part of the plugin's locale resources (English), added by <see cref="KlarnaLocaleResources.GetAll"/>:
/// one text per refusal code, per order note code and per kind of result
/// </summary>
public static class KlarnaOrderEngineResources
{
    /// <summary>
    /// Adds the resources of the order engine: its refusals (Plugins.Payments.Klarna.Refusal.{code}), its order notes
    /// (Plugins.Payments.Klarna.Note.{code}) and its results
    /// </summary>
    /// <param name="resources">Resource name to English value</param>
    public static void Add(IDictionary<string, string> resources)
    {
        var r = KlarnaDefaults.Locale.Refusal;
        resources[r + "NotKlarnaOrder"] = "This order was not paid with Klarna.";
        resources[r + "NoCredentials"] = "The Klarna credentials for {0} {1} are missing in the plugin settings.";
        resources[r + "KlarnaUnreadable"] = "Klarna's order could not be read, nothing was done: {0} {1} (correlation id {2}).";
        resources[r + "OrderBusy"] = "Another Klarna operation on this order is in progress. Please try again in a moment.";
        resources[r + "LockTimeTooShort"] = "Not sent to Klarna: too little time was left to finish it safely. Please try again.";
        resources[r + "OperationPending"] = "An earlier {0} of {1} (started {2}) has no outcome yet. It is settled from Klarna first: refresh the order in a moment instead of repeating it.";
        resources[r + "EarlierOperationCompleted"] = "The earlier {0} of {1}, whose answer was lost, has now completed at Klarna. Check the order before you start another one.";
        resources[r + "IdempotencyKeyInUse"] = "This request was already used for another operation. Reload the page and try again.";
        resources[r + "CurrencyMismatch"] = "The amount is in {0}, but the Klarna order is in {1}.";
        resources[r + "OrderChanged"] = "The order changed while this request was prepared (another operation was recorded). Nothing was sent to Klarna: check the order and try again.";
        resources[r + "Unexpected"] = "The operation failed unexpectedly. Check the order and the log before you try again.";
        resources[r + "NothingToCapture"] = "Nothing is left to capture.";
        resources[r + "CaptureNotAllowed"] = "The Klarna order is {0}: it cannot be captured.";
        resources[r + "FraudPending"] = "Klarna's fraud review of this order is still pending: do not ship or capture yet.";
        resources[r + "FraudRejected"] = "Klarna rejected this order after its fraud review: do not ship or capture it.";
        resources[r + "FraudStopped"] = "Klarna stopped this order: do not ship or capture it.";
        resources[r + "AuthorizationExpired"] = "The authorization expired on {0}.";
        resources[r + "CaptureAmountTooHigh"] = "{0} is more than what can still be captured: at most {1}.";
        resources[r + "AmountNotPositive"] = "The amount must be greater than zero.";
        resources[r + "LinesAndAmount"] = "Give either lines or an amount, not both.";
        resources[r + "UnknownLine"] = "The order has no Klarna line with reference \"{0}\".";
        resources[r + "LineQuantityNotPositive"] = "The quantity of \"{0}\" must be greater than zero.";
        resources[r + "LineQuantityTooHigh"] = "Only {1} of \"{0}\" are left.";
        resources[r + "LinesAddUpToNothing"] = "The selected lines add up to nothing.";
        resources[r + "NothingCaptured"] = "Nothing was captured: there is nothing to refund.";
        resources[r + "NothingToRefund"] = "Everything captured was already refunded.";
        resources[r + "RefundNotAllowed"] = "The Klarna order is {0}: nothing can be refunded.";
        resources[r + "RefundAmountTooHigh"] = "{0} is more than Klarna can refund: at most {1} (captured and not yet refunded).";
        resources[r + "AlreadyCancelled"] = "The Klarna order is already cancelled.";
        resources[r + "CancelNotAllowedAfterCapture"] = "The order has captures: it cannot be cancelled. Release the remaining authorization instead.";
        resources[r + "CancelNotAllowed"] = "The Klarna order is {0}: it cannot be cancelled.";
        resources[r + "ReleaseWithoutCapture"] = "Nothing was captured: cancel the order instead of releasing its authorization.";
        resources[r + "NothingToRelease"] = "Nothing is left to release.";
        resources[r + "ExtendNotAllowed"] = "The Klarna order is {0}: its authorization cannot be extended.";
        resources[r + "ExtendTooLate"] = "Klarna extends an authorization only up to 180 days after the purchase ({0}).";
        resources[r + "ShipmentNotInOrder"] = "Shipment {0} does not belong to this order.";
        resources[r + "ShipmentAlreadyCaptured"] = "Shipment {0} was already captured.";
        resources[r + "ShipmentLinesUnmatched"] = "Shipment {0}: the order items {1} match no Klarna order line; capture it from the Klarna block.";
        resources[r + "NothingInShipment"] = "Nothing of shipment {0} is left to capture.";
        resources[r + "NoCaptureForShipment"] = "No capture covers shipment {0} yet: its tracking goes with the capture.";
        resources[r + "NoTrackingNumber"] = "Shipment {0} has no tracking number.";
        resources[r + "TrackingAlreadySent"] = "Klarna's capture already has tracking number {0}.";
        resources[r + "LineFullyCaptured"] = "Captured in full.";
        resources[r + "LineNotCaptured"] = "Not captured.";
        resources[r + "LineFullyRefunded"] = "Refunded in full.";
        resources[r + "LineExceedsRemaining"] = "One unit ({0}) is more than the {1} left to capture.";
        resources[r + "LineExceedsRefundable"] = "One unit ({0}) is more than the {1} Klarna can still refund.";
        resources[r + "LineLimitedByRemaining"] = "At most {0} fit in the {1} left to capture.";
        resources[r + "LineLimitedByRefundable"] = "At most {0} fit in the {1} Klarna can still refund.";
        resources[r + "AmountRequired"] = "Enter an amount.";
        resources[r + "AmountMalformed"] = "Enter the amount the way this page shows amounts, e.g. {0}.";
        resources[r + "AmountTooManyDecimals"] = "The amount may have at most {0} decimals in this currency, e.g. {1}.";
        resources[r + "AmountAmbiguous"] = "\"{0}\" can be read in more than one way. Enter the amount like {1}.";
        resources[r + "VendorNotAllowed"] = "Vendors cannot manage Klarna payments.";
        resources[r + "OrderNotFound"] = "The order was not found.";
        resources[r + "IdempotencyKeyInvalid"] = "The request has no valid idempotency key; reload the page and try again.";
        resources[r + "DescriptionTooLong"] = "The description may have at most {0} characters.";
        resources[r + "ModeUnknown"] = "Choose lines or enter an amount.";
        resources[r + "NoLinesSelected"] = "Select at least one line.";
        resources[r + "RecurringNotSupported"] = "Recurring payments are not supported by Klarna Payments in this plugin.";
        resources[r + "ConnectionRegionInvalid"] = "Choose a valid Klarna region and environment.";
        resources[r + "ConnectionCredentialsMissing"] = "Enter the API username and password of the selected region and environment first.";
        resources[r + "ConnectionUrlInvalid"] = "The API URL override must be an absolute http(s) address without user name, password or query.";
        resources[r + "ConnectionUrlNotForProduction"] = "The API URL override is for the playground only: leave it empty to test production credentials.";
        resources[r + "ConnectionPasswordRequired"] = "The stored password is only used with the saved region, environment, username and API URL override. Type the password to test other settings; nothing was sent.";
        resources[r + "ConnectionRefused"] = "Klarna refused the credentials. Klarna's error code: {0}; Klarna's message: {1}.";

        var n = KlarnaDefaults.Locale.Note;
        resources[n + "Captured"] = "Klarna: captured {0} (capture id {1}; tracking {2}).";
        resources[n + "Refunded"] = "Klarna: refunded {0} (refund id {1}).";
        resources[n + "Cancelled"] = "Klarna: order cancelled; the authorization of {0} is released.";
        resources[n + "Released"] = "Klarna: the remaining authorization of {0} is released.";
        resources[n + "Extended"] = "Klarna: the authorization now expires on {0}.";
        resources[n + "ShippingInfoAdded"] = "Klarna: tracking number {0} ({1}) added to capture {2}.";
        resources[n + "WriteRefused"] = "Klarna: {0} of {1} failed. Klarna refused it: error code {2}, message: {3}, correlation id {4}.";
        resources[n + "WriteOutcomeUnknown"] = "Klarna: {0} of {1} failed: Klarna did not answer (error code {2}, message: {3}, correlation id {4}). Its outcome is settled from Klarna's order; a retry reuses the same idempotency key.";
        resources[n + "NotDone"] = "Klarna: {0} not done. {1}";
        resources[n + "ReadFailed"] = "Klarna: reading the Klarna order failed, nothing was done. Error code {0}, message: {1}, correlation id {2}.";
        resources[n + "SettledFromKlarna"] = "Klarna: the {0} of {1} whose answer was lost was found in Klarna's order (Klarna id {2}) and is recorded as done.";
        resources[n + "SettledByReplay"] = "Klarna: the {0} of {1} whose answer was lost was sent again with its idempotency key; Klarna confirmed it (Klarna id {2}).";
        resources[n + "RefusedOnReplay"] = "Klarna: the {0} of {1} whose answer was lost was sent again with its idempotency key and Klarna refused it (error code {2}, message: {3}, correlation id {4}): it was not done.";
        resources[n + "NeedsAttention"] = "Klarna: the {0} of {1} sent on {2} still has no outcome after Klarna's 24-hour replay window, and Klarna's order shows no effect of it. It needs attention: check the order in the Klarna Merchant Portal (idempotency key {3}). It is not sent again.";
        resources[n + "NeedsAttentionUnattributed"] = "Klarna: the {0} of {1} sent on {2} still has no outcome after Klarna's 24-hour replay window. Klarna's order shows that state change, but it may have been made in the Klarna Merchant Portal, and Klarna no longer tells whose it was. It needs attention: check the order's history in the Klarna Merchant Portal (idempotency key {3}). It is not sent again.";
        resources[n + "ExternalCapture"] = "Klarna: {0} captured in the Klarna Merchant Portal (capture {1}, {2}).";
        resources[n + "ExternalRefund"] = "Klarna: {0} refunded in the Klarna Merchant Portal (refund {1}).";
        resources[n + "ExternalCancel"] = "Klarna: the order was cancelled in the Klarna Merchant Portal; the authorization of {0} is released.";
        resources[n + "ExternalRelease"] = "Klarna: the remaining authorization of {0} was released in the Klarna Merchant Portal.";
        resources[n + "KlarnaStatusChanged"] = "Klarna: Klarna's order status changed from {0} to {1}.";
        resources[n + "PaymentStatusChanged"] = "Klarna: payment status set from {0} to {1} to match Klarna.";
        resources[n + "PaymentStatusFollows"] = "Payment status: {0} to {1}.";
        resources[n + "FraudStatusChanged"] = "Klarna: fraud status changed from {0} to {1}.";
        resources[n + "FraudStopped"] = "Klarna stopped this order (fraud status {0} to {1}): do not ship it. Captures and capture upon fulfillment are stopped.";
        resources[n + "FraudRejected"] = "Klarna rejected this order after its fraud review (fraud status {0} to {1}): do not ship it. Its authorization is cancelled.";
        resources[n + "AuthorizationExpired"] = "Klarna: the authorization expired on {0}; nothing more can be captured.";
        resources[n + "Authorized"] = "Klarna order {0} (reference {1}) authorized: {2}, fraud status {3}.";
        resources[n + "AuthorizationExpires"] = "The authorization expires on {0}.";
        resources[n + "MerchantReferenceNotSet"] = "The merchant reference could not be set to {0} ({1}).";
        resources[n + "NotReadBack"] = "Klarna could not be read back ({0}); the status synchronization will complete the record.";
        resources[n + "OrderStatusMapped"] = "Klarna: order status changed from {0} to {1} ({2}).";

        var result = KlarnaDefaults.Locale.Result;
        resources[result + "OutcomeUnknown"] = "Klarna did not answer the {0} (error code {1}; Klarna's message: {2}). Its outcome is settled from Klarna's order on the next read; do not repeat it as a new request.";
        resources[result + "KlarnaRefused"] = "Klarna refused the {0}. Klarna's error code: {1}; Klarna's message: {2} (correlation id {3}).";
        resources[result + "WithCorrelationId"] = "{0} (Klarna correlation id {1})";
    }
}
