using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.Views;

/// <summary>
/// nopCommerce compiles plugin views only when a page shows them: this is the only guard against a broken view.
/// </summary>
[TestFixture]
public class ViewCompilationTests
{
    private static RazorViewCompiler.Result _result;

    [OneTimeSetUp]
    public void CompileViews()
    {
        _result = RazorViewCompiler.CompileAll();
    }

    [Test]
    public void Every_view_of_the_plugin_compiles_without_errors()
    {
        Assert.That(_result.AllErrors, Is.Empty, string.Join(Environment.NewLine, _result.AllErrors));
        Assert.That(_result.AssemblyBytes, Is.Not.Null);
    }

    [Test]
    public void Every_cshtml_file_is_compiled()
    {
        var files = Directory.GetFiles(Path.Combine(RazorViewCompiler.PluginDirectory, "Views"), "*.cshtml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "_ViewImports.cshtml")
            .Select(f => "/Plugins/Payments.Klarna/Views/" + Path.GetRelativePath(Path.Combine(RazorViewCompiler.PluginDirectory, "Views"), f).Replace('\\', '/'))
            .OrderBy(f => f);

        Assert.That(_result.Views.Select(v => v.Path).OrderBy(p => p), Is.EqualTo(files));
    }

    [TestCase("Admin/_OrderDetails.cshtml")]
    [TestCase("Admin/Configure.cshtml")]
    public void Views_inherit_NopRazorPage_through_the_plugins_ViewImports(string view)
    {
        var source = _result.Views.Single(v => v.Path.EndsWith(view, StringComparison.Ordinal));

        Assert.That(source.GeneratedCode, Does.Contain(": Nop.Web.Framework.Mvc.Razor.NopRazorPage<"));
    }

    [TestCase("Admin/Configure.cshtml", "Nop.Web.Framework.TagHelpers.Admin.NopOverrideStoreCheckboxHelper")]
    [TestCase("Admin/Configure.cshtml", "Nop.Web.Framework.TagHelpers.Admin.NopLabelTagHelper")]
    [TestCase("Admin/Configure.cshtml", "Nop.Web.Framework.TagHelpers.Admin.NopEditorTagHelper")]
    [TestCase("Admin/Configure.cshtml", "Nop.Web.Framework.TagHelpers.Admin.NopSelectTagHelper")]
    [TestCase("Admin/_OrderDetails.cshtml", "Nop.Web.Framework.TagHelpers.Admin.NopCardTagHelper")]
    public void NopCommerce_tag_helpers_are_bound_and_type_checked(string view, string tagHelper)
    {
        var source = _result.Views.Single(v => v.Path.EndsWith(view, StringComparison.Ordinal));

        Assert.That(source.GeneratedCode, Does.Contain("CreateTagHelper<global::" + tagHelper + ">"));
    }

    [Test]
    public void The_payment_info_step_carries_no_script_because_the_one_page_checkout_inserts_it_from_an_ajax_answer()
    {
        var source = _result.Views.Single(v => v.Path.EndsWith("Public/PaymentInfo.cshtml", StringComparison.Ordinal));

        Assert.That(source.GeneratedCode, Does.Not.Contain("NopScriptTagHelper"));
        Assert.That(File.ReadAllText(Path.Combine(RazorViewCompiler.PluginDirectory, "Views", "Public", "PaymentInfo.cshtml")), Does.Not.Match("<script[ >]"));
    }

    [Test]
    public void Views_never_write_raw_html()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RazorViewCompiler.PluginDirectory, "Views"), "*.cshtml", SearchOption.AllDirectories))
            Assert.That(File.ReadAllText(file), Does.Not.Contain("Html.Raw"), file);
    }
}
