using System.Text.Json;
using System.Text.Json.Serialization;

namespace Klarna.Sandbox;

/// <summary>
/// Represents the JSON conventions of Klarna: snake_case names, nulls omitted, numbers strict
/// </summary>
public static class SandboxJson
{
    /// <summary>
    /// Gets the serializer options
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = false
    };

    /// <summary>
    /// Serializes a value
    /// </summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>
    /// Deep-copies a value through JSON
    /// </summary>
    public static T Clone<T>(T value) => value is null ? default : JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Options), Options);
}
