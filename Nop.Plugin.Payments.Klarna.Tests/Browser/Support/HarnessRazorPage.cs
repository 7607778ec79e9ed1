using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using Nop.Plugin.Payments.Klarna.Localization;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser.Support;

/// <summary>
/// Test stand-in for nopCommerce's NopRazorPage (whose reference declaration has no behaviour): T() returns the resources of
/// the host's language (<see cref="HarnessLocale"/>; the plugin's English resources without one), HTML-encoded by Razor like
/// nopCommerce's LocalizedString
/// </summary>
public abstract class HarnessRazorPage<TModel> : RazorPage<TModel>
{
    public delegate IHtmlContent HarnessLocalizer(string text, params object[] args);

    public HarnessLocalizer T => (text, args) =>
    {
        var locale = Context?.RequestServices?.GetService<HarnessLocale>();
        var value = locale?.Get(text) ?? HarnessResources.Get(text) ?? text;
        return new HtmlString(System.Net.WebUtility.HtmlEncode(args?.Length > 0 ? string.Format(value, args) : value));
    };
}

/// <summary>
/// The locale resources of the harness: the plugin's English resources and the few of nopCommerce's own that the pages use
/// </summary>
public static class HarnessResources
{
    private static readonly IDictionary<string, string> _resources = new Dictionary<string, string>(KlarnaLocaleResources.GetAll())
    {
        ["Admin.Common.Save"] = "Save",
        ["Admin.Plugins.Saved"] = "The plugin has been saved successfully.",
        ["Admin.Configuration.Settings.StoreScope"] = "Multi-store configuration for",
        ["Admin.Configuration.Settings.StoreScope.AllStores"] = "All stores",
        ["Admin.Configuration.Settings.StoreScope.CheckAll"] = "Check/uncheck all",
        ["Admin.Configuration.Settings.StoreScope.CheckAll.Hint"] = "(check boxes if you want to set a custom value for this shop)",
        ["Checkout"] = "Checkout",
        ["Checkout.PaymentMethod"] = "Payment method",
        ["Checkout.PaymentInfo"] = "Payment information",
        ["Checkout.ConfirmOrder"] = "Confirm order",
        ["Checkout.NextButton"] = "Next",
        ["Checkout.ConfirmButton"] = "Confirm",
        ["Common.Continue"] = "Continue",
        ["Common.Back"] = "Back"
    };

    /// <summary>
    /// Gets a resource, or null when there is none
    /// </summary>
    public static string Get(string key) => _resources.TryGetValue(key, out var value) ? value : null;
}

/// <summary>
/// The admin's language of a host: its locale resources (null: English)
/// </summary>
public sealed class HarnessLocale
{
    /// <summary>Gets or sets the resources of the language, or null for the plugin's English resources</summary>
    public IDictionary<string, string> Resources { get; set; }

    /// <summary>Gets a resource of the language, or null</summary>
    public string Get(string key) => Resources is not null && Resources.TryGetValue(key, out var value) ? value : null;

    private const string Plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Marked = "áƀçďéƒğĥíĵķĺṁñóṗʠŕšťúṽŵẋýžÁƁÇĎÉƑĞĤÍĴĶĹṀÑÓṖɊŔŠŤÚṼŴẊÝŽ";

    /// <summary>
    /// Gets a second language whose every resource differs from the English one and holds no ASCII letter outside its
    /// placeholders: every Latin letter is written with a diacritic ("Capture" becomes "Çáṗťúŕé"), so English that does not
    /// come from the resources stands out on the page
    /// </summary>
    public static IDictionary<string, string> PseudoLocalized(IDictionary<string, string> english)
    {
        var resources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in english)
        {
            var text = new System.Text.StringBuilder();
            var inPlaceholder = false;
            foreach (var c in value)
            {
                inPlaceholder = c == '{' || (inPlaceholder && c != '}');
                var index = Plain.IndexOf(c);
                text.Append(!inPlaceholder && index >= 0 ? Marked[index] : c);
            }
            resources[key] = text.ToString();
        }
        return resources;
    }
}

/// <summary>
/// Test stand-in for nopCommerce's nop-card tag helper: renders an AdminLTE-like collapsible card around the content
/// (the real helper also remembers the collapsed state per admin)
/// </summary>
[HtmlTargetElement("nop-card", Attributes = "asp-name")]
public class HarnessNopCardTagHelper : TagHelper
{
    [HtmlAttributeName("asp-name")] public string Name { get; set; }
    [HtmlAttributeName("asp-title")] public string Title { get; set; }
    [HtmlAttributeName("asp-icon")] public string CardIconIsAdvanced { get; set; }
    [HtmlAttributeName("asp-hide-block-attribute-name")] public string HideBlockAttributeName { get; set; }
    [HtmlAttributeName("asp-hide")] public bool IsHide { get; set; }
    [HtmlAttributeName("asp-advanced")] public bool IsAdvanced { get; set; }

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        var content = await output.GetChildContentAsync();
        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", "card card-secondary card-outline");
        output.Attributes.SetAttribute("data-card-name", Name);
        output.Attributes.SetAttribute("id", Name);
        output.PreContent.SetHtmlContent(
            $"<div class=\"card-header with-border\"><div class=\"card-title\"><i class=\"{System.Net.WebUtility.HtmlEncode(CardIconIsAdvanced)}\"></i> " +
            $"{System.Net.WebUtility.HtmlEncode(Title)}</div></div><div class=\"card-body-wrapper\">");
        output.Content.SetHtmlContent(content);
        output.PostContent.SetHtmlContent("</div>");
    }
}
