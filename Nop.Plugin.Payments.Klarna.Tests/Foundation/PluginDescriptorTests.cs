using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Foundation;

/// <summary>
/// plugin.json is what nopCommerce 4.90 reads to list, upload and load the plugin (PluginDescriptor)
/// </summary>
[TestFixture]
public class PluginDescriptorTests
{
    private JObject _descriptor;

    private static System.Reflection.Assembly PluginAssembly => typeof(KlarnaPaymentMethod).Assembly;

    /// <summary>
    /// The plugin project's own build output folder (what build.ps1 zips), in the configuration the tests were built in
    /// </summary>
    public static string PluginOutputDirectory
    {
        get
        {
            var configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;
            return RepositoryPaths.Combine("Nop.Plugin.Payments.Klarna", "bin", configuration, "net9.0");
        }
    }

    [SetUp]
    public void SetUp()
    {
        _descriptor = JObject.Parse(File.ReadAllText(RepositoryPaths.Combine("plugin.json")));
    }

    [Test]
    public void Descriptor_declares_a_payment_method_named_Klarna_with_the_plugin_system_name()
    {
        Assert.Multiple(() =>
        {
            Assert.That((string)_descriptor["Group"], Is.EqualTo("Payment methods"));
            Assert.That((string)_descriptor["FriendlyName"], Is.EqualTo("Klarna"));
            Assert.That((string)_descriptor["SystemName"], Is.EqualTo("Payments.Klarna"));
            Assert.That((string)_descriptor["SystemName"], Is.EqualTo(KlarnaDefaults.SystemName));
            Assert.That((string)_descriptor["Author"], Is.Not.Empty);
            Assert.That((string)_descriptor["Description"], Is.Not.Empty);
            Assert.That(_descriptor["DisplayOrder"]!.Type, Is.EqualTo(JTokenType.Integer));
        });
    }

    [Test]
    public void Descriptor_supports_nopCommerce_4_90()
    {
        var supported = _descriptor["SupportedVersions"]!.Values<string>().ToList();

        Assert.That(supported, Does.Contain("4.90"));
    }

    [Test]
    public void Descriptor_file_name_and_version_match_the_plugin_assembly()
    {
        var assemblyName = PluginAssembly.GetName();
        var descriptorVersion = Version.Parse((string)_descriptor["Version"]!);

        Assert.Multiple(() =>
        {
            Assert.That((string)_descriptor["FileName"], Is.EqualTo(Path.GetFileName(PluginAssembly.Location)));
            Assert.That((string)_descriptor["FileName"], Is.EqualTo(assemblyName.Name + ".dll"));
            Assert.That(new Version(descriptorVersion.Major, descriptorVersion.Minor, Math.Max(descriptorVersion.Build, 0), 0),
                Is.EqualTo(assemblyName.Version), "plugin.json Version vs the assembly version (csproj <Version>)");
        });
    }

    [Test]
    public void Descriptor_lists_are_present_for_nopCommerce_to_write_back()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_descriptor["LimitedToStores"], Is.InstanceOf<JArray>());
            Assert.That(_descriptor["LimitedToCustomerRoles"], Is.InstanceOf<JArray>());
            Assert.That(_descriptor["DependsOnSystemNames"], Is.InstanceOf<JArray>());
        });
    }

    [TestCase("plugin.json")]
    [TestCase("logo.png")]
    [TestCase("Nop.Plugin.Payments.Klarna.dll")]
    public void Plugin_build_output_contains(string fileName)
    {
        var path = Path.Combine(PluginOutputDirectory, fileName);

        Assert.That(File.Exists(path), Is.True, $"{path} is missing");
        if (fileName != "Nop.Plugin.Payments.Klarna.dll")
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(File.ReadAllBytes(RepositoryPaths.Combine(fileName))), "the output copy differs from the repository's file");
    }
}
