using System.Reflection;
using Moq;
using Nop.Data.Migrations;
using Nop.Plugin.Payments.Klarna.Data;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Configuration;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Records;

[TestFixture]
public class KlarnaOrderRecordServiceTests
{
    private InMemoryRepository<KlarnaOrderRecord> _records;
    private InMemoryRepository<KlarnaOperation> _operations;
    private KlarnaOrderRecordService _service;

    [SetUp]
    public void SetUp()
    {
        _records = new InMemoryRepository<KlarnaOrderRecord>(record => record.OrderId);
        _operations = new InMemoryRepository<KlarnaOperation>(operation => operation.IdempotencyKey);
        _service = new KlarnaOrderRecordService(_operations, _records);
    }

    [Test]
    public async Task Records_are_found_by_order_and_by_klarna_order_id_with_their_region_and_environment()
    {
        await _service.InsertAsync(new KlarnaOrderRecord { OrderId = 7, KlarnaOrderId = "k-7", CurrencyCode = "USD", Region = KlarnaRegion.NorthAmerica, Environment = KlarnaEnvironment.Production });

        var byOrder = await _service.GetByOrderIdAsync(7);
        var byKlarna = await _service.GetByKlarnaOrderIdAsync("k-7");

        Assert.That(byOrder.Id, Is.EqualTo(byKlarna.Id));
        Assert.That((byOrder.Region, byOrder.Environment), Is.EqualTo((KlarnaRegion.NorthAmerica, KlarnaEnvironment.Production)));
        Assert.That(byOrder.CreatedOnUtc, Is.Not.EqualTo(default(DateTime)));
        Assert.That(await _service.GetByOrderIdAsync(8), Is.Null);
        Assert.That(await _service.GetByKlarnaOrderIdAsync(null), Is.Null);
    }

    [Test]
    public async Task Operations_come_oldest_first_and_by_idempotency_key_and_a_key_is_recorded_once()
    {
        var now = DateTime.UtcNow;
        await _service.InsertOperationAsync(new KlarnaOperation { OrderId = 1, IdempotencyKey = "b", CreatedOnUtc = now, Kind = KlarnaOperationKind.Refund });
        await _service.InsertOperationAsync(new KlarnaOperation { OrderId = 1, IdempotencyKey = "a", CreatedOnUtc = now.AddMinutes(-1), Kind = KlarnaOperationKind.Capture });
        await _service.InsertOperationAsync(new KlarnaOperation { OrderId = 2, IdempotencyKey = "c", CreatedOnUtc = now });

        var operations = await _service.GetOperationsAsync(1);

        Assert.That(operations.Select(op => op.IdempotencyKey), Is.EqualTo(new[] { "a", "b" }));
        Assert.That((await _service.GetOperationByIdempotencyKeyAsync("b")).Kind, Is.EqualTo(KlarnaOperationKind.Refund));
        Assert.ThrowsAsync<InvalidOperationException>(() => _service.InsertOperationAsync(new KlarnaOperation { OrderId = 1, IdempotencyKey = "a" }));
        Assert.ThrowsAsync<ArgumentException>(() => _service.InsertOperationAsync(new KlarnaOperation { OrderId = 1 }));
    }

    [Test]
    public async Task GetOpenRecordsAsync_skips_closed_orders_unless_a_sync_is_requested()
    {
        await _service.InsertAsync(new KlarnaOrderRecord { OrderId = 1, KlarnaOrderId = "1", KlarnaStatus = KlarnaOrderStatus.Authorized });
        await _service.InsertAsync(new KlarnaOrderRecord { OrderId = 2, KlarnaOrderId = "2", KlarnaStatus = KlarnaOrderStatus.Cancelled });
        await _service.InsertAsync(new KlarnaOrderRecord { OrderId = 3, KlarnaOrderId = "3", KlarnaStatus = KlarnaOrderStatus.Expired, SyncRequested = true });
        await _service.InsertAsync(new KlarnaOrderRecord { OrderId = 4, KlarnaOrderId = "4", KlarnaStatus = KlarnaOrderStatus.PartCaptured });

        var open = await _service.GetOpenRecordsAsync(0, 10);
        var firstPage = await _service.GetOpenRecordsAsync(0, 2);

        Assert.That(open.Select(r => r.OrderId), Is.EqualTo(new[] { 1, 3, 4 }));
        Assert.That(firstPage.Select(r => r.OrderId), Is.EqualTo(new[] { 1, 3 }));
    }

