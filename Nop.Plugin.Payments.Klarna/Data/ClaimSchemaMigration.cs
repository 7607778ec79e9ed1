using FluentMigrator;
using FluentMigrator.Builders.Create.Table;
using Nop.Data.Extensions;
using Nop.Data.Mapping.Builders;
using Nop.Data.Migrations;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Data;

/// <summary>
/// Creates the table of order claims (reversed, i.e. dropped, on uninstall). Process type NoMatter: nopCommerce runs it at
/// install and, for a shop that installed an earlier version, at the plugin's update (plugin.json's version changed)
/// </summary>
[NopMigration("2026/12/06 23:00:00", "Payments.Klarna order claims", MigrationProcessType.NoMatter)]
public class ClaimSchemaMigration : AutoReversingMigration
{
    /// <summary>
    /// Gets the name of the unique index of claims by order (the one atomic step of the order lock every web server shares)
    /// </summary>
    public const string OrderIdIndexName = "IX_KlarnaOrderClaim_OrderId";

    /// <summary>
    /// Collect the UP migration expressions
    /// </summary>
    public override void Up()
    {
        Create.TableFor<KlarnaOrderClaim>();

        Create.Index(OrderIdIndexName).OnTable(nameof(KlarnaOrderClaim))
            .OnColumn(nameof(KlarnaOrderClaim.OrderId)).Ascending()
            .WithOptions().Unique();
    }
}

/// <summary>
/// Represents the mapping of <see cref="KlarnaOrderClaim"/> (columns not named here are mapped by nopCommerce)
/// </summary>
public class KlarnaOrderClaimBuilder : NopEntityBuilder<KlarnaOrderClaim>
{
    /// <summary>
    /// Apply entity configuration
    /// </summary>
    /// <param name="table">Create table expression builder</param>
    public override void MapEntity(CreateTableExpressionBuilder table)
    {
        table.WithColumn(nameof(KlarnaOrderClaim.Token)).AsString(64).NotNullable();
    }
}
