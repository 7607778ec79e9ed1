using System.Reflection;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Foundation;

/// <summary>
/// The assembly versions nopCommerce 4.90.3 loads (assembly versions, not package versions) of the assemblies a plugin
/// shares with it
/// </summary>
public static class NopLoadedAssemblies
{
    public static readonly IReadOnlyList<(string Prefix, Version Max)> Versions = new[]
    {
        ("Nop.", new Version(4, 90, 0, 0)),
        ("FluentMigrator", new Version(7, 1, 0, 0)),
        ("FluentValidation", new Version(11, 0, 0, 0)),
        ("Newtonsoft.Json", new Version(13, 0, 0, 0)),
        ("Microsoft.Extensions.", new Version(9, 0, 0, 0)),
    };

    /// <summary>
    /// Assemblies whose names look like nopCommerce's dependencies but that nopCommerce 4.90 does not ship: the plugin ships
    /// them (build/package-allowlist.txt), so they are not limited to nopCommerce's versions
    /// </summary>
    public static IReadOnlySet<string> ShippedByThePlugin { get; } = File.ReadAllLines(RepositoryPaths.Combine("build", "package-allowlist.txt"))
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal);

    public static void AssertNoReferenceAboveWhatNopLoads(IEnumerable<AssemblyName> references, string owner)
    {
        Assert.Multiple(() =>
        {
            foreach (var reference in references)
            {
                if (ShippedByThePlugin.Contains(reference.Name!))
                    continue;

                var rule = Versions.FirstOrDefault(r => reference.Name!.StartsWith(r.Prefix, StringComparison.Ordinal));
                if (rule.Prefix == null)
                    continue;

                Assert.That(reference.Version, Is.LessThanOrEqualTo(rule.Max),
                    $"{owner} references {reference.FullName}, but nopCommerce 4.90 loads {reference.Name} {rule.Max}");
            }
        });
    }
}
