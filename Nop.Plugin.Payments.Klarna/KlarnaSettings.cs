using Nop.Core.Configuration;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna;

/// <summary>
/// Represents the plugin settings (per store where nopCommerce's multi-store settings apply)
/// </summary>
public class KlarnaSettings : ISettings
{
    #region Credentials

    /// <summary>
    /// Gets or sets the Klarna region this store sells in
    /// </summary>
    public KlarnaRegion Region { get; set; } = KlarnaRegion.Europe;

    /// <summary>
    /// Gets or sets the Klarna environment (playground for tests, production for live orders)
    /// </summary>
    public KlarnaEnvironment Environment { get; set; } = KlarnaEnvironment.Playground;

    public string EuropePlaygroundUsername { get; set; }
    public string EuropePlaygroundPassword { get; set; }
    public string EuropeProductionUsername { get; set; }
    public string EuropeProductionPassword { get; set; }
    public string NorthAmericaPlaygroundUsername { get; set; }
    public string NorthAmericaPlaygroundPassword { get; set; }
    public string NorthAmericaProductionUsername { get; set; }
    public string NorthAmericaProductionPassword { get; set; }
    public string OceaniaPlaygroundUsername { get; set; }
    public string OceaniaPlaygroundPassword { get; set; }
    public string OceaniaProductionUsername { get; set; }
    public string OceaniaProductionPassword { get; set; }

    /// <summary>
    /// Klarna's merchant id (MID) of each credential, for the Merchant Portal order link: a merchant has one per region and
    /// environment (playground ids are not live ones); stores override them like the credentials
    /// </summary>
    public string EuropePlaygroundMerchantId { get; set; }
    public string EuropeProductionMerchantId { get; set; }
    public string NorthAmericaPlaygroundMerchantId { get; set; }
    public string NorthAmericaProductionMerchantId { get; set; }
    public string OceaniaPlaygroundMerchantId { get; set; }
    public string OceaniaProductionMerchantId { get; set; }

    /// <summary>
    /// Gets or sets a base URL that replaces Klarna's (the project's Klarna sandbox for development); empty = Klarna's own
    /// </summary>
    public string ApiUrlOverride { get; set; }

    /// <summary>
    /// Gets or sets the per-attempt timeout of Klarna requests in seconds (at most 60: the order lock outlives a request's
    /// worst case, see KlarnaLockBudget)
    /// </summary>
    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Gets or sets a value indicating whether Klarna requests and responses are logged (secrets masked)
    /// </summary>
    public bool LogDebug { get; set; }

    #endregion

    #region Checkout

    /// <summary>
    /// Gets or sets the address of Klarna's browser library
    /// </summary>
    public string KlarnaLibraryUrl { get; set; } = KlarnaDefaults.KlarnaLibraryUrl;

    /// <summary>
    /// Gets or sets the secret embedded in the notification URL given to Klarna (generated on install)
    /// </summary>
    public string NotificationSecret { get; set; }

    #endregion

    #region Shipping info

    /// <summary>
    /// Gets or sets the merchant's shipping carrier table, one mapping a line: "shipping method = carrier; Klarna shipping
    /// method", for the shipping methods whose carrier nopCommerce cannot tell (KlarnaShippingCarriers)
    /// </summary>
    public string ShippingCarrierMappings { get; set; }

    #endregion

    #region Order status mapping (0 = leave the order status unchanged)

    public int OrderStatusAfterAuthorizeId { get; set; } = 20;          // Processing
    public int OrderStatusFraudPendingId { get; set; } = 10;            // Pending
    public int OrderStatusAfterCaptureId { get; set; } = 30;            // Complete
    public int OrderStatusAfterPartialCaptureId { get; set; } = 20;     // Processing
    public int OrderStatusAfterCancelId { get; set; } = 40;             // Cancelled
    public int OrderStatusAfterRefundId { get; set; } = 40;             // Cancelled
    public int OrderStatusAfterPartialRefundId { get; set; }            // unchanged
    public int OrderStatusAfterExpiryId { get; set; } = 40;             // Cancelled
    public int OrderStatusFraudStoppedId { get; set; } = 10;            // Pending (Klarna stopped the order: do not ship)

    /// <summary>
    /// Gets or sets a value indicating whether the shop order status follows Klarna's order status (each mapped status
    /// applied once per order); when off, only the initial status of new orders is set
    /// </summary>
    public bool EnableAutomaticOrderStatusChange { get; set; } = true;

    #endregion

    #region Capture upon fulfillment

    /// <summary>
    /// Gets or sets when the plugin captures by itself
    /// </summary>
    public KlarnaCaptureUponFulfillmentMode CaptureUponFulfillmentMode { get; set; } = KlarnaCaptureUponFulfillmentMode.Off;

    /// <summary>
    /// Gets or sets the order status that triggers the capture (mode OnOrderStatus)
    /// </summary>
    public int CaptureOnOrderStatusId { get; set; } = 30;               // Complete

    #endregion

    #region Status synchronization

    public int SyncIntervalMinutes { get; set; } = 60;
    public int SyncConcurrency { get; set; } = 4;
    public int ExpiryWarningDays { get; set; } = 3;
    public bool AutoExtendAuthorization { get; set; }

    #endregion
}
