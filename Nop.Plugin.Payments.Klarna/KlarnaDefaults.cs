namespace Nop.Plugin.Payments.Klarna;

/// <summary>
/// Represents the plugin's constants
/// </summary>
public static class KlarnaDefaults
{
    /// <summary>
    /// Gets the plugin system name (also stored in Order.PaymentMethodSystemName: never change it)
    /// </summary>
    public static string SystemName => "Payments.Klarna";

    /// <summary>
    /// Gets the default address of Klarna's browser library (Klarna Payments SDK)
    /// </summary>
    public static string KlarnaLibraryUrl => "https://x.klarnacdn.net/kp/lib/v1/api.js";

    /// <summary>
    /// Gets the key of the distributed lock of one order
    /// </summary>
    /// <param name="orderId">nopCommerce order identifier</param>
    public static string OrderLockKey(int orderId) => $"Nop.Plugin.Payments.Klarna.order-{orderId}";

    /// <summary>
    /// Represents the plugin's route names (configuration, admin order actions, Klarna's notifications, confirmation)
    /// </summary>
    public static class Route
    {
        /// <summary>
        /// Gets the configuration route name
        /// </summary>
        public static string Configuration => "Plugin.Payments.Klarna.Configure";

        /// <summary>
        /// Gets the route name of Klarna's fraud-status notifications
        /// </summary>
        public static string Notification => "Plugin.Payments.Klarna.Notification";

        /// <summary>
        /// Gets the route of the confirm step's finalized authorization token
        /// </summary>
        public static string Finalized => "Plugin.Payments.Klarna.Finalized";

        /// <summary>
        /// Gets the route name of the confirmation page Klarna redirects the customer to
        /// </summary>
        public static string Confirmation => "Plugin.Payments.Klarna.Confirmation";

        /// <summary>Gets the route name of the "Test connection" action</summary>
        public static string TestConnection => "Plugin.Payments.Klarna.Admin.TestConnection";

        /// <summary>Gets the route name of the capture action</summary>
        public static string Capture => "Plugin.Payments.Klarna.Admin.Capture";

        /// <summary>Gets the route name of the refund action</summary>
        public static string Refund => "Plugin.Payments.Klarna.Admin.Refund";

        /// <summary>Gets the route name of the cancel action</summary>
        public static string Cancel => "Plugin.Payments.Klarna.Admin.Cancel";

        /// <summary>Gets the route name of the release-remaining-authorization action</summary>
        public static string Release => "Plugin.Payments.Klarna.Admin.Release";

        /// <summary>Gets the route name of the action returning the order block's HTML</summary>
        public static string RefreshBlock => "Plugin.Payments.Klarna.Admin.OrderBlock";
    }

    /// <summary>
    /// Represents the prefixes of the plugin's locale resources: codes (refusals, notes, results) become resource keys here
    /// </summary>
    public static class Locale
    {
        /// <summary>
        /// Gets the prefix of every locale resource of the plugin
        /// </summary>
        public static string Prefix => "Plugins.Payments.Klarna.";

        /// <summary>
        /// Gets the prefix of the resources of the plugin's enums (nopCommerce's GetLocalizedEnumAsync)
        /// </summary>
        public static string EnumPrefix => "Enums.Nop.Plugin.Payments.Klarna.";

        /// <summary>
        /// Gets the prefix of the refusals: Plugins.Payments.Klarna.Refusal.{KlarnaRefusalCode}
        /// </summary>
        public static string Refusal => Prefix + "Refusal.";

        /// <summary>
        /// Gets the prefix of the order engine's order notes: Plugins.Payments.Klarna.Note.{KlarnaNoteCode}
        /// </summary>
        public static string Note => Prefix + "Note.";

        /// <summary>
        /// Gets the prefix of the texts of an operation's result (Klarna's own error shown as Klarna's)
        /// </summary>
        public static string Result => Prefix + "Result.";

        /// <summary>
        /// Gets the prefix of the checkout's messages: Plugins.Payments.Klarna.Checkout.{KlarnaCheckoutMessage}
        /// </summary>
        public static string Checkout => Prefix + "Checkout.";

        /// <summary>
        /// Gets the prefix of the names of the order lines that are not products: Plugins.Payments.Klarna.Lines.{name}
        /// </summary>
        public static string Lines => Prefix + "Lines.";
    }

    /// <summary>
    /// Represents the keys of the plugin's settings read one by one (nopCommerce stores them as {class}.{property})
    /// </summary>
    public static class SettingKeys
    {
        /// <summary>
        /// Gets the key of the "Debug logging" setting
        /// </summary>
        public static string LogDebug => $"{nameof(KlarnaSettings)}.{nameof(KlarnaSettings.LogDebug)}";

