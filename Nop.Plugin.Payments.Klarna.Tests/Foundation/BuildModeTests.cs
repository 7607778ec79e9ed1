using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Foundation;

/// <summary>
/// The plugin project has two builds (Directory.Build.props): "Reference" against build/NopReference in a normal clone,
/// and "Real" inside a nopCommerce 4.90 source tree, like nopCommerce's own plugins. nopCommerce itself cannot be built
/// here, so these tests check MSBuild's evaluation of the project.
/// </summary>
[TestFixture]
public class BuildModeTests
{
    private const string PluginProjectRelativePath = "Nop.Plugin.Payments.Klarna/Nop.Plugin.Payments.Klarna.csproj";

    private string _workDirectory;

    [SetUp]
    public void SetUp()
    {
        _workDirectory = Directory.CreateTempSubdirectory("klarna-buildmode-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_workDirectory, true);
    }

    private sealed record Evaluation(JObject Json)
    {
        public string Property(string name) => (string)Json["Properties"]![name];

        public IList<JObject> Items(string type) => ((JArray)Json["Items"]?[type] ?? new JArray()).Cast<JObject>().ToList();
    }

    private static Evaluation Evaluate(string project, params string[] properties)
    {
        var arguments = new List<string> { "msbuild", project, "-nologo", "-p:Configuration=Release" };
        arguments.AddRange(properties.Select(p => "-p:" + p));
        arguments.AddRange(new[]
        {
            "-getProperty:NopBuildMode", "-getProperty:NopSrcDir", "-getProperty:OutDir", "-getProperty:BaseIntermediateOutputPath",
            "-getProperty:IntermediateOutputPath", "-getProperty:CopyLocalLockFileAssemblies",
            "-getItem:ProjectReference", "-getItem:ClearPluginAssemblies", "-getItem:FrameworkReference"
        });

        var result = ProcessRunner.Run("dotnet", arguments, Path.GetDirectoryName(project)!);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var json = result.Output[result.Output.IndexOf('{')..];

        return new Evaluation(JObject.Parse(json));
    }

    private static string Normalize(string path) => Path.GetFullPath(path).TrimEnd('/', '\\');

    /// <summary>
    /// Lays out a fake nopCommerce source tree: src/Presentation/Nop.Web/Nop.Web.csproj (a stub) and src/Build
    /// </summary>
    private string FakeNopCommerce()
    {
        var nop = Path.Combine(_workDirectory, "nopCommerce");
        Directory.CreateDirectory(Path.Combine(nop, "src", "Presentation", "Nop.Web"));
        Directory.CreateDirectory(Path.Combine(nop, "src", "Build"));
        File.WriteAllText(Path.Combine(nop, "src", "Presentation", "Nop.Web", "Nop.Web.csproj"),
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>");

        return nop;
    }

    /// <summary>
    /// Copies the files that the plugin project's evaluation reads into src/Plugins/Nop.Plugin.Payments.Klarna
    /// </summary>
    private static string CloneInto(string nop)
    {
        var clone = Path.Combine(nop, "src", "Plugins", "Nop.Plugin.Payments.Klarna");
        foreach (var file in new[] { "Directory.Build.props", "global.json", "plugin.json", "logo.png", PluginProjectRelativePath })
        {
            var target = Path.Combine(clone, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(RepositoryPaths.Combine(file), target);
        }

        return clone;
    }

    [Test]
    public void Normal_clone_builds_against_the_nop_reference_without_copying_it()
    {
        var evaluation = Evaluate(RepositoryPaths.Combine(PluginProjectRelativePath));

        var references = evaluation.Items("ProjectReference");
        var referenceNames = references.Select(r => (string)r["Filename"]).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(evaluation.Property("NopBuildMode"), Is.EqualTo("Reference"));
            Assert.That(evaluation.Property("NopSrcDir"), Is.Empty);
            Assert.That(Normalize(evaluation.Property("BaseIntermediateOutputPath")),
                Is.EqualTo(Normalize(RepositoryPaths.Combine("Nop.Plugin.Payments.Klarna", "obj", "Reference"))));
            Assert.That(Normalize(Path.Combine(RepositoryPaths.Combine("Nop.Plugin.Payments.Klarna"), evaluation.Property("OutDir"))),
                Is.EqualTo(Normalize(RepositoryPaths.Combine("Nop.Plugin.Payments.Klarna", "bin", "Release", "net9.0"))));
            Assert.That(referenceNames, Is.EquivalentTo(new[]
            {
                "Nop.Core", "Nop.Data", "Nop.Services", "Nop.Web.Framework", "FluentMigrator.Abstractions", "FluentMigrator"
            }));
            Assert.That(references.Select(r => (string)r["Private"]), Is.All.EqualTo("false"), "reference assemblies are never copied");
            Assert.That(references.Select(r => (string)r["FullPath"]), Is.All.StartsWith(RepositoryPaths.Combine("build") + Path.DirectorySeparatorChar));
            Assert.That(evaluation.Items("ClearPluginAssemblies"), Is.Empty);
            Assert.That(evaluation.Items("FrameworkReference").Select(r => (string)r["Identity"]), Does.Contain("Microsoft.AspNetCore.App"));
        });
    }

    [Test]
    public void Clone_inside_a_nopCommerce_tree_builds_against_Nop_Web_into_its_plugins_folder()
    {
        var nop = FakeNopCommerce();
        var clone = CloneInto(nop);

        var evaluation = Evaluate(Path.Combine(clone, PluginProjectRelativePath));

        AssertRealBuild(evaluation, nop, Path.Combine(clone, "Nop.Plugin.Payments.Klarna"));
    }

    [Test]
    public void NopRoot_property_points_a_clone_elsewhere_at_a_nopCommerce_tree()
    {
        var nop = FakeNopCommerce();

        // nopCommerce's repository root and its src folder are both accepted.
        var fromRoot = Evaluate(RepositoryPaths.Combine(PluginProjectRelativePath), "NopRoot=" + nop);
        var fromSrc = Evaluate(RepositoryPaths.Combine(PluginProjectRelativePath), "NopRoot=" + Path.Combine(nop, "src"));

        AssertRealBuild(fromRoot, nop, RepositoryPaths.Combine("Nop.Plugin.Payments.Klarna"));
        AssertRealBuild(fromSrc, nop, RepositoryPaths.Combine("Nop.Plugin.Payments.Klarna"));
    }

    [Test]
    public void Real_build_runs_nopCommerce_ClearPluginAssemblies_after_build()
    {
        var nop = FakeNopCommerce();
        var clone = CloneInto(nop);
        var preprocessed = Path.Combine(_workDirectory, "preprocessed.xml");

        var result = ProcessRunner.Run("dotnet", new[] { "msbuild", Path.Combine(clone, PluginProjectRelativePath), "-nologo", "-preprocess:" + preprocessed },
            clone);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var text = File.ReadAllText(preprocessed);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("<Target Name=\"NopTarget\" AfterTargets=\"Build\""));
            Assert.That(text, Does.Contain("<MSBuild Projects=\"@(ClearPluginAssemblies)\" Properties=\"PluginPath=$(OutDir)\" Targets=\"NopClear\" />"));
        });
    }

    [Test]
    public void Plugin_build_drops_assemblies_that_nopCommerce_already_loads_from_its_output()
    {
        var preprocessed = Path.Combine(_workDirectory, "preprocessed.xml");

        var result = ProcessRunner.Run("dotnet", new[] { "msbuild", RepositoryPaths.Combine(PluginProjectRelativePath), "-nologo", "-preprocess:" + preprocessed },
            RepositoryPaths.Root);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var text = File.ReadAllText(preprocessed);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("<Target Name=\"NopExcludeProvidedAssemblies\""));
            Assert.That(text, Does.Contain("<ReferenceCopyLocalPaths Remove=\"@(_NopProvided)\" />"));
        });
    }

    private static void AssertRealBuild(Evaluation evaluation, string nop, string projectDirectory)
    {
        var references = evaluation.Items("ProjectReference");
        Assert.Multiple(() =>
        {
            Assert.That(evaluation.Property("NopBuildMode"), Is.EqualTo("Real"));
            Assert.That(Normalize(evaluation.Property("NopSrcDir")), Is.EqualTo(Normalize(Path.Combine(nop, "src"))));
            Assert.That(Normalize(evaluation.Property("OutDir")),
                Is.EqualTo(Normalize(Path.Combine(nop, "src", "Presentation", "Nop.Web", "Plugins", "Payments.Klarna"))));
            Assert.That(Normalize(evaluation.Property("BaseIntermediateOutputPath")), Is.EqualTo(Normalize(Path.Combine(projectDirectory, "obj", "Real"))));
            Assert.That(Normalize(evaluation.Property("IntermediateOutputPath")), Does.StartWith(Normalize(Path.Combine(projectDirectory, "obj", "Real"))));
            Assert.That(references.Select(r => Normalize((string)r["FullPath"])),
                Is.EqualTo(new[] { Normalize(Path.Combine(nop, "src", "Presentation", "Nop.Web", "Nop.Web.csproj")) }), "only the real Nop.Web project");
            Assert.That(evaluation.Items("ClearPluginAssemblies").Select(r => Normalize((string)r["FullPath"])),
                Is.EqualTo(new[] { Normalize(Path.Combine(nop, "src", "Build", "ClearPluginAssemblies.proj")) }));
        });
    }
}
