using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Razor.TagHelpers;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.AspNetCore.Mvc.TagHelpers;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Nop.Web.Framework.UI;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser.Support.NopStandIns;

/// <summary>
/// Test stand-in for nopCommerce 4.90's script tag helper (Nop.Web.Framework.TagHelpers.Shared.NopScriptTagHelper), which
/// binds every &lt;script&gt; of a view whose _ViewImports adds Nop.Web.Framework's tag helpers. Its observable behaviour:
/// - in an AJAX request (X-Requested-With: XMLHttpRequest) it does nothing, so the bound src attribute is never written:
///   a &lt;script src&gt; of a partial view rendered for an AJAX answer comes out as an empty &lt;script&gt;&lt;/script&gt;;
/// - a script whose type is not text/javascript keeps its tag but loses its src as well;
/// - asp-location Auto (the default) = in place, or the footer when JavaScript bundling is on; None = in place;
///   Head/Footer = registered with NopHtml (src or the whole inline script) and removed from its place.
/// </summary>
[HtmlTargetElement("script")]
public class NopScriptTagHelperStandIn : UrlResolutionTagHelper
{
    private readonly NopHtmlStandIn _nopHtml;
    private readonly NopShopOptions _options;

    public NopScriptTagHelperStandIn(IUrlHelperFactory urlHelperFactory, HtmlEncoder htmlEncoder, NopHtmlStandIn nopHtml, NopShopOptions options)
        : base(urlHelperFactory, htmlEncoder)
    {
        _nopHtml = nopHtml;
        _options = options;
    }

    [HtmlAttributeName("asp-debug-src")] public string DebugSrc { get; set; }
    [HtmlAttributeName("asp-location")] public ResourceLocation Location { get; set; }
    [HtmlAttributeName("asp-exclude-from-bundle")] public bool ExcludeFromBundle { get; set; }
    [HtmlAttributeName("src")] public string Src { get; set; }

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        if (ViewContext.HttpContext?.Request.Headers.XRequestedWith.ToString() == "XMLHttpRequest")
            return;

        output.TagMode = TagMode.StartTagAndEndTag;

        if (context.AllAttributes.TryGetAttribute("type", out var type)
            && !string.Equals(type.Value?.ToString(), "text/javascript", StringComparison.OrdinalIgnoreCase))
            return;

        if (Location == ResourceLocation.Auto)
            Location = _options.BundleJavaScript ? ResourceLocation.Footer : ResourceLocation.None;

        if (Location == ResourceLocation.None)
        {
            if (!string.IsNullOrEmpty(Src))
            {
                output.CopyHtmlAttribute("src", context);
                ProcessUrlAttribute("src", output);
            }
            return;
        }

        if (string.IsNullOrEmpty(Src))
        {
            var script = new TagBuilder("script");
            script.InnerHtml.SetHtmlContent(new HtmlString((await output.GetChildContentAsync()).GetContent()));
            foreach (var attribute in output.Attributes)
                script.MergeAttribute(attribute.Name, attribute.Value?.ToString());
            using var writer = new StringWriter();
            script.WriteTo(writer, HtmlEncoder.Default);
            _nopHtml.AddInlineScriptParts(Location, writer + Environment.NewLine);
        }
        else
        {
            _nopHtml.AddScriptParts(Location, Src, DebugSrc, ExcludeFromBundle);
        }

        output.SuppressOutput();
    }
}
