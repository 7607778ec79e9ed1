using Nop.Plugin.Payments.Klarna.Tests.Browser.Support.NopStandIns;
using Moq;
using Nop.Core.Domain.Localization;
using Nop.Data.Migrations;
using Nop.Plugin.Payments.Klarna.Data;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Tests.Browser.Support;
using Nop.Services.Localization;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Data;

[TestFixture]
public class UpgradeTo110MigrationTests
{
    [Test]
    public async Task The_single_merchant_id_of_an_installed_shop_becomes_every_credentials_of_its_store_scope()
    {
        // Arrange: version 1.0.0's one merchant id, for all stores and for store 2; store 2 already has its own North America
        // production id
        var settings = new InMemorySettingService();
        settings.SetSetting("KlarnaSettings.MerchantId", "M100");
        settings.SetSetting("KlarnaSettings.MerchantId", "M200", 2);
        settings.SetSetting("KlarnaSettings.NorthAmericaProductionMerchantId", "N222", 2);

        // Act
        var copied = UpgradeTo110Migration.CopyMerchantIdToCredentials(settings);

        // Assert
        var allStores = await settings.LoadSettingAsync<KlarnaSettings>();
        var store2 = await settings.LoadSettingAsync<KlarnaSettings>(2);
        Assert.That(copied, Is.EqualTo(11));
        Assert.That(new[] { allStores.EuropePlaygroundMerchantId, allStores.EuropeProductionMerchantId, allStores.NorthAmericaPlaygroundMerchantId,
            allStores.NorthAmericaProductionMerchantId, allStores.OceaniaPlaygroundMerchantId, allStores.OceaniaProductionMerchantId }, Is.All.EqualTo("M100"));
        Assert.That((store2.EuropeProductionMerchantId, store2.NorthAmericaProductionMerchantId), Is.EqualTo(("M200", "N222")));
        Assert.That(settings.Has("KlarnaSettings.MerchantId", 0) || settings.Has("KlarnaSettings.MerchantId", 2), Is.False);
        Assert.That(KlarnaModelFactory.GetMerchantId(allStores, KlarnaRegion.Oceania, KlarnaEnvironment.Production), Is.EqualTo("M100"),
            "the Merchant Portal link keeps working");
    }

    [Test]
    public void A_shop_without_merchant_id_is_left_as_it_is()
    {
        // Arrange
        var settings = new InMemorySettingService();
        settings.SetSetting("KlarnaSettings.EuropePlaygroundUsername", "user");

        // Act
        var copied = UpgradeTo110Migration.CopyMerchantIdToCredentials(settings);

        // Assert
        Assert.That(copied, Is.Zero);
        Assert.That(settings.GetAllSettings(), Has.Count.EqualTo(1));
    }

    [Test]
    public void The_upgrade_runs_at_the_update_of_an_installed_plugin_and_knows_which_texts_changed_and_which_are_gone()
    {
        var attribute = typeof(UpgradeTo110Migration).GetCustomAttributesData().Single(a => a.AttributeType == typeof(NopMigrationAttribute));
        var resources = KlarnaLocaleResources.GetAll();

        Assert.That(attribute.ConstructorArguments.Select(a => a.Value), Does.Contain((int)MigrationProcessType.Update));
        Assert.That(UpgradeTo110Migration.ChangedResources.Keys, Is.SubsetOf(resources.Keys));
        Assert.That(UpgradeTo110Migration.ChangedResources.Where(pair => resources[pair.Key] == pair.Value), Is.Empty, "1.1.0's text differs from 1.0.0's");
        Assert.That(UpgradeTo110Migration.RemovedResources.Where(resources.ContainsKey), Is.Empty);
    }

    /// <summary>
    /// A shop's resource table per language, as nopCommerce's localization service keeps it
    /// </summary>
    private static Mock<ILocalizationService> ResourceTable(Dictionary<(int Language, string Name), string> table)
    {
        var localization = new Mock<ILocalizationService>();
        localization.Setup(l => l.GetLocaleStringResourceByName(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<bool>()))
            .Returns((string name, int language, bool _) => table.TryGetValue((language, name.ToLowerInvariant()), out var value)
                ? new LocaleStringResource { LanguageId = language, ResourceName = name, ResourceValue = value }
                : null);
        localization.Setup(l => l.AddOrUpdateLocaleResource(It.IsAny<IDictionary<string, string>>(), It.IsAny<int?>()))
            .Callback((IDictionary<string, string> resources, int? language) =>
            {
                foreach (var (name, value) in resources)
                    table[(language ?? throw new InvalidOperationException("per language"), name.ToLowerInvariant())] = value;
            });
        localization.Setup(l => l.DeleteLocaleResources(It.IsAny<IList<string>>(), It.IsAny<int?>()))
            .Callback((IList<string> names, int? _) =>
            {
                foreach (var key in table.Keys.Where(key => names.Any(name => string.Equals(name, key.Name, StringComparison.OrdinalIgnoreCase))).ToList())
                    table.Remove(key);
            });
        return localization;
    }

