using System;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Klarna.Sandbox;

/// <summary>
/// Represents the control API of the sandbox's hostile modes: read lag, the answer to in-flight duplicates of an
/// idempotency key, and the notification attempts
/// </summary>
public static class HostileModeEndpoints
{
    #region Nested classes

    public class ReadLagRequest
    {
        public int Ms { get; set; }
    }

    public class IdempotencyRequest
    {
        public string InFlight { get; set; }
    }

    #endregion

    #region Utilities

    private static async Task<(T Value, IResult Error)> ReadAsync<T>(HttpRequest request) where T : class, new()
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        try
        {
            return (string.IsNullOrWhiteSpace(body) ? new T() : JsonSerializer.Deserialize<T>(body, SandboxJson.Options) ?? new T(), null);
        }
        catch (JsonException exception)
        {
            return (null, BadValue($"Malformed request body: {exception.Message}"));
        }
    }

    private static IResult BadValue(string message)
    {
        var error = SandboxResponse.Error(400, "BAD_VALUE", Guid.NewGuid().ToString(), message);
        return Results.Content(error.Body, "application/json; charset=utf-8", Encoding.UTF8, 400);
    }

    private static IResult Json(object value) => Results.Content(SandboxJson.Serialize(value), "application/json; charset=utf-8", Encoding.UTF8, 200);

    #endregion

    #region Methods

    /// <summary>
    /// Maps POST /_sandbox/read-lag, POST /_sandbox/idempotency and GET /_sandbox/notifications
    /// </summary>
    public static void Map(IEndpointRouteBuilder app, SandboxState state)
    {
        var group = app.MapGroup("/_sandbox");

        group.MapPost("/read-lag", async (HttpRequest request) =>
        {
            var (body, error) = await ReadAsync<ReadLagRequest>(request);
            if (error is not null)
                return error;
            if (body.Ms < 0)
                return BadValue("Bad value: ms");

            state.ReadLagMs = body.Ms;
            return Json(new JsonObject { ["ms"] = state.ReadLagMs });
        });

        group.MapPost("/idempotency", async (HttpRequest request) =>
        {
            var (body, error) = await ReadAsync<IdempotencyRequest>(request);
            if (error is not null)
                return error;

            var mode = body.InFlight?.Trim().ToLowerInvariant();
            if (mode is not (SandboxOptions.InFlightConflict or SandboxOptions.InFlightWait))
                return BadValue($"Bad value: in_flight ({SandboxOptions.InFlightConflict}, {SandboxOptions.InFlightWait})");

            state.InFlightDuplicates = mode;
            return Json(new JsonObject { ["in_flight"] = state.InFlightDuplicates });
        });

    }

    #endregion
}
