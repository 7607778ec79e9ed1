using Nop.Plugin.Payments.Klarna.Services.Connection;
using FluentMigrator;
using Nop.Core.Domain.Localization;
using Nop.Data;
using Nop.Data.Migrations;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Services.Configuration;
using Nop.Services.Localization;

namespace Nop.Plugin.Payments.Klarna.Data;

/// <summary>
/// Upgrades a shop that installed version 1.0.0: the one merchant id becomes each credential's (so the Merchant Portal
/// link keeps working), and the locale resources follow 1.1.0 (those of the checkout and of the order engine added in
/// every language, the English texts 1.1.0 changed updated where the shop kept 1.0.0's, the ones 1.1.0 no longer uses
/// removed). Process type Update: nopCommerce runs it when plugin.json's version changed, and only records it at a fresh
/// install (which gets everything from InstallAsync)
/// </summary>
[NopMigration("2026/11/27 10:30:00", "Payments.Klarna 1.1.0 merchant id per credential, new resources", MigrationProcessType.Update)]
public class UpgradeTo110Migration : Migration
{
    #region Fields

    protected readonly ILanguageService _languageService;
    protected readonly ILocalizationService _localizationService;
    protected readonly ISettingService _settingService;

    #endregion

    #region Ctor

    public UpgradeTo110Migration(ILanguageService languageService,
        ILocalizationService localizationService,
        ISettingService settingService)
    {
        _languageService = languageService;
        _localizationService = localizationService;
        _settingService = settingService;
    }

    #endregion

    #region Properties

    /// <summary>
    /// Gets the resources whose English text 1.1.0 changed, with 1.0.0's text (a shop that kept it gets the new one; a
    /// translation or the shop's own wording is left alone)
    /// </summary>
    public static IReadOnlyDictionary<string, string> ChangedResources => KlarnaLocaleResources.ChangedSince100;

    /// <summary>
    /// Gets the resources of 1.0.0 that 1.1.0 no longer uses (the order engine's refusals replace them)
    /// </summary>
    public static IReadOnlyList<string> RemovedResources { get; } = new[]
    {
        "Plugins.Payments.Klarna.Admin.Error.LineQuantity",
        "Plugins.Payments.Klarna.Admin.Error.AmountTooHigh",
        "Plugins.Payments.Klarna.Admin.Error.CaptureNotAllowed",
        "Plugins.Payments.Klarna.Admin.Error.RefundNotAllowed",
        "Plugins.Payments.Klarna.Admin.Error.CancelNotAllowed",
        "Plugins.Payments.Klarna.Admin.Error.ReleaseNotAllowed",
        "Plugins.Payments.Klarna.OrderManagement.InProgress",
        "Plugins.Payments.Klarna.OrderManagement.NotKlarnaOrder",
        "Plugins.Payments.Klarna.OrderManagement.NothingToCapture",
        "Plugins.Payments.Klarna.OrderManagement.NothingToRefund"
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
    /// Brings the locale resources of every language to 1.1.0: each resource the language lacks is added (in English), a
    /// changed text the shop kept as 1.0.0 had it is updated, the resources 1.1.0 no longer uses are deleted
    /// </summary>
    /// <param name="localizationService">Localization service</param>
    /// <param name="languages">The shop's languages</param>
    /// <returns>The number of resources added or updated</returns>
    public static int UpgradeResources(ILocalizationService localizationService, IEnumerable<Language> languages)
    {
        ArgumentNullException.ThrowIfNull(localizationService);

        var resources = KlarnaLocaleResources.GetAll();
        var written = 0;
        foreach (var language in languages ?? Enumerable.Empty<Language>())
        {
            var toWrite = new Dictionary<string, string>();
            foreach (var (name, value) in resources)
            {
                var existing = localizationService.GetLocaleStringResourceByName(name, language.Id, false);
                if (existing is null
                    || (ChangedResources.TryGetValue(name, out var old) && string.Equals(existing.ResourceValue, old, StringComparison.Ordinal)))
                {
                    toWrite[name] = value;
                }
            }

            if (toWrite.Count > 0)
                localizationService.AddOrUpdateLocaleResource(toWrite, language.Id);
            written += toWrite.Count;
        }

        localizationService.DeleteLocaleResources(RemovedResources.ToList());
        return written;
    }

    /// <summary>
    /// Collect the UP migration expressions
    /// </summary>
    public override void Up()
    {
        if (!DataSettingsManager.IsDatabaseInstalled())
            return;

        CopyMerchantIdToCredentials(_settingService);
        UpgradeResources(_localizationService, _languageService.GetAllLanguages(true));
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