    [Test]
    public void The_resources_of_every_language_follow_the_new_version_and_the_shops_own_texts_stay()
    {
        // Arrange: 1.0.0's resources in English (1) and German (2), the German ones translated; 1.1.0's resources of the
        // checkout and of the order engine are not there yet; 1.0.0's texts of the changed and removed resources
        var newIn110 = new[]
        {
            "Plugins.Payments.Klarna.Checkout.FinalizeRequired", "Plugins.Payments.Klarna.Fields.ShippingCarrierMappings",
            "Plugins.Payments.Klarna.Fields.OrderStatusFraudStopped", "Plugins.Payments.Klarna.Refusal.FraudStopped",
            "Plugins.Payments.Klarna.Note.FraudStopped", "Plugins.Payments.Klarna.Admin.Block.NeedsAttention"
        };
        var table = new Dictionary<(int Language, string Name), string>();
        foreach (var (name, value) in KlarnaLocaleResources.GetAll().Where(pair => !newIn110.Contains(pair.Key)))
        {
            table[(1, name.ToLowerInvariant())] = value;
            table[(2, name.ToLowerInvariant())] = "DE " + value;
        }
        foreach (var (name, old) in UpgradeTo110Migration.ChangedResources)
            table[(1, name.ToLowerInvariant())] = old;
        foreach (var name in UpgradeTo110Migration.RemovedResources)
            table[(1, name.ToLowerInvariant())] = table[(2, name.ToLowerInvariant())] = "old";
        var localization = ResourceTable(table);

        // Act
        var written = UpgradeTo110Migration.UpgradeResources(localization.Object, new[] { new Language { Id = 1 }, new Language { Id = 2 } });

        // Assert
        var resources = KlarnaLocaleResources.GetAll();
        Assert.That(written, Is.EqualTo(newIn110.Length * 2 + UpgradeTo110Migration.ChangedResources.Count));
        Assert.That(resources.Keys.Where(name => !table.ContainsKey((1, name.ToLowerInvariant())) || !table.ContainsKey((2, name.ToLowerInvariant()))), Is.Empty,
            "every resource in every language");
        Assert.That(newIn110.Select(name => table[(2, name.ToLowerInvariant())]), Is.EqualTo(newIn110.Select(name => resources[name])), "new ones in English");
        Assert.That(UpgradeTo110Migration.ChangedResources.Keys.Select(name => table[(1, name.ToLowerInvariant())]),
            Is.EqualTo(UpgradeTo110Migration.ChangedResources.Keys.Select(name => resources[name])), "the changed English texts");
        Assert.That(UpgradeTo110Migration.ChangedResources.Keys.Select(name => table[(2, name.ToLowerInvariant())]), Is.All.StartsWith("DE "), "translations stay");
        Assert.That(table[(2, "plugins.payments.klarna.checkout.notconfigured")], Is.EqualTo("DE Klarna is not configured for this store."));
        Assert.That(table.Keys.Where(key => UpgradeTo110Migration.RemovedResources.Contains(key.Name, StringComparer.OrdinalIgnoreCase)), Is.Empty);
    }

    [Test]
    public void An_upgrade_run_twice_writes_nothing_the_second_time()
    {
        // Arrange
        var table = new Dictionary<(int Language, string Name), string>();
        var localization = ResourceTable(table);
        UpgradeTo110Migration.UpgradeResources(localization.Object, new[] { new Language { Id = 1 } });

        // Act
        var written = UpgradeTo110Migration.UpgradeResources(localization.Object, new[] { new Language { Id = 1 } });

        // Assert
        Assert.That(written, Is.Zero);
        Assert.That(table, Has.Count.EqualTo(KlarnaLocaleResources.GetAll().Count));
    }
}
