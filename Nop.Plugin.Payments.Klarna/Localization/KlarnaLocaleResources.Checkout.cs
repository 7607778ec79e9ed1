namespace Nop.Plugin.Payments.Klarna.Localization;

public static partial class KlarnaLocaleResources
{
    static partial void AddCheckout(IDictionary<string, string> resources)
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
}
