using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Klarna's answer to a call that did not succeed (no answer, or an error), as Klarna gave it
/// </summary>
public sealed class KlarnaFailure
{
    /// <summary>
    /// Gets or sets the HTTP status (0 = no answer)
    /// </summary>
    public int StatusCode { get; init; }

    /// <summary>
    /// Gets or sets Klarna's error code (TIMEOUT / TRANSPORT_ERROR when there was no answer)
    /// </summary>
    public string ErrorCode { get; init; }

    /// <summary>
    /// Gets or sets Klarna's own error messages (empty when Klarna gave none; the exception's text goes to the log only)
    /// </summary>
    public IReadOnlyList<string> Messages { get; init; } = Array.Empty<string>();

    /// <summary>
    /// Gets or sets Klarna's correlation id
    /// </summary>
    public string CorrelationId { get; init; }

    /// <summary>
    /// Gets or sets a value indicating whether Klarna may have executed the write (no answer, 408, 409, 429, 5xx): the
    /// operation stays pending and is settled from Klarna
    /// </summary>
    public bool OutcomeUnknown { get; init; }

    /// <summary>
    /// Gets the failure of an exception thrown by a write. The one place that tells a lost answer (outcome unknown) from
    /// Klarna's refusal (final): no answer, 408, 409 (a concurrent request with the same key), 429 and 5xx may hide an
    /// executed write
    /// </summary>
    /// <param name="exception">Exception</param>
    /// <returns>The failure</returns>
    public static KlarnaFailure Of(Exception exception)
    {
        var api = exception as KlarnaApiException;
        return new KlarnaFailure
        {
            StatusCode = api?.StatusCode ?? 0,
            ErrorCode = api?.ErrorCode ?? "NO_ANSWER",
            Messages = api?.ErrorMessages ?? Array.Empty<string>(),
            CorrelationId = api?.CorrelationId,
            OutcomeUnknown = api is null || api.IsTransient || api.StatusCode == 409
        };
    }
}

/// <summary>
/// The result of a command or a reconciliation
/// </summary>
public class KlarnaOperationResult
{
    /// <summary>
    /// Gets or sets a value indicating whether the operation succeeded
    /// </summary>
    public bool Success { get; set; }

    /// <summary>
    /// Gets or sets why the plugin did not send the write (null when it was sent, or succeeded)
    /// </summary>
    public KlarnaRefusal Refusal { get; set; }

    /// <summary>
    /// Gets or sets Klarna's failure of a sent write
    /// </summary>
    public KlarnaFailure KlarnaError { get; set; }

    /// <summary>
    /// Gets or sets the operation record (null when nothing was recorded)
    /// </summary>
    public KlarnaOperation Operation { get; set; }

    /// <summary>
    /// Gets or sets the order's payment status afterwards (null when the order could not be read)
    /// </summary>
    public PaymentStatus? PaymentStatus { get; set; }

    /// <summary>
    /// Gets or sets the state of the order afterwards (what the order block shows), null when it could not be read
    /// </summary>
    public KlarnaOrderView View { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether anything changed (records, notes, the nopCommerce order)
    /// </summary>
    public bool Changed { get; set; }

    /// <summary>
    /// Gets a value indicating whether there was nothing to do
    /// </summary>
    public bool NothingToDo => Refusal?.IsNothingToDo == true;

    /// <summary>
    /// Gets a value indicating whether a sent write's outcome is not known yet (it stays pending); false for a refusal, also
    /// one caused by a failed read (nothing was sent)
    /// </summary>
    public bool OutcomeUnknown => Refusal is null && KlarnaError?.OutcomeUnknown == true;

    /// <summary>
    /// Gets the error code: Klarna's, or the refusal's
    /// </summary>
    public string ErrorCode => KlarnaError?.ErrorCode ?? Refusal?.Code.ToString();

    /// <summary>
    /// Gets Klarna's correlation id
    /// </summary>
    public string CorrelationId => KlarnaError?.CorrelationId;

    public static KlarnaOperationResult Ok(KlarnaOperation operation) => new() { Success = true, Operation = operation };

    public static KlarnaOperationResult Refused(KlarnaRefusal refusal) => new() { Refusal = refusal };

    public static KlarnaOperationResult Refused(KlarnaRefusalCode code, params object[] args) => Refused(new KlarnaRefusal(code, args));

    public static KlarnaOperationResult Failed(KlarnaOperation operation, KlarnaFailure failure) => new() { Operation = operation, KlarnaError = failure };

    /// <inheritdoc />
    public override string ToString() => Success ? $"OK {Operation?.Kind} {Operation?.KlarnaId}" : $"{ErrorCode}: {Refusal?.ToString() ?? string.Join("; ", KlarnaError?.Messages ?? Array.Empty<string>())}";
}
