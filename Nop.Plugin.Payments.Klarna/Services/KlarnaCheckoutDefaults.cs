namespace Nop.Plugin.Payments.Klarna.Services;

/// <summary>
/// Represents the checkout's constants (form fields, custom values, generic attributes, notification route)
/// </summary>
public static class KlarnaCheckoutDefaults
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
    /// Gets the customer generic attribute that keeps a Klarna order created by ProcessPayment until nopCommerce saved the
    /// order ("klarnaOrderId|orderGuid"); a leftover one means the placement failed and the Klarna order is cancelled
    /// </summary>
    public static string PendingOrderAttribute => "Klarna.Checkout.PendingOrder";

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
}
