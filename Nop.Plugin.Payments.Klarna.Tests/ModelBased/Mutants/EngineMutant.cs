using Microsoft.Extensions.DependencyInjection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased.Mutants;

/// <summary>
/// Deliberate defects of the order engine ("mutants") that the model-based suite must catch; each names a way exactly-once
/// has been broken before. They live in the tests only: each is a subclass of an engine part, overriding the part's
/// protected virtual seam, registered instead of the real part in a mutant run's service collection
/// </summary>
public enum EngineMutant
{
    /// <summary>
    /// No defect: the engine as shipped
    /// </summary>
    None = 0,

    /// <summary>
    /// Every retry of a write (the replay of a pending operation, a repeated send) carries a new idempotency key
    /// (<see cref="FreshKeyWriteSender"/>)
    /// </summary>
    FreshKeyOnEveryRetry = 1,

    /// <summary>
    /// The order lock is never taken (<see cref="NoLockOrderLock"/>)
    /// </summary>
    NoLock = 2,

    /// <summary>
    /// A pending write older than the order lock's expiration is failed by its age, without asking Klarna
    /// (<see cref="PendingFailedByAgeSettler"/>)
    /// </summary>
    PendingFailedByAge = 3,

    /// <summary>
    /// A write without an answer (timeout, dropped connection) is taken as refused (<see cref="LostAnswerIsFailureWriteSender"/>)
    /// </summary>
    LostAnswerIsFailure = 4,

    /// <summary>
    /// Klarna's 409 CONFLICT (the same key still being processed) is taken as a success (<see cref="ConflictIsSuccessWriteSender"/>)
    /// </summary>
    ConflictIsSuccess = 5,

    /// <summary>
    /// The order's claim in the database is not taken: nopCommerce's ILocker alone serializes the order, and it reads and
    /// sets its key in two steps (<see cref="NoClaimOrderClaims"/>)
    /// </summary>
    NoOrderClaim = 6
}

/// <summary>
/// Registers a mutant's engine part instead of the real one (after the plugin's own registrations: the last one wins)
/// </summary>
public static class EngineMutants
{
    /// <summary>
    /// Registers the engine part of a mutant; <see cref="EngineMutant.None"/> leaves the plugin's registrations as they are
    /// </summary>
    /// <param name="services">The world's service collection, after the plugin's registrations</param>
    /// <param name="mutant">Mutant</param>
    public static void Register(IServiceCollection services, EngineMutant mutant)
    {
        switch (mutant)
        {
            case EngineMutant.None:
                return;
            case EngineMutant.FreshKeyOnEveryRetry:
                services.AddSingleton<SentKeys>();
                services.AddScoped<KlarnaWriteSender, FreshKeyWriteSender>();
                return;
            case EngineMutant.NoLock:
                services.AddScoped<KlarnaOrderLock, NoLockOrderLock>();
                return;
            case EngineMutant.PendingFailedByAge:
                services.AddScoped<KlarnaPendingSettler, PendingFailedByAgeSettler>();
                return;
            case EngineMutant.LostAnswerIsFailure:
                services.AddScoped<KlarnaWriteSender, LostAnswerIsFailureWriteSender>();
                return;
            case EngineMutant.ConflictIsSuccess:
                services.AddScoped<KlarnaWriteSender, ConflictIsSuccessWriteSender>();
                return;
            case EngineMutant.NoOrderClaim:
                services.AddScoped<KlarnaOrderClaims, NoClaimOrderClaims>();
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(mutant), mutant, null);
        }
    }
}