    [Test]
    public void SchemaMigration_is_an_installation_migration_with_a_unique_idempotency_key_index()
    {
        var attribute = typeof(SchemaMigration).GetCustomAttributesData().Single(a => a.AttributeType == typeof(NopMigrationAttribute));

        Assert.That(attribute.ConstructorArguments.Select(a => a.Value), Does.Contain((int)MigrationProcessType.Installation));
        Assert.That(typeof(SchemaMigration).BaseType, Is.EqualTo(typeof(FluentMigrator.AutoReversingMigration)));
        Assert.That(SchemaMigration.IdempotencyKeyIndexName, Is.EqualTo("IX_KlarnaOperation_IdempotencyKey"));
    }

    [Test]
    public void CheckoutSchemaMigration_runs_at_install_and_at_the_update_of_an_installed_plugin()
    {
        // nopCommerce applies a NoMatter migration at install and, when it was never applied, at the plugin's update
        var attribute = typeof(CheckoutSchemaMigration).GetCustomAttributesData().Single(a => a.AttributeType == typeof(NopMigrationAttribute));

        Assert.That(attribute.ConstructorArguments.Select(a => a.Value), Does.Contain((int)MigrationProcessType.NoMatter));
        Assert.That(typeof(CheckoutSchemaMigration).BaseType, Is.EqualTo(typeof(FluentMigrator.AutoReversingMigration)));
    }

    [Test]
    public void Every_migration_of_the_plugin_has_its_own_version()
    {
        var versions = typeof(SchemaMigration).Assembly.GetTypes()
            .Select(type => type.GetCustomAttributesData().SingleOrDefault(a => a.AttributeType == typeof(NopMigrationAttribute)))
            .Where(attribute => attribute is not null)
            .Select(attribute => attribute.ConstructorArguments[0].Value)
            .ToList();

        Assert.That(versions, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(versions, Is.Unique);
    }
}

[TestFixture]
public class KlarnaCredentialsProviderTests
{
    private KlarnaSettings _settings;
    private KlarnaCredentialsProvider _provider;

    [SetUp]
    public void SetUp()
    {
        _settings = new KlarnaSettings
        {
            EuropePlaygroundUsername = "eu-test",
            EuropePlaygroundPassword = "eu-test-secret",
            NorthAmericaProductionUsername = " na-live ",
            NorthAmericaProductionPassword = "na-live-secret",
            Region = KlarnaRegion.NorthAmerica,
            Environment = KlarnaEnvironment.Production
        };
        var settingService = new Mock<ISettingService>();
        settingService.Setup(s => s.LoadSettingAsync<KlarnaSettings>(3)).ReturnsAsync(_settings);
        _provider = new KlarnaCredentialsProvider(settingService.Object);
    }

    [Test]
    public async Task GetCredentialsAsync_uses_the_stores_region_and_environment()
    {
        var credentials = await _provider.GetCredentialsAsync(3);

        Assert.That((credentials.Username, credentials.Password, credentials.Region, credentials.Environment),
            Is.EqualTo(("na-live", "na-live-secret", KlarnaRegion.NorthAmerica, KlarnaEnvironment.Production)));
        Assert.That(credentials.BaseUrlOverride, Is.Null);
    }

    [Test]
    public async Task GetCredentialsAsync_for_an_existing_orders_region_and_environment_with_the_url_override()
    {
        _settings.ApiUrlOverride = " http://127.0.0.1:5099/ ";

        var credentials = await _provider.GetCredentialsAsync(3, KlarnaRegion.Europe, KlarnaEnvironment.Playground);

        Assert.That(credentials.Username, Is.EqualTo("eu-test"));
        Assert.That(credentials.BaseUrlOverride, Is.EqualTo("http://127.0.0.1:5099/"));
    }

    [Test]
    public async Task GetCredentialsAsync_carries_the_request_timeout_setting()
    {
        _settings.RequestTimeoutSeconds = 12;

        var credentials = await _provider.GetCredentialsAsync(3);

        Assert.That(credentials.Timeout, Is.EqualTo(TimeSpan.FromSeconds(12)));
    }

    [TestCase(KlarnaRegion.Oceania, KlarnaEnvironment.Playground)]
    [TestCase(KlarnaRegion.Europe, KlarnaEnvironment.Production)]
    public void GetCredentials_returns_null_when_the_credentials_are_missing(KlarnaRegion region, KlarnaEnvironment environment)
    {
        Assert.That(_provider.GetCredentials(_settings, region, environment), Is.Null);
    }
}
