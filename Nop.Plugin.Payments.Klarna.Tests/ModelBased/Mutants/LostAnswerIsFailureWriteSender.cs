using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased.Mutants;

/// <summary>
/// The mutant <see cref="EngineMutant.LostAnswerIsFailure"/>: a write without an answer (timeout, dropped connection) is
/// taken as Klarna's refusal instead of an outcome not known yet
/// </summary>
public sealed class LostAnswerIsFailureWriteSender : KlarnaWriteSender
{
    public LostAnswerIsFailureWriteSender(IKlarnaApiClient apiClient)
        : base(apiClient)
    {
    }

    /// <inheritdoc />
    public override KlarnaFailure FailureOf(Exception exception)
    {
        var failure = base.FailureOf(exception);
        var noAnswer = exception is not KlarnaApiException api || api.StatusCode == 0;
        if (!noAnswer)
            return failure;

        return new KlarnaFailure
        {
            StatusCode = failure.StatusCode,
            ErrorCode = failure.ErrorCode,
            Messages = failure.Messages,
            CorrelationId = failure.CorrelationId,
            OutcomeUnknown = false
        };
    }
}
