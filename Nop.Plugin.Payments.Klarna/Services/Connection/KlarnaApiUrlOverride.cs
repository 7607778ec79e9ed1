using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.Connection;

/// <summary>
/// The rules of the "API URL override" setting (an address replacing Klarna's API host, e.g. a Klarna sandbox): an absolute
/// http(s) address without user name, password, query or fragment, and only for the playground. A production shop always
/// talks to Klarna's own host, so neither a mistaken setting nor a forged form can send live credentials elsewhere
/// </summary>
public static class KlarnaApiUrlOverride
{
    #region Methods

    /// <summary>
    /// Gets the trimmed override, or null when there is none
    /// </summary>
    /// <param name="url">The setting or the posted value</param>
    /// <returns>The override, or null</returns>
    public static string Normalize(string url) => string.IsNullOrWhiteSpace(url) ? null : url.Trim();

    /// <summary>
    /// Gets a value indicating whether an override is an absolute http(s) address without user name, password, query or fragment
    /// </summary>
    /// <param name="url">The override (not empty)</param>
    /// <returns>True when well formed</returns>
    public static bool IsWellFormed(string url)
    {
        return Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);
    }

    /// <summary>
    /// Gets a value indicating whether an environment may use an override: only the playground
    /// </summary>
    /// <param name="environment">Environment</param>
    /// <returns>True for the playground</returns>
    public static bool IsAllowedIn(KlarnaEnvironment environment) => environment == KlarnaEnvironment.Playground;

    /// <summary>
    /// Describes an override for a log entry: scheme, host, port and path only (never a user name, password or query)
    /// </summary>
    /// <param name="url">The override</param>
    /// <returns>The description ("?" for what is not an absolute address)</returns>
    public static string ForLog(string url)
    {
        return Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri)
            ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : "?";
    }

    #endregion
}
