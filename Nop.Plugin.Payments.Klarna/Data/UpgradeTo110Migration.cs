using FluentMigrator;
using Nop.Data;
using Nop.Data.Migrations;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Services.Configuration;
using Nop.Services.Localization;

namespace Nop.Plugin.Payments.Klarna.Data;

/// <summary>
/// Upgrades a shop that installed version 1.0.0: the one merchant id becomes each credential's (so the Merchant Portal
/// link keeps working), and the locale resources this version adds are added. Process type Update: nopCommerce runs it
/// when plugin.json's version changed, and only records it at a fresh install (which gets everything from InstallAsync)
/// </summary>
[NopMigration("2026/11/27 10:30:00", "Payments.Klarna 1.1.0 merchant id per credential, new resources", MigrationProcessType.Update)]
public class UpgradeTo110Migration : Migration
{
    #region Fields

    protected readonly ILocalizationService _localizationService;
    protected readonly ISettingService _settingService;

    #endregion

    #region Ctor

    public UpgradeTo110Migration(ILocalizationService localizationService,
        ISettingService settingService)
    {
        _localizationService = localizationService;
        _settingService = settingService;
    }

    #endregion

    #region Properties

    /// <summary>
    /// Gets the locale resources added in 1.1.0 (an existing shop's own texts of older resources are left alone)
    /// </summary>
    public static IReadOnlyList<string> AddedResources { get; } = new[]
    {
        "Plugins.Payments.Klarna.Checkout.FinalizeRequired",
        "Plugins.Payments.Klarna.Checkout.NotConfirmed",
        "Plugins.Payments.Klarna.Checkout.InProgress",
        "Plugins.Payments.Klarna.Checkout.AlreadyPlaced",
        "Plugins.Payments.Klarna.Fields.ShippingCarrierMappings",
        "Plugins.Payments.Klarna.Fields.ShippingCarrierMappings.Hint",
        "Plugins.Payments.Klarna.Validation.ShippingCarrierMappings"
    };

    #endregion

    #region Methods

    /// <summary>
    /// Copies the single merchant id of each store scope to every credential of that scope that has none, then removes it
    /// </summary>
    /// <param name="settingService">Setting service</param>
    /// <returns>The number of merchant ids copied</returns>
    public static int CopyMerchantIdToCredentials(ISettingService settingService)
    {
        ArgumentNullException.ThrowIfNull(settingService);

        var oldKey = $"{nameof(KlarnaSettings)}.MerchantId".ToLowerInvariant();
        var settings = settingService.GetAllSettings();
        var copied = 0;
        foreach (var old in settings.Where(setting => string.Equals(setting.Name, oldKey, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            if (!string.IsNullOrWhiteSpace(old.Value))
            {
                foreach (var entry in KlarnaSettingsCredentials.All)
                {
                    var key = $"{nameof(KlarnaSettings)}.{((System.Linq.Expressions.MemberExpression)entry.MerchantId.Body).Member.Name}";
                    if (settings.Any(setting => string.Equals(setting.Name, key, StringComparison.OrdinalIgnoreCase) && setting.StoreId == old.StoreId))
                        continue;

                    settingService.SetSetting(key, old.Value.Trim(), old.StoreId, false);
                    copied++;
                }
            }

            settingService.DeleteSetting(old);
        }

        settingService.ClearCache();
        return copied;
    }

    /// <summary>
    /// Collect the UP migration expressions
    /// </summary>
    public override void Up()
    {
        if (!DataSettingsManager.IsDatabaseInstalled())
            return;

        CopyMerchantIdToCredentials(_settingService);

        var resources = KlarnaLocaleResources.GetAll();
        _localizationService.AddOrUpdateLocaleResource(AddedResources.Where(resources.ContainsKey).ToDictionary(key => key, key => resources[key]));
    }

    /// <summary>
    /// Collects the DOWN migration expressions
    /// </summary>
    public override void Down()
    {
        //nothing: the settings stay as they are
    }

    #endregion
}
