using FluentMigrator.Builders.Create.Table;
using Nop.Data.Mapping.Builders;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Data;

/// <summary>
/// Represents the mapping of <see cref="KlarnaOrderRecord"/> (columns not named here are mapped by nopCommerce)
/// </summary>
public class KlarnaOrderRecordBuilder : NopEntityBuilder<KlarnaOrderRecord>
{
    /// <summary>
    /// Apply entity configuration
    /// </summary>
    /// <param name="table">Create table expression builder</param>
    public override void MapEntity(CreateTableExpressionBuilder table)
    {
        table
            .WithColumn(nameof(KlarnaOrderRecord.KlarnaOrderId)).AsString(100).NotNullable()
            .WithColumn(nameof(KlarnaOrderRecord.KlarnaReference)).AsString(100).Nullable()
            .WithColumn(nameof(KlarnaOrderRecord.SessionId)).AsString(255).Nullable()
            .WithColumn(nameof(KlarnaOrderRecord.CurrencyCode)).AsString(3).NotNullable()
            .WithColumn(nameof(KlarnaOrderRecord.FraudStatus)).AsString(50).Nullable()
            .WithColumn(nameof(KlarnaOrderRecord.KlarnaStatus)).AsString(50).Nullable()
            .WithColumn(nameof(KlarnaOrderRecord.InitialPaymentMethod)).AsString(255).Nullable()
            .WithColumn(nameof(KlarnaOrderRecord.AppliedStatusEvents)).AsString(400).Nullable();
    }
}
