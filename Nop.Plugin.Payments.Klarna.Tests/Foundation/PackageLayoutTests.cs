using System.IO.Compression;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Foundation;

/// <summary>
/// The zip that build.ps1 writes (through build/tools/package-plugin.ps1) must be accepted by nopCommerce 4.90's
/// "Upload plugin or theme" (Nop.Services/Plugins/UploadService.cs): one root folder, plugin.json directly inside it,
/// and no assembly that nopCommerce already loads
/// </summary>
[TestFixture]
public class PackageLayoutTests
{
    private static readonly string[] _forbiddenPrefixes = { "Nop.", "Newtonsoft.Json", "FluentMigrator", "FluentValidation", "Microsoft.Extensions.", "Microsoft.AspNetCore.", "System." };

    private string _workDirectory;

    // The package of the plugin's real build output, made once for the tests that only read it.
    private string _packageDirectory;
    private string _packagePath;
    private ProcessRunner.Result _packageResult;

    private static string PackageScript => RepositoryPaths.Combine("build", "tools", "package-plugin.ps1");

    [OneTimeSetUp]
    public void PackageThePluginOutput()
    {
        _packageDirectory = Directory.CreateTempSubdirectory("klarna-package-").FullName;
        _packagePath = Path.Combine(_packageDirectory, "Payments.Klarna.zip");
        _packageResult = Package(PluginDescriptorTests.PluginOutputDirectory, _packagePath);
    }

    [OneTimeTearDown]
    public void DeletePackage()
    {
        Directory.Delete(_packageDirectory, true);
    }

    [SetUp]
    public void SetUp()
    {
        _workDirectory = Directory.CreateTempSubdirectory("klarna-package-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_workDirectory, true);
    }

    private static ProcessRunner.Result Package(string sourceDirectory, string zipPath) =>
        ProcessRunner.Pwsh("-File", PackageScript, "-SourceDir", sourceDirectory, "-ZipPath", zipPath,
            "-ProjectDir", RepositoryPaths.Combine("Nop.Plugin.Payments.Klarna"));

    private string CopyOfPluginOutput()
    {
        var copy = Path.Combine(_workDirectory, "output");
        foreach (var file in Directory.GetFiles(PluginDescriptorTests.PluginOutputDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(PluginDescriptorTests.PluginOutputDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    [Test]
    public void Package_has_one_root_folder_Payments_Klarna_with_descriptor_assembly_and_logo()
    {
        var (zipPath, result) = (_packagePath, _packageResult);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        using var archive = ZipFile.OpenRead(zipPath);
        var names = archive.Entries.Select(e => e.FullName).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(names.Select(n => n.Split('/')[0]).Distinct(), Is.EqualTo(new[] { "Payments.Klarna" }), "exactly one root folder");
            Assert.That(names, Does.Contain("Payments.Klarna/plugin.json"));
            Assert.That(names, Does.Contain("Payments.Klarna/Nop.Plugin.Payments.Klarna.dll"));
            Assert.That(names, Does.Contain("Payments.Klarna/logo.png"));
            Assert.That(names, Has.None.Contains("\\"), "zip entries use '/' (nopCommerce splits on '/')");
            Assert.That(names, Has.None.EqualTo("uploadedItems.json"), "a single-plugin archive has no uploadedItems.json");
            Assert.That(result.Output, Does.Contain(zipPath), "prints where the zip is");
            Assert.That(result.Output, Does.Contain("Payments.Klarna/plugin.json"), "prints the content listing");
        });
    }

    [Test]
    public void Package_ships_no_assembly_that_nopCommerce_already_loads()
    {
        var allowList = NopLoadedAssemblies.ShippedByThePlugin;

        Assert.That(_packageResult.ExitCode, Is.EqualTo(0), _packageResult.ToString());
        using var archive = ZipFile.OpenRead(_packagePath);
        var assemblies = archive.Entries.Where(e => e.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(e => Path.GetFileNameWithoutExtension(e.Name))
            .Where(n => n != "Nop.Plugin.Payments.Klarna" && !allowList.Contains(n)).ToList();
        Assert.That(assemblies.Where(n => _forbiddenPrefixes.Any(p => n.StartsWith(p, StringComparison.OrdinalIgnoreCase))), Is.Empty);
    }

    [Test]
    public void Every_shipped_assembly_references_only_versions_that_nopCommerce_loads()
    {
        Assert.That(_packageResult.ExitCode, Is.EqualTo(0), _packageResult.ToString());

        var extracted = Path.Combine(_workDirectory, "extracted");
        ZipFile.ExtractToDirectory(_packagePath, extracted);

        var dlls = Directory.GetFiles(extracted, "*.dll", SearchOption.AllDirectories);
        Assert.That(dlls, Is.Not.Empty);
        foreach (var dll in dlls)
            NopLoadedAssemblies.AssertNoReferenceAboveWhatNopLoads(new MetadataAssembly(dll).References, Path.GetFileName(dll));
    }

    [TestCase("Newtonsoft.Json.dll")]
    [TestCase("Nop.Core.dll")]
    [TestCase("FluentMigrator.Abstractions.dll")]
    [TestCase("Microsoft.Extensions.Http.dll")]
    public void Packaging_fails_when_the_output_holds_an_assembly_nopCommerce_already_loads(string assembly)
    {
        var source = CopyOfPluginOutput();
        File.WriteAllBytes(Path.Combine(source, assembly), new byte[] { 0x4D, 0x5A });
        var zipPath = Path.Combine(_workDirectory, "refused.zip");

        var result = Package(source, zipPath);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.EqualTo(0), result.ToString());
            Assert.That(result.Output, Does.Contain(assembly));
            Assert.That(File.Exists(zipPath), Is.False);
        });
    }

    [Test]
    public void Packaging_fails_without_a_descriptor()
    {
        var source = CopyOfPluginOutput();
        File.Delete(Path.Combine(source, "plugin.json"));

        var result = Package(source, Path.Combine(_workDirectory, "refused.zip"));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.EqualTo(0), result.ToString());
            Assert.That(result.Output, Does.Contain("plugin.json"));
        });
    }
}
