using System.Net.Http;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Requests;

/// <summary>
/// Represents one Klarna API request: it knows its method, its path and its JSON body
/// </summary>
public interface IKlarnaRequest
{
    /// <summary>
    /// Gets the HTTP method
    /// </summary>
    HttpMethod Method { get; }

    /// <summary>
    /// Gets the path relative to the base URI, e.g. ordermanagement/v1/orders/{id}/captures
    /// </summary>
    string Path { get; }

    /// <summary>
    /// Gets the JSON body; null for none
    /// </summary>
    object Body { get; }
}
