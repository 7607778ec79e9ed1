namespace Klarna.Sandbox;

/// <summary>
/// Represents the context of one Klarna call: its correlation id and the sandbox base URL as the caller sees it
/// </summary>
/// <param name="CorrelationId">Correlation id of the answer</param>
/// <param name="BaseUrl">Base URL ending with '/'</param>
public sealed record KlarnaCall(string CorrelationId, string BaseUrl)
{
    public SandboxResponse Fail(KlarnaFailure failure) => failure.ToResponse(CorrelationId);

    public SandboxResponse Fail(int status, string errorCode, string message) => SandboxResponse.Error(status, errorCode, CorrelationId, message);
}