        /// <summary>
        /// Gets the prefix of every setting of the plugin
        /// </summary>
        public static string Prefix => $"{nameof(KlarnaSettings)}.";
    }

    /// <summary>
    /// Represents the schedule task of the status synchronization
    /// </summary>
    public static class SyncTask
    {
        /// <summary>
        /// Gets the task name shown in System > Schedule tasks
        /// </summary>
        public static string Name => "Klarna order status synchronization";

        /// <summary>
        /// Gets the task type (full type name without the assembly name)
        /// </summary>
        public static string Type => "Nop.Plugin.Payments.Klarna.Services.StatusSync.KlarnaStatusSyncTask";

        /// <summary>
        /// Gets the default period in seconds
        /// </summary>
        public static int DefaultPeriodSeconds => 3600;
    }

    /// <summary>
    /// Represents the checkout's constants (form fields, custom values, generic attributes, notification route)
    /// </summary>
    public static class Checkout
    {
        /// <summary>
        /// Gets the name of the hidden input that carries the authorization token of the Klarna widget
        /// </summary>
        public static string AuthorizationTokenField => "klarna_authorization_token";

        /// <summary>
        /// Gets the name of the hidden input that carries the Klarna Payments session id
        /// </summary>
        public static string SessionIdField => "klarna_session_id";

        /// <summary>
        /// Gets the name of the hidden input that carries the payment method category the customer chose
        /// </summary>
        public static string CategoryField => "klarna_payment_method_category";

        /// <summary>
        /// Gets the ProcessPaymentRequest custom value names (DisplayToCustomer false)
        /// </summary>
        public static string AuthorizationTokenCustomValue => "Klarna authorization token";

        /// <summary>
        /// Gets the custom value name of the session id
        /// </summary>
        public static string SessionIdCustomValue => "Klarna session id";

        /// <summary>
        /// Gets the custom value name of the payment method category
        /// </summary>
        public static string CategoryCustomValue => "Klarna payment method category";

        /// <summary>
        /// Gets the customer generic attribute that keeps the current Klarna Payments session id (per store)
        /// </summary>
        public static string SessionIdAttribute => "Klarna.Checkout.SessionId";

        /// <summary>
        /// Gets the name of the hidden input that says Klarna's authorize answered finalize_required (the token comes from
        /// finalize() when the customer confirms the order)
        /// </summary>
        public static string FinalizeRequiredField => "klarna_finalize_required";

        /// <summary>
        /// Gets the custom value name of the finalize_required flag
        /// </summary>
        public static string FinalizeRequiredCustomValue => "Klarna finalize required";

        /// <summary>
        /// Gets the longest authorization token accepted (the checkout attempts keep it in a column of this length)
        /// </summary>
        public static int MaxAuthorizationTokenLength => 255;

        /// <summary>
        /// Gets the path of the endpoint the confirm page posts the finalized authorization token to
        /// </summary>
        public static string FinalizedPath => "Plugins/Klarna/Finalized";

        /// <summary>
        /// Gets the path of the notification endpoint (the secret follows as the last segment)
        /// </summary>
        public static string NotificationPath => "Plugins/Klarna/Notification";

        /// <summary>
        /// Gets the largest notification body accepted (bytes)
        /// </summary>
        public static int MaxNotificationBytes => 16 * 1024;

        /// <summary>
        /// Gets the path of the view of the payment info step
        /// </summary>
        public static string PaymentInfoView => "~/Plugins/Payments.Klarna/Views/Public/PaymentInfo.cshtml";

        /// <summary>
        /// Gets the view of the checkout scripts (Klarna's library and the plugin's script, in the checkout pages' widget zones)
        /// </summary>
        public static string ScriptsView => "~/Plugins/Payments.Klarna/Views/Public/_CheckoutScripts.cshtml";

        /// <summary>
        /// Gets the view of the confirm step of a payment that waits for Klarna's finalize()
        /// </summary>
        public static string ConfirmOrderView => "~/Plugins/Payments.Klarna/Views/Public/_ConfirmOrder.cshtml";

        /// <summary>
        /// Gets the path of the plugin's checkout script below the store's location
        /// </summary>
        public static string ScriptPath => "Plugins/Payments.Klarna/Content/klarna-checkout.js";
    }

    /// <summary>
    /// Gets the path of the admin order block view
    /// </summary>
    public static string OrderDetailsViewPath => "~/Plugins/Payments.Klarna/Views/Admin/_OrderDetails.cshtml";

    /// <summary>
    /// Gets the path of the configuration view
    /// </summary>
    public static string ConfigurationViewPath => "~/Plugins/Payments.Klarna/Views/Admin/Configure.cshtml";
}
