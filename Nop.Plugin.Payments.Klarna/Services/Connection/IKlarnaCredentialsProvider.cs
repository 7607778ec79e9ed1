using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.Connection;

/// <summary>
/// Turns the plugin settings into Klarna credentials
/// </summary>
public interface IKlarnaCredentialsProvider
{
    /// <summary>
    /// Gets the credentials of the store's configured region and environment
    /// </summary>
    /// <param name="storeId">Store identifier</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the credentials, or null when they are missing</returns>
    Task<KlarnaCredentials> GetCredentialsAsync(int storeId);

    /// <summary>
    /// Gets the credentials of a region and environment (those an existing order was placed in)
    /// </summary>
    /// <param name="storeId">Store identifier</param>
    /// <param name="region">Region</param>
    /// <param name="environment">Environment</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the credentials, or null when they are missing</returns>
    Task<KlarnaCredentials> GetCredentialsAsync(int storeId, KlarnaRegion region, KlarnaEnvironment environment);

    /// <summary>
    /// Gets the credentials of a region and environment from loaded settings
    /// </summary>
    /// <param name="settings">Settings</param>
    /// <param name="region">Region</param>
    /// <param name="environment">Environment</param>
    /// <returns>The credentials, or null when they are missing</returns>
    KlarnaCredentials GetCredentials(KlarnaSettings settings, KlarnaRegion region, KlarnaEnvironment environment);
}
