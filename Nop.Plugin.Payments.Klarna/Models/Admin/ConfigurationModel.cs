using Microsoft.AspNetCore.Mvc.Rendering;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Web.Framework.Models;
using Nop.Web.Framework.Mvc.ModelBinding;

namespace Nop.Plugin.Payments.Klarna.Models.Admin;

/// <summary>
/// Represents the plugin's configuration model (the Configure page)
/// </summary>
public record ConfigurationModel : BaseNopModel
{
    #region Ctor

    public ConfigurationModel()
    {
        Credentials = new List<CredentialsModel>();
        AvailableRegions = new List<SelectListItem>();
        AvailableEnvironments = new List<SelectListItem>();
        AvailableOrderStatuses = new List<SelectListItem>();
        AvailableCaptureOrderStatuses = new List<SelectListItem>();
        AvailableCaptureModes = new List<SelectListItem>();
    }

    #endregion

    #region Properties

    public int ActiveStoreScopeConfiguration { get; set; }

    /// <summary>
    /// Gets or sets the last run of the status synchronization (display only; null before the first run)
    /// </summary>
    [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
    public KlarnaSyncStatus SyncStatus { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.Region")]
    public int RegionId { get; set; }
    public bool RegionId_OverrideForStore { get; set; }
    public IList<SelectListItem> AvailableRegions { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.Environment")]
    public int EnvironmentId { get; set; }
    public bool EnvironmentId_OverrideForStore { get; set; }
    public IList<SelectListItem> AvailableEnvironments { get; set; }

    /// <summary>
    /// Gets or sets the API credentials, one entry per region x environment
    /// </summary>
    public IList<CredentialsModel> Credentials { get; set; }


    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.ApiUrlOverride")]
    public string ApiUrlOverride { get; set; }
    public bool ApiUrlOverride_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.KlarnaLibraryUrl")]
    public string KlarnaLibraryUrl { get; set; }
    public bool KlarnaLibraryUrl_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.RequestTimeoutSeconds")]
    public int RequestTimeoutSeconds { get; set; }
    public bool RequestTimeoutSeconds_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.LogDebug")]
    public bool LogDebug { get; set; }
    public bool LogDebug_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.OrderStatusAfterAuthorize")]
    public int OrderStatusAfterAuthorizeId { get; set; }
    public bool OrderStatusAfterAuthorizeId_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.OrderStatusFraudPending")]
    public int OrderStatusFraudPendingId { get; set; }
    public bool OrderStatusFraudPendingId_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.OrderStatusAfterCapture")]
    public int OrderStatusAfterCaptureId { get; set; }
    public bool OrderStatusAfterCaptureId_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.OrderStatusAfterPartialCapture")]
    public int OrderStatusAfterPartialCaptureId { get; set; }
    public bool OrderStatusAfterPartialCaptureId_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.OrderStatusAfterCancel")]
    public int OrderStatusAfterCancelId { get; set; }
    public bool OrderStatusAfterCancelId_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.OrderStatusAfterRefund")]
    public int OrderStatusAfterRefundId { get; set; }
    public bool OrderStatusAfterRefundId_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.OrderStatusAfterPartialRefund")]
    public int OrderStatusAfterPartialRefundId { get; set; }
    public bool OrderStatusAfterPartialRefundId_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.OrderStatusAfterExpiry")]
    public int OrderStatusAfterExpiryId { get; set; }
    public bool OrderStatusAfterExpiryId_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.OrderStatusFraudStopped")]
    public int OrderStatusFraudStoppedId { get; set; }
    public bool OrderStatusFraudStoppedId_OverrideForStore { get; set; }

    /// <summary>
    /// Gets or sets the order statuses offered by the mapping dropdowns (with "leave unchanged" = 0)
    /// </summary>
    public IList<SelectListItem> AvailableOrderStatuses { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.EnableAutomaticOrderStatusChange")]
    public bool EnableAutomaticOrderStatusChange { get; set; }
    public bool EnableAutomaticOrderStatusChange_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.CaptureUponFulfillmentMode")]
    public int CaptureUponFulfillmentModeId { get; set; }
    public bool CaptureUponFulfillmentModeId_OverrideForStore { get; set; }
    public IList<SelectListItem> AvailableCaptureModes { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.CaptureOnOrderStatus")]
    public int CaptureOnOrderStatusId { get; set; }
    public bool CaptureOnOrderStatusId_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.ShippingCarrierMappings")]
    public string ShippingCarrierMappings { get; set; }
    public bool ShippingCarrierMappings_OverrideForStore { get; set; }
    public IList<SelectListItem> AvailableCaptureOrderStatuses { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.SyncIntervalMinutes")]
    public int SyncIntervalMinutes { get; set; }
    public bool SyncIntervalMinutes_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.SyncConcurrency")]
    public int SyncConcurrency { get; set; }
    public bool SyncConcurrency_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.ExpiryWarningDays")]
    public int ExpiryWarningDays { get; set; }
    public bool ExpiryWarningDays_OverrideForStore { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.AutoExtendAuthorization")]
    public bool AutoExtendAuthorization { get; set; }
    public bool AutoExtendAuthorization_OverrideForStore { get; set; }

    /// <summary>
    /// Gets or sets the URL of the "Test connection" action
    /// </summary>
    public string TestConnectionUrl { get; set; }

    #endregion

    #region Methods

    /// <summary>
    /// Takes the stored value of every setting whose "override for store" box is not ticked (in a store's scope the browser
    /// posts no value for it)
    /// </summary>
    /// <param name="stored">The model of the stored settings</param>
    /// <returns>The names of the properties taken over</returns>
    public IList<string> KeepStoredValuesNotOverridden(ConfigurationModel stored)
    {
        const string suffix = "_OverrideForStore";
        var kept = new List<string>();
        foreach (var flag in typeof(ConfigurationModel).GetProperties().Where(p => p.PropertyType == typeof(bool) && p.Name.EndsWith(suffix, StringComparison.Ordinal)))
        {
            if ((bool)flag.GetValue(this)!)
                continue;

            var property = typeof(ConfigurationModel).GetProperty(flag.Name[..^suffix.Length])!;
            property.SetValue(this, property.GetValue(stored));
            kept.Add(property.Name);
        }

        return kept;
    }

    #endregion
}

/// <summary>
/// Represents the API credentials of one region x environment
/// </summary>
public record CredentialsModel : BaseNopModel
{
    public int RegionId { get; set; }

    public int EnvironmentId { get; set; }

    /// <summary>
    /// Gets or sets the localized title, e.g. "Europe, playground"
    /// </summary>
    public string Title { get; set; }

    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.Username")]
    public string Username { get; set; }

    /// <summary>
    /// Gets or sets Klarna's merchant id (MID) of this region and environment, for the Merchant Portal link of its orders
    /// </summary>
    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.MerchantId")]
    public string MerchantId { get; set; }

    /// <summary>
    /// Gets or sets the new password; always empty when sent to the browser, and empty on post keeps the stored one
    /// </summary>
    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.Password")]
    public string Password { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether a password is stored (never the password itself)
    /// </summary>
    public bool HasPassword { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the stored password is to be removed
    /// </summary>
    [NopResourceDisplayName("Plugins.Payments.Klarna.Fields.ClearPassword")]
    public bool ClearPassword { get; set; }

    public bool OverrideForStore { get; set; }
}
