using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Services.Configuration;

namespace Nop.Plugin.Payments.Klarna.Services.Connection;

/// <summary>
/// Turns the plugin settings (per store) into Klarna credentials
/// </summary>
public class KlarnaCredentialsProvider : IKlarnaCredentialsProvider
{
    #region Fields

    protected readonly ISettingService _settingService;

    #endregion

    #region Ctor

    public KlarnaCredentialsProvider(ISettingService settingService)
    {
        _settingService = settingService;
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
            BaseUrlOverride = string.IsNullOrWhiteSpace(settings.ApiUrlOverride) ? null : settings.ApiUrlOverride.Trim(),
            Timeout = settings.RequestTimeoutSeconds > 0 ? TimeSpan.FromSeconds(settings.RequestTimeoutSeconds) : null
        };
    }

    #endregion
}
