using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Klarna.Sandbox;

/// <summary>
/// Represents one answer of the sandbox (stored as is for idempotent replays)
/// </summary>
public sealed class SandboxResponse
{
    public int Status { get; init; }
    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public string Body { get; init; }

    /// <summary>
    /// Gets a value indicating whether this is a Klarna error answer
    /// </summary>
    public bool IsError => Status >= 400;

    public static SandboxResponse NoContent() => new() { Status = 204 };

    public static SandboxResponse Json(int status, object value) => new() { Status = status, Body = SandboxJson.Serialize(value) };

    public static SandboxResponse Created(string location, string idHeader, string id) => new()
    {
        Status = 201,
        Headers = new(StringComparer.OrdinalIgnoreCase) { ["Location"] = location, [idHeader] = id }
    };

    /// <summary>
    /// Creates Klarna's error answer {error_code, error_messages[], correlation_id}
    /// </summary>
    public static SandboxResponse Error(int status, string errorCode, string correlationId, params string[] messages) => new()
    {
        Status = status,
        Body = new JsonObject
        {
            ["error_code"] = errorCode,
            ["error_messages"] = new JsonArray(messages.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
            ["correlation_id"] = correlationId
        }.ToJsonString()
    };
}

/// <summary>
/// Represents a rule violation found while processing a request
/// </summary>
public sealed class KlarnaFailure
{
    public KlarnaFailure(int status, string errorCode, string message)
    {
        Status = status;
        ErrorCode = errorCode;
        Message = message;
    }

    public int Status { get; }
    public string ErrorCode { get; }
    public string Message { get; }

    public static KlarnaFailure BadValue(string field) => new(400, "BAD_VALUE", $"Bad value: {field}");

    public static KlarnaFailure FieldSize(string field, int max) =>
        new(422, "UNPROCESSABLE_ENTITY", $"The size of the {field} value must be between 0 and {max}");

    public SandboxResponse ToResponse(string correlationId) => SandboxResponse.Error(Status, ErrorCode, correlationId, Message);
}
