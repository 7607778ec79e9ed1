using Nop.Data;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased.Mutants;

/// <summary>
/// The mutant <see cref="EngineMutant.NoOrderClaim"/>: every flow nopCommerce's ILocker lets in gets the order, as if
/// ILocker alone serialized it (no claim is written, none is ever refused)
/// </summary>
public sealed class NoClaimOrderClaims : KlarnaOrderClaims
{
    public NoClaimOrderClaims(IRepository<KlarnaOrderClaim> claimRepository) : base(claimRepository)
    {
    }

    /// <inheritdoc />
    public override Task<string> TryTakeAsync(int orderId, TimeSpan expiration) => Task.FromResult(Guid.NewGuid().ToString("N"));

    /// <inheritdoc />
    public override Task ReleaseAsync(int orderId, string token) => Task.CompletedTask;
}
