using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased.Mutants;

/// <summary>
/// The mutant <see cref="EngineMutant.ConflictIsSuccess"/>: Klarna's 409 CONFLICT (the same key still being processed) is
/// taken as the write's success
/// </summary>
public sealed class ConflictIsSuccessWriteSender : KlarnaWriteSender
{
    public ConflictIsSuccessWriteSender(IKlarnaApiClient apiClient)
        : base(apiClient)
    {
    }

    /// <inheritdoc />
    public override async Task<string> SendAsync(KlarnaCredentials credentials, KlarnaOperation operation)
    {
        try
        {
            return await base.SendAsync(credentials, operation);
        }
        catch (KlarnaApiException exception) when (exception.StatusCode == 409)
        {
            return null;
        }
    }
}
