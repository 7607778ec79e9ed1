using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Masks personal data and tokens in Klarna's JSON bodies for the debug logs
/// </summary>
public static class KlarnaJsonMask
{
    /// <summary>
    /// JSON field names whose values are masked in debug logs (personal data and tokens)
    /// </summary>
    public static readonly IReadOnlySet<string> MaskedFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "given_name", "family_name", "email", "phone", "street_address", "street_address2", "postal_code", "city", "title",
        "attention", "organization_name", "date_of_birth", "national_identification_number", "password", "client_token"
    };

    /// <summary>
    /// Masks personal data and tokens in a JSON body for debug logs
    /// </summary>
    /// <param name="json">JSON</param>
    /// <returns>The masked JSON</returns>
    public static string Mask(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return string.Empty;

        try
        {
            var token = JToken.Parse(json);
            foreach (var property in ((token as JContainer)?.Descendants() ?? Enumerable.Empty<JToken>()).OfType<JProperty>().Where(p => MaskedFields.Contains(p.Name)).ToList())
                property.Value = "***";

            return token.ToString(Formatting.None);
        }
        catch (JsonException)
        {
            return $"(non-JSON body of {json.Length} characters)";
        }
    }
}
