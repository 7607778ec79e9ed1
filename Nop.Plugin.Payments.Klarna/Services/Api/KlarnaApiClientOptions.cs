using System;

namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Represents transport options of the Klarna API client
/// </summary>
public class KlarnaApiClientOptions
{
    /// <summary>
    /// Gets or sets the timeout of one attempt
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the maximum number of retries of a request that is safe to repeat (0 disables retries)
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Gets or sets the base delay of the exponential backoff between retries
    /// </summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Gets or sets the longest wait between two attempts (also caps Retry-After)
    /// </summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets a value indicating whether request and response bodies are written to the debug log (secrets and personal data masked)
    /// </summary>
    public bool LogBodies { get; set; }

    /// <summary>
    /// Gets or sets the platform token of the User-Agent header
    /// </summary>
    public string UserAgentPlatform { get; set; } = "nopCommerce_4.90";
}
