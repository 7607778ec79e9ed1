using Microsoft.Extensions.Logging;

namespace Klarna.Sandbox;

/// <summary>
/// Represents the sandbox's own log lines
/// </summary>
public static class SandboxLogging
{
    /// <summary>
    /// Logs the start (never the password)
    /// </summary>
    public static void LogSandboxStart(this ILogger logger, string username)
    {
        logger.LogInformation("Klarna sandbox started; accepted API username {Username} (password from --password or the documented default)", username);
    }
}
