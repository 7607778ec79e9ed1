
namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Klarna's environments; credentials of one never work on the other
/// </summary>
public enum KlarnaEnvironment
{
    /// <summary>
    /// Test environment (api.playground.klarna.com and its regional variants)
    /// </summary>
    Playground = 0,

    /// <summary>
    /// Live environment
    /// </summary>
    Production = 1
}
