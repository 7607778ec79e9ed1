using Nop.Plugin.Payments.Klarna.Models.Admin;

namespace Nop.Plugin.Payments.Klarna.Factories;

/// <summary>
/// Prepares the model of the Configure page
/// </summary>
public interface IKlarnaModelFactory
{
    /// <summary>
    /// Prepares the configuration model
    /// </summary>
    /// <param name="model">Model to fill (a posted model keeps the admin's values) or null for a new one</param>
    /// <param name="settings">Settings loaded for the store scope</param>
    /// <param name="storeScope">Active store scope (0 = all stores)</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the model</returns>
    Task<ConfigurationModel> PrepareConfigurationModelAsync(ConfigurationModel model, KlarnaSettings settings, int storeScope);
}
