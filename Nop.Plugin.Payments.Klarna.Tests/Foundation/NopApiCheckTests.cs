using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Foundation;

/// <summary>
/// build/NopReference must stay a subset of nopCommerce 4.90's real API (same names, signatures, assemblies, version)
/// </summary>
[TestFixture]
public class NopApiCheckTests
{
    [Test]
    public void Nop_reference_passes_nop_api_check()
    {
        var shared = RepositoryPaths.Shared;
        var tool = Path.Combine(shared, "tools", "nop-api-check");
        Assert.That(Directory.Exists(tool), Is.True, $"shared/ must sit beside the repository ({tool} not found)");

        var result = ProcessRunner.Run("dotnet", new[]
        {
            "run", "--project", tool, "--",
            "--compare", Path.Combine(shared, "nopcommerce", "api-4.90.txt"), "build/NopReference",
            "--fork-only", Path.Combine(shared, "nopcommerce", "api-4.90.fork-only.txt"),
            "--quiet"
        }, RepositoryPaths.Root, TimeSpan.FromMinutes(10));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
            Assert.That(result.Output, Does.Contain("RESULT: OK"), result.ToString());
        });
    }

    [Test]
    public void Third_party_reference_is_kept_outside_the_nop_reference()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(RepositoryPaths.Combine("build", "NopReference"), "FluentMigrator*.csproj", SearchOption.AllDirectories), Is.Empty);
            Assert.That(File.Exists(RepositoryPaths.Combine("build", "ThirdPartyReference", "FluentMigrator", "FluentMigrator.csproj")), Is.True);
        });
    }
}
