using Nop.Data.Migrations;
using Nop.Plugin.Payments.Klarna.Data;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Tests.Browser.Support;
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
    public void The_upgrade_runs_at_the_update_of_an_installed_plugin_and_adds_resources_that_exist()
    {
        var attribute = typeof(UpgradeTo110Migration).GetCustomAttributesData().Single(a => a.AttributeType == typeof(NopMigrationAttribute));

        Assert.That(attribute.ConstructorArguments.Select(a => a.Value), Does.Contain((int)MigrationProcessType.Update));
        Assert.That(UpgradeTo110Migration.AddedResources, Is.SubsetOf(KlarnaLocaleResources.GetAll().Keys));
    }
}
