using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Masks what the debug logs must never show: personal data, client and authorization tokens in bodies, the secret of the
/// notification URL (the last segment and the query of merchant_urls.notification) and the authorization token in a path
/// (/payments/v1/authorizations/{token}...)
/// </summary>
public static class KlarnaTrafficMask
{
    /// <summary>
    /// Gets what replaces a masked value
    /// </summary>
    public const string Masked = "***";

    private static readonly HashSet<string> _maskedFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "given_name", "family_name", "email", "phone", "street_address", "street_address2", "postal_code", "city", "title",
        "attention", "organization_name", "date_of_birth", "national_identification_number", "password", "client_token",
        "authorization_token"
    };

    /// <summary>
    /// Masks a JSON body
    /// </summary>
    /// <param name="json">JSON</param>
    /// <returns>The masked JSON; for a non-JSON body only its length</returns>
    public static string Json(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return string.Empty;

        try
        {
            var token = JToken.Parse(json);
            var properties = ((token as JContainer)?.Descendants() ?? Enumerable.Empty<JToken>()).OfType<JProperty>().ToList();
            foreach (var property in properties.Where(p => _maskedFields.Contains(p.Name)))
                property.Value = Masked;
            foreach (var property in properties.Where(p => string.Equals(p.Name, "notification", StringComparison.OrdinalIgnoreCase) && p.Value.Type == JTokenType.String))
                property.Value = NotificationUrl(property.Value.Value<string>());

            return token.ToString(Formatting.None);
        }
        catch (JsonException)
        {
            return $"(non-JSON body of {json.Length} characters)";
        }
    }

    /// <summary>
    /// Masks the secret of a notification URL: its last path segment and its query
    /// </summary>
    /// <param name="url">Notification URL</param>
    /// <returns>The masked URL</returns>
    public static string NotificationUrl(string url)
    {
        if (string.IsNullOrEmpty(url))
            return url;

        var query = url.IndexOfAny(['?', '#']);
        var path = query < 0 ? url : url[..query];
        var slash = path.TrimEnd('/').LastIndexOf('/');
        var schemeEnd = path.IndexOf("://", StringComparison.Ordinal);
        if (slash < 0 || (schemeEnd >= 0 && slash <= schemeEnd + 2))
            return path + (query < 0 ? string.Empty : "?" + Masked);

        return $"{path[..(slash + 1)]}{Masked}{(query < 0 ? string.Empty : "?" + Masked)}";
    }

    /// <summary>
    /// Masks the authorization token in a Klarna path or URL (the segment after "authorizations")
    /// </summary>
    /// <param name="pathOrUrl">Path or URL</param>
    /// <returns>The masked path or URL</returns>
    public static string Path(string pathOrUrl)
    {
        if (string.IsNullOrEmpty(pathOrUrl))
            return pathOrUrl;

        var segments = pathOrUrl.Split('/');
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (string.Equals(segments[i], "authorizations", StringComparison.OrdinalIgnoreCase) && segments[i + 1].Length > 0)
                segments[i + 1] = Masked;
        }

        return string.Join('/', segments);
    }
}
