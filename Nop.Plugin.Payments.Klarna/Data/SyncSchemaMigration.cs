using FluentMigrator;
using FluentMigrator.Builders.Create.Table;
using Nop.Data.Extensions;
using Nop.Data.Mapping.Builders;
using Nop.Data.Migrations;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Data;

/// <summary>
/// Creates the table of the status synchronization runs on install (reversed, i.e. dropped, on uninstall)
/// </summary>
[NopMigration("2026/11/26 12:30:00", "Payments.Klarna status sync schema", MigrationProcessType.Installation)]
public class SyncSchemaMigration : AutoReversingMigration
{
    /// <summary>
    /// Collect the UP migration expressions
    /// </summary>
    public override void Up()
    {
        Create.TableFor<KlarnaSyncRun>();
    }
}

/// <summary>
/// Represents the table of the status synchronization runs
/// </summary>
public class KlarnaSyncRunBuilder : NopEntityBuilder<KlarnaSyncRun>
{
    /// <summary>
    /// Apply entity configuration
    /// </summary>
    /// <param name="table">Create table expression builder</param>
    public override void MapEntity(CreateTableExpressionBuilder table)
    {
        table
            .WithColumn(nameof(KlarnaSyncRun.FailuresJson)).AsString(int.MaxValue).Nullable()
            .WithColumn(nameof(KlarnaSyncRun.ExpiringJson)).AsString(int.MaxValue).Nullable();
    }
}
