using FluentMigrator;
using Nop.Data.Extensions;
using Nop.Data.Migrations;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Data;

/// <summary>
/// Creates the plugin's tables on install (reversed, i.e. dropped, on uninstall)
/// </summary>
[NopMigration("2026/11/26 12:00:00", "Payments.Klarna base schema", MigrationProcessType.Installation)]
public class SchemaMigration : AutoReversingMigration
{
    /// <summary>
    /// Gets the name of the unique index of operation idempotency keys (the last guard against a double capture or refund)
    /// </summary>
    public const string IdempotencyKeyIndexName = "IX_KlarnaOperation_IdempotencyKey";

    /// <summary>
    /// Gets the name of the index of operations by order
    /// </summary>
    public const string OperationOrderIdIndexName = "IX_KlarnaOperation_OrderId";

    /// <summary>
    /// Gets the name of the unique index of order records by nopCommerce order
    /// </summary>
    public const string RecordOrderIdIndexName = "IX_KlarnaOrderRecord_OrderId";

    /// <summary>
    /// Gets the name of the index of order records by Klarna order id
    /// </summary>
    public const string RecordKlarnaOrderIdIndexName = "IX_KlarnaOrderRecord_KlarnaOrderId";

    /// <summary>
    /// Collect the UP migration expressions
    /// </summary>
    public override void Up()
    {
        Create.TableFor<KlarnaOrderRecord>();
        Create.TableFor<KlarnaOperation>();

        Create.Index(RecordOrderIdIndexName).OnTable(nameof(KlarnaOrderRecord))
            .OnColumn(nameof(KlarnaOrderRecord.OrderId)).Ascending()
            .WithOptions().Unique();

        Create.Index(RecordKlarnaOrderIdIndexName).OnTable(nameof(KlarnaOrderRecord))
            .OnColumn(nameof(KlarnaOrderRecord.KlarnaOrderId)).Ascending()
            .WithOptions().NonClustered();

        Create.Index(IdempotencyKeyIndexName).OnTable(nameof(KlarnaOperation))
            .OnColumn(nameof(KlarnaOperation.IdempotencyKey)).Ascending()
            .WithOptions().Unique();

        Create.Index(OperationOrderIdIndexName).OnTable(nameof(KlarnaOperation))
            .OnColumn(nameof(KlarnaOperation.OrderId)).Ascending()
            .WithOptions().NonClustered();
    }
}
