namespace Klarna.Sandbox;

/// <summary>
/// Represents the sandbox settings
/// </summary>
public class SandboxOptions
{
    /// <summary>
    /// Gets or sets the accepted API username (command line --username)
    /// </summary>
    public string Username { get; set; } = "sandbox_user";

    /// <summary>
    /// Gets or sets the accepted API password (command line --password)
    /// </summary>
    public string Password { get; set; } = "sandbox_password";

    /// <summary>
    /// Gets or sets the authorization period of new orders in days (Klarna's default is 28)
    /// </summary>
    public int AuthorizationPeriodDays { get; set; } = 28;

    /// <summary>
    /// Gets or sets the maximum request body size in bytes (Klarna: 1 MB)
    /// </summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Gets or sets the waits before each resend of a notification the merchant did not answer with 200 (Klarna does not
    /// document its schedule: by default 10 s, 1 min, 5 min, 30 min, 2 h)
    /// </summary>
    public System.TimeSpan[] NotificationRetryDelays { get; set; } =
    {
        System.TimeSpan.FromSeconds(10), System.TimeSpan.FromMinutes(1), System.TimeSpan.FromMinutes(5), System.TimeSpan.FromMinutes(30), System.TimeSpan.FromHours(2)
    };
}
