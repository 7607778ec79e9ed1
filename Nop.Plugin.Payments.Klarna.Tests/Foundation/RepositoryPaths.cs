using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Foundation;

/// <summary>
/// Locates the repository (the folder holding the solution file) and its sibling shared/ folder from the test output folder
/// </summary>
public static class RepositoryPaths
{
    public const string SolutionFileName = "Nop.Plugin.Payments.Klarna.sln";

    /// <summary>
    /// Gets the repository root
    /// </summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// Gets the shared/ folder that sits beside the repository (CI and the developers' machines lay it there)
    /// </summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Combine(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            dir = dir.Parent;

        return dir?.FullName ?? throw new InvalidOperationException($"{SolutionFileName} not found above {TestContext.CurrentContext.TestDirectory}");
    }
}
