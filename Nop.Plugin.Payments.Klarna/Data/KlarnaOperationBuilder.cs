using FluentMigrator.Builders.Create.Table;
using Nop.Data.Mapping.Builders;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Data;

/// <summary>
/// Represents the mapping of <see cref="KlarnaOperation"/> (columns not named here are mapped by nopCommerce)
/// </summary>
public class KlarnaOperationBuilder : NopEntityBuilder<KlarnaOperation>
{
    /// <summary>
    /// Apply entity configuration
    /// </summary>
    /// <param name="table">Create table expression builder</param>
    public override void MapEntity(CreateTableExpressionBuilder table)
    {
        table
            .WithColumn(nameof(KlarnaOperation.KlarnaOrderId)).AsString(100).NotNullable()
            .WithColumn(nameof(KlarnaOperation.CurrencyCode)).AsString(3).NotNullable()
            .WithColumn(nameof(KlarnaOperation.IdempotencyKey)).AsString(100).NotNullable()
            .WithColumn(nameof(KlarnaOperation.KlarnaId)).AsString(100).Nullable()
            .WithColumn(nameof(KlarnaOperation.KlarnaReference)).AsString(100).Nullable()
            .WithColumn(nameof(KlarnaOperation.Description)).AsString(255).Nullable()
            .WithColumn(nameof(KlarnaOperation.Reference)).AsString(255).Nullable()
            .WithColumn(nameof(KlarnaOperation.ErrorCode)).AsString(100).Nullable()
            .WithColumn(nameof(KlarnaOperation.ErrorMessage)).AsString(2000).Nullable()
            .WithColumn(nameof(KlarnaOperation.CorrelationId)).AsString(100).Nullable()
            .WithColumn(nameof(KlarnaOperation.InitiatedBy)).AsString(255).Nullable();
    }
}
