using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Logging;
using Nop.Services.Configuration;
using Nop.Services.Logging;

namespace Nop.Plugin.Payments.Klarna.Services.Connection;

/// <summary>
/// Turns the plugin settings (per store) into Klarna credentials. The API URL override applies to the playground only: for
/// production it is ignored (a setting saved before that rule, or written to the database directly, never redirects live
/// traffic) and a warning is logged once
/// </summary>
public class KlarnaCredentialsProvider : IKlarnaCredentialsProvider
{
    #region Fields

    protected readonly ILogger _logger;
    protected readonly ISettingService _settingService;
    protected readonly KlarnaWarningThrottle _warningThrottle;

    #endregion

    #region Ctor

    public KlarnaCredentialsProvider(ILogger logger, ISettingService settingService, KlarnaWarningThrottle warningThrottle)
    {
        _logger = logger;
        _settingService = settingService;
        _warningThrottle = warningThrottle;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Gets the API URL override that applies to an environment: the setting for the playground, none for production
    /// </summary>
    /// <param name="settings">Settings</param>
    /// <param name="environment">Environment</param>
    /// <returns>The override, or null for Klarna's own host</returns>
    protected virtual string GetApiUrlOverride(KlarnaSettings settings, KlarnaEnvironment environment)
    {
        var url = KlarnaApiUrlOverride.Normalize(settings.ApiUrlOverride);
        if (url == null)
            return null;

        var allowed = KlarnaApiUrlOverride.IsAllowedIn(environment);
        if (allowed && KlarnaApiUrlOverride.IsWellFormed(url))
            return url;

        //nopCommerce's sync logger: the warning is written once per address while the application runs
        var shown = KlarnaApiUrlOverride.ForLog(url);
        if (_warningThrottle.IsFirst($"ApiUrlOverride.{environment}.{shown}"))
        {
            _logger.Warning(!allowed
                ? $"{KlarnaDefaults.SystemName}: the API URL override ({shown}) is ignored for {environment}: it applies to the playground only, " +
                    "so production requests go to Klarna. Remove it in the plugin's settings."
                : $"{KlarnaDefaults.SystemName}: the API URL override ({shown}) is ignored: it is not an absolute http(s) address without " +
                    "user name, password, query or fragment, so requests go to Klarna's own host. Correct it in the plugin's settings.");
        }

        return null;
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaCredentials> GetCredentialsAsync(int storeId)
    {
        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(storeId);
        return GetCredentials(settings, settings.Region, settings.Environment);
    }

    /// <inheritdoc />
    public virtual async Task<KlarnaCredentials> GetCredentialsAsync(int storeId, KlarnaRegion region, KlarnaEnvironment environment)
    {
        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(storeId);
        return GetCredentials(settings, region, environment);
    }

    /// <inheritdoc />
    public virtual KlarnaCredentials GetCredentials(KlarnaSettings settings, KlarnaRegion region, KlarnaEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(settings);

        var entry = KlarnaSettingsCredentials.Get(region, environment);
        var username = entry?.GetUsername(settings);
        var password = entry?.GetPassword(settings);

        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrWhiteSpace(password))
            return null;

        return new KlarnaCredentials
        {
            Username = username.Trim(),
            Password = password.Trim(),
            Region = region,
            Environment = environment,
            BaseUrlOverride = GetApiUrlOverride(settings, environment),
            Timeout = settings.RequestTimeoutSeconds > 0 ? TimeSpan.FromSeconds(settings.RequestTimeoutSeconds) : null
        };
    }

    #endregion
}
