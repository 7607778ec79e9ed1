using System.Diagnostics;
using System.Text;

namespace Nop.Plugin.Payments.Klarna.Tests.Foundation;

/// <summary>
/// Runs a command line tool (dotnet, pwsh) from a test, with a time limit, and captures its output
/// </summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit code {ExitCode}:{Environment.NewLine}{Output}";
    }

    public static Result Run(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan? timeout = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);

        // The test host's MSBuild variables would point a child dotnet at the test host's SDK state.
        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                     || k.Equals("MSBuildExtensionsPath", StringComparison.OrdinalIgnoreCase)
                     || k.Equals("MSBuildSDKsPath", StringComparison.OrdinalIgnoreCase)).ToList())
            startInfo.Environment.Remove(key);
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in time:{Environment.NewLine}{output}");
        }

        process.WaitForExit();
        lock (output)
            return new Result(process.ExitCode, output.ToString());
    }

    public static Result Dotnet(string workingDirectory, params string[] arguments) =>
        Run("dotnet", arguments, workingDirectory);

    /// <summary>
    /// Runs a PowerShell script through the repository's local PowerShell tool (.config/dotnet-tools.json)
    /// </summary>
    public static Result Pwsh(params string[] arguments)
    {
        var restore = Dotnet(RepositoryPaths.Root, "tool", "restore");
        if (restore.ExitCode != 0)
            throw new InvalidOperationException($"dotnet tool restore failed: {restore}");

        return Run("dotnet", new[] { "pwsh", "-NoProfile", "-NonInteractive" }.Concat(arguments), RepositoryPaths.Root);
    }
}
