namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
<<<<<<< HEAD
/// Represents the Klarna API environment
=======
/// Klarna's environments; credentials of one never work on the other
>>>>>>> client
/// </summary>
public enum KlarnaEnvironment
{
    /// <summary>
<<<<<<< HEAD
    /// Playground (test) environment
=======
    /// Test environment (api.playground.klarna.com and its regional variants)
>>>>>>> client
    /// </summary>
    Playground = 0,

    /// <summary>
<<<<<<< HEAD
    /// Production (live) environment
=======
    /// Live environment
>>>>>>> client
    /// </summary>
    Production = 1
}
