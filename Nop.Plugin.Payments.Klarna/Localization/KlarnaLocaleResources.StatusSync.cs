namespace Nop.Plugin.Payments.Klarna.Localization;

public static partial class KlarnaLocaleResources
{
    static partial void AddStatusSync(IDictionary<string, string> resources)
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
        resources["Plugins.Payments.Klarna.StatusSync.Expiring"] = "Authorizations expiring soon";
        resources["Plugins.Payments.Klarna.StatusSync.Expiring.None"] = "No authorization expires within the warning period.";
        resources["Plugins.Payments.Klarna.StatusSync.Expiring.ExpiresAt"] = "Expires";
        resources["Plugins.Payments.Klarna.StatusSync.Expiring.Remaining"] = "Still capturable";
        resources["Plugins.Payments.Klarna.StatusSync.Expiring.Extended"] = "Extended automatically";
        resources["Plugins.Payments.Klarna.StatusSync.Expiring.ExtendError"] = "Automatic extension failed: {0}";
    }
}
