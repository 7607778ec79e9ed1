using System.Reflection;
using Nop.Data.Migrations;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Foundation;

/// <summary>
/// The plugin must never ask nopCommerce 4.90 for a higher version of an assembly than the shop loads: the runtime then
/// refuses to load the plugin (or, for Nop.*, the whole shop fails to start).
/// </summary>
[TestFixture]
public class AssemblyReferenceVersionTests
{
    private const string FluentMigratorPublicKeyToken = "aacfc7de5acabf05";

    private static Assembly PluginAssembly => typeof(KlarnaPaymentMethod).Assembly;

    private static IEnumerable<AssemblyName> ReferencesOf(string assemblyPath) =>
        new MetadataAssembly(assemblyPath).References;

    private static void AssertNoReferenceAboveWhatNopLoads(IEnumerable<AssemblyName> references, string owner) =>
        NopLoadedAssemblies.AssertNoReferenceAboveWhatNopLoads(references, owner);

    [Test]
    public void Plugin_references_no_assembly_version_above_what_nopCommerce_4_90_loads()
    {
        AssertNoReferenceAboveWhatNopLoads(PluginAssembly.GetReferencedAssemblies(), PluginAssembly.GetName().Name);
    }

    [Test]
    public void Nop_reference_assemblies_reference_no_version_above_what_nopCommerce_4_90_loads()
    {
        foreach (var assembly in new[] { typeof(Nop.Core.BaseEntity).Assembly, typeof(MigrationProcessType).Assembly,
                     typeof(Nop.Services.Plugins.BasePlugin).Assembly, typeof(Nop.Web.Framework.Infrastructure.AdminWidgetZones).Assembly })
        {
            Assert.That(assembly.GetName().Version, Is.EqualTo(new Version(4, 90, 0, 0)), assembly.FullName);
            AssertNoReferenceAboveWhatNopLoads(assembly.GetReferencedAssemblies(), assembly.GetName().Name);
        }
    }

    [Test]
    public void Nop_Data_reference_compiles_against_FluentMigrator_7_1_0_0_with_the_real_public_key_token()
    {
        var references = typeof(MigrationProcessType).Assembly.GetReferencedAssemblies()
            .Where(r => r.Name!.StartsWith("FluentMigrator", StringComparison.Ordinal)).ToList();

        Assert.That(references.Select(r => r.Name), Does.Contain("FluentMigrator.Abstractions"));
        Assert.Multiple(() =>
        {
            foreach (var reference in references)
            {
                Assert.That(reference.Version, Is.EqualTo(new Version(7, 1, 0, 0)), reference.FullName);
                Assert.That(Convert.ToHexStringLower(reference.GetPublicKeyToken()!), Is.EqualTo(FluentMigratorPublicKeyToken), reference.FullName);
            }
        });
    }

    [TestCase(typeof(FluentMigrator.MigrationAttribute), "FluentMigrator.Abstractions")]
    [TestCase(typeof(FluentMigrator.Migration), "FluentMigrator")]
    public void FluentMigrator_reference_assembly_has_nopCommerce_version_name_and_token(Type type, string assemblyName)
    {
        var name = type.Assembly.GetName();

        Assert.Multiple(() =>
        {
            Assert.That(name.Name, Is.EqualTo(assemblyName));
            Assert.That(name.Version, Is.EqualTo(new Version(7, 1, 0, 0)));
            Assert.That(Convert.ToHexStringLower(name.GetPublicKeyToken()!), Is.EqualTo(FluentMigratorPublicKeyToken));
        });
    }

    [Test]
    public void FluentValidation_and_Newtonsoft_Json_packages_compile_against_the_assembly_versions_nopCommerce_loads()
    {
        // FluentValidation 11.1.0 is assembly 11.0.0.0 and Newtonsoft.Json 13.0.3 is 13.0.0.0 (nopCommerce loads the same).
        var fluentValidation = typeof(FluentValidation.AbstractValidator<>).Assembly.GetName();
        var newtonsoft = typeof(Newtonsoft.Json.JsonConvert).Assembly.GetName();

        Assert.Multiple(() =>
        {
            Assert.That(fluentValidation.Version, Is.EqualTo(new Version(11, 0, 0, 0)));
            Assert.That(newtonsoft.Version, Is.EqualTo(new Version(13, 0, 0, 0)));
        });
    }

    [Test]
    public void Plugin_build_output_references_check_covers_the_shipped_assembly()
    {
        // The DLL that build.ps1 zips is the one compiled for the tests (same project, same Reference mode).
        var shipped = ReferencesOf(PluginAssembly.Location).ToList();

        Assert.That(shipped, Is.Not.Empty);
        AssertNoReferenceAboveWhatNopLoads(shipped, Path.GetFileName(PluginAssembly.Location));
    }
}
