namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// What the checkout tells the customer (or, for <see cref="AttemptNeedsAttention"/>, the admin in the log). Each message
/// has one locale resource, Plugins.Payments.Klarna.Checkout.{message}
/// (<see cref="Localization.KlarnaLocalizationExtensions.GetCheckoutTextAsync"/>)
/// </summary>
public enum KlarnaCheckoutMessage
{
    //payment info step
    NotConfigured = 1,
    EmptyCart = 2,
    NotAvailable = 3,
    LinesInvalid = 4,
    NoCategories = 5,
    SessionFailed = 6,
    NotCompleted = 7,
    Declined = 8,
    Loading = 9,

    //validation of the payment step and of the confirm step
    AuthorizationRequired = 20,
    AuthorizationInvalid = 21,
    FinalizeRequired = 22,

    //placing the order
    AuthorizationExpired = 30,
    CreateOrderFailed = 31,
    Rejected = 32,
    NotConfirmed = 33,
    InProgress = 34,
    AlreadyPlaced = 35,

    //the admin's warning of an attempt whose outcome stays unknown ({0} merchant reference, {1} Klarna session,
    //{2} amount, {3} currency, {4} customer, {5} last error)
    AttemptNeedsAttention = 40
}
