namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Represents the Klarna API environment
/// </summary>
public enum KlarnaEnvironment
{
    /// <summary>
    /// Playground (test) environment
    /// </summary>
    Playground = 0,

    /// <summary>
    /// Production (live) environment
    /// </summary>
    Production = 1
}
