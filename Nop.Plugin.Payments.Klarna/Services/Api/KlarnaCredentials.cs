using System;

namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Represents the API credentials and endpoint of one Klarna merchant account; passed per call and never logged
/// </summary>
public sealed class KlarnaCredentials
{
    #region Properties

    /// <summary>
    /// Gets the API username (UUID or legacy MID_xxx username)
    /// </summary>
    public string Username { get; init; }

    /// <summary>
    /// Gets the API password (API key or shared secret)
    /// </summary>
    public string Password { get; init; }

    /// <summary>
    /// Gets the region
    /// </summary>
    public KlarnaRegion Region { get; init; }

    /// <summary>
    /// Gets the environment
    /// </summary>
    public KlarnaEnvironment Environment { get; init; }

    /// <summary>
    /// Gets an explicit base URL (e.g. the sandbox http://127.0.0.1:5099/); null to use Klarna's URL for Region x Environment
    /// </summary>
    public string BaseUrlOverride { get; init; }

    /// <summary>
    /// Gets the per-attempt timeout of this account's requests (the shop's "Request timeout" setting); null = the client's default
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Gets the base URI of the API; always ends with '/'
    /// </summary>
    public Uri BaseUri
    {
        get
        {
            var url = string.IsNullOrWhiteSpace(BaseUrlOverride) ? KlarnaApiDefaults.GetBaseUrl(Region, Environment) : BaseUrlOverride.Trim();
            if (!url.EndsWith('/'))
                url += "/";

            return new Uri(url, UriKind.Absolute);
        }
    }

    #endregion

    #region Methods

    /// <summary>
    /// Returns a description of the credentials without the password
    /// </summary>
    /// <returns>The description</returns>
    public override string ToString()
    {
        return $"Klarna credentials (username {Username}, region {Region}, environment {Environment}, base URL {BaseUri})";
    }

    #endregion
}
