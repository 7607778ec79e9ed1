using FluentMigrator;
using FluentMigrator.Builders.Create.Table;
using Nop.Data.Extensions;
using Nop.Data.Mapping.Builders;
using Nop.Data.Migrations;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Data;

/// <summary>
/// Creates the table of checkout attempts (reversed, i.e. dropped, on uninstall). Process type NoMatter: nopCommerce runs
/// it at install and, for a shop that installed an earlier version, at the plugin's update (plugin.json's version changed)
/// </summary>
[NopMigration("2026/11/27 10:00:00", "Payments.Klarna checkout attempts", MigrationProcessType.NoMatter)]
public class CheckoutSchemaMigration : AutoReversingMigration
{
    /// <summary>
    /// Gets the name of the unique index of attempts by authorization token (one create order per token)
    /// </summary>
    public const string TokenIndexName = "IX_KlarnaCheckoutAttempt_AuthorizationToken";

    /// <summary>
    /// Gets the name of the index of attempts by customer
    /// </summary>
    public const string CustomerIndexName = "IX_KlarnaCheckoutAttempt_CustomerId";

    /// <summary>
    /// Collect the UP migration expressions
    /// </summary>
    public override void Up()
    {
        Create.TableFor<KlarnaCheckoutAttempt>();

        Create.Index(TokenIndexName).OnTable(nameof(KlarnaCheckoutAttempt))
            .OnColumn(nameof(KlarnaCheckoutAttempt.AuthorizationToken)).Ascending()
            .WithOptions().Unique();

        Create.Index(CustomerIndexName).OnTable(nameof(KlarnaCheckoutAttempt))
            .OnColumn(nameof(KlarnaCheckoutAttempt.CustomerId)).Ascending()
            .WithOptions().NonClustered();
    }
}

/// <summary>
/// Represents the mapping of <see cref="KlarnaCheckoutAttempt"/> (columns not named here are mapped by nopCommerce)
/// </summary>
public class KlarnaCheckoutAttemptBuilder : NopEntityBuilder<KlarnaCheckoutAttempt>
{
    /// <summary>
    /// Apply entity configuration
    /// </summary>
    /// <param name="table">Create table expression builder</param>
    public override void MapEntity(CreateTableExpressionBuilder table)
    {
        table
            .WithColumn(nameof(KlarnaCheckoutAttempt.SessionId)).AsString(255).Nullable()
            .WithColumn(nameof(KlarnaCheckoutAttempt.AuthorizationToken)).AsString(255).NotNullable()
            .WithColumn(nameof(KlarnaCheckoutAttempt.CurrencyCode)).AsString(3).NotNullable()
            .WithColumn(nameof(KlarnaCheckoutAttempt.KlarnaOrderId)).AsString(100).Nullable()
            .WithColumn(nameof(KlarnaCheckoutAttempt.FraudStatus)).AsString(50).Nullable()
            .WithColumn(nameof(KlarnaCheckoutAttempt.RequestJson)).AsString(int.MaxValue).Nullable()
            .WithColumn(nameof(KlarnaCheckoutAttempt.LastError)).AsString(2000).Nullable();
    }
}
