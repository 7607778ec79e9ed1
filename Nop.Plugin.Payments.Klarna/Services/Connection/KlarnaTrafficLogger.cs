using Nop.Core;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Services.Configuration;
using Nop.Services.Logging;

namespace Nop.Plugin.Payments.Klarna.Services.Connection;

/// <summary>
/// Writes the Klarna traffic the API client reports (already masked by the client) into nopCommerce's log when the
/// "Debug logging" setting is on
/// </summary>
public class KlarnaTrafficLogger : IKlarnaTrafficLogger
{
    #region Fields

    protected readonly ILogger _logger;
    protected readonly ISettingService _settingService;
    protected readonly IStoreContext _storeContext;
    protected bool? _enabled;

    #endregion

    #region Ctor

    public KlarnaTrafficLogger(ILogger logger, ISettingService settingService, IStoreContext storeContext)
    {
        _logger = logger;
        _settingService = settingService;
        _storeContext = storeContext;
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    /// <remarks>
    /// Reads the one setting, once per scope, only when the client asks (not the whole KlarnaSettings for every scope:
    /// the status sync opens a scope per order)
    /// </remarks>
    public bool Enabled => _enabled ??= _settingService.GetSettingByKey(KlarnaDefaults.SettingKeys.LogDebug,
        false, _storeContext.GetCurrentStore()?.Id ?? 0, loadSharedValueIfNotFound: true);

    /// <inheritdoc />
    public Task LogAsync(string message) => _logger.InformationAsync($"{KlarnaDefaults.SystemName}: {message}");

    #endregion
}
