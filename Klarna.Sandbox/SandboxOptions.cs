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
    /// The answer to a write whose idempotency key belongs to an attempt still being processed: 409 CONFLICT
    /// </summary>
    public const string InFlightConflict = "conflict";

    /// <summary>
    /// The answer to a write whose idempotency key belongs to an attempt still being processed: wait for it, take its answer
    /// </summary>
    public const string InFlightWait = "wait";

    /// <summary>
    /// Gets or sets what a write gets when its idempotency key belongs to an attempt still being processed. Klarna does not
    /// document it (API.md §4); it lists 409 CONFLICT as the answer to a request that conflicts with the current state of
    /// the resource, so the sandbox answers that by default, the most hostile documented-compatible behaviour
    /// </summary>
    public string InFlightDuplicates { get; set; } = InFlightConflict;

    /// <summary>
    /// Gets or sets the pauses before each resend of a notification not answered 200 (Klarna sends a notification again
    /// until it is answered 200; its schedule is not documented): after the last one, no more attempts
    /// </summary>
    public int[] NotificationResendDelaysMs { get; set; } = [1000, 2000, 5000, 10000, 30000];
}
