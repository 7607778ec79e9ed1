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
    public void ClaimSchemaMigration_runs_at_install_and_at_the_update_of_an_installed_plugin_and_is_dropped_at_uninstall()
    {
        // a shop on 1.1.0 gets the order claims' table when plugin.json's version changes (1.2.0)
        var attribute = typeof(ClaimSchemaMigration).GetCustomAttributesData().Single(a => a.AttributeType == typeof(NopMigrationAttribute));

        Assert.That(attribute.ConstructorArguments.Select(a => a.Value), Does.Contain((int)MigrationProcessType.NoMatter));
        Assert.That(typeof(ClaimSchemaMigration).BaseType, Is.EqualTo(typeof(FluentMigrator.AutoReversingMigration)));
        Assert.That(ClaimSchemaMigration.OrderIdIndexName, Is.EqualTo("IX_KlarnaOrderClaim_OrderId"));
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
