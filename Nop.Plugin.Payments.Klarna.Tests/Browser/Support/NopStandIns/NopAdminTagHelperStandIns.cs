using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Nop.Web.Framework.Mvc.ModelBinding;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser.Support.NopStandIns;

// Test stand-ins for nopCommerce 4.90's admin tag helpers (Nop.Web.Framework/TagHelpers/Admin). The plugin's views bind
// the real types (the reference declares them without behaviour); the browser harness swaps these in. Each reproduces
// what the real one renders and where it throws; the editor templates it asks MVC for are the harness's
// Areas/Admin/Views/Shared/EditorTemplates (Int32, Select, SelectString), which behave like nopCommerce's.

/// <summary>
/// nop-editor: html-attributes go into a new dictionary with Add, then "class" = "form-control" is Add-ed for a string
/// model (or asp-render-form-control-class="true"): an html-attributes object carrying class on a string editor throws
/// ArgumentException "An item with the same key has already been added. Key: class", as in nopCommerce. Then
/// IHtmlHelper.Editor(name, asp-template, { htmlAttributes, postfix }).
/// </summary>
public class NopEditorTagHelperStandIn : TagHelper
{
    private readonly IHtmlHelper _htmlHelper;

    public NopEditorTagHelperStandIn(IHtmlHelper htmlHelper) => _htmlHelper = htmlHelper;

    public Microsoft.AspNetCore.Mvc.ViewFeatures.ModelExpression For { get; set; }
    public object CustomHtmlAttributes { get; set; }
    public string IsRequired { get; set; }
    public string RenderFormControlClass { get; set; }
    public string Template { get; set; }
    public string Postfix { get; set; }
    [HtmlAttributeNotBound, ViewContext] public ViewContext ViewContext { get; set; }

    public override Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        output.SuppressOutput();

        var htmlAttributes = new Dictionary<string, object>();
        foreach (var (key, value) in HtmlHelper.AnonymousObjectToHtmlAttributes(CustomHtmlAttributes))
            htmlAttributes.Add(key, value);

        if (bool.TryParse(IsRequired, out var required) && required)
        {
            output.PreElement.SetHtmlContent("<div class='input-group input-group-required'>");
            output.PostElement.SetHtmlContent("<div class=\"input-group-btn\"><span class=\"required\">*</span></div></div>");
        }

        ((IViewContextAware)_htmlHelper).Contextualize(ViewContext);

        _ = bool.TryParse(RenderFormControlClass, out var renderFormControlClass);
        if ((string.IsNullOrEmpty(RenderFormControlClass) && For.Metadata.ModelType == typeof(string)) || renderFormControlClass)
            htmlAttributes.Add("class", "form-control");

        // an indexed name (Credentials[0].Username) is put into ViewData under its full name first
        if (!_htmlHelper.ViewData.ContainsKey(For.Name) && Regex.IsMatch(For.Name, @"(?=\[\w+\]\.)"))
        {
            var prefix = _htmlHelper.ViewData.TemplateInfo.HtmlFieldPrefix;
            _htmlHelper.ViewData.Add(string.IsNullOrEmpty(prefix) ? For.Name : $"{prefix}.{For.Name}", For.Model);
        }

        output.Content.SetHtmlContent(_htmlHelper.Editor(For.Name, Template, new { htmlAttributes, postfix = Postfix }));
        return Task.CompletedTask;
    }
}

/// <summary>
/// nop-select: every attribute but asp-for, asp-for-name, asp-items, asp-multiple and asp-required becomes an HTML
/// attribute (Add); an int or string model goes through the editor template Select / SelectString (MultiSelect... with
/// asp-multiple), with the items and the admin's minimum number of items for search in ViewData; other types get a plain
/// DropDownList with "form-control" added to class.
/// </summary>
public class NopSelectTagHelperStandIn : TagHelper
{
    /// <summary>nopCommerce's AdminAreaSettings.MinimumDropdownItemsForSearch default</summary>
    public const int MinimumDropdownItemsForSearch = 50;

    private readonly IHtmlHelper _htmlHelper;

    public NopSelectTagHelperStandIn(IHtmlHelper htmlHelper) => _htmlHelper = htmlHelper;

    public Microsoft.AspNetCore.Mvc.ViewFeatures.ModelExpression For { get; set; }
    public string Name { get; set; }
    public IEnumerable<SelectListItem> Items { get; set; }
    public string IsMultiple { get; set; }
    public string IsRequired { get; set; }
    [HtmlAttributeNotBound, ViewContext] public ViewContext ViewContext { get; set; }

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        output.SuppressOutput();

        if (bool.TryParse(IsRequired, out var required) && required)
        {
            output.PreElement.SetHtmlContent("<div class='input-group input-group-required'>");
            output.PostElement.SetHtmlContent("<div class=\"input-group-btn\"><span class=\"required\">*</span></div></div>");
        }

        ((IViewContextAware)_htmlHelper).Contextualize(ViewContext);

        var bound = new[] { "asp-for", "asp-for-name", "asp-items", "asp-multiple", "asp-required" };
        var htmlAttributes = new Dictionary<string, object>();
        foreach (var attribute in context.AllAttributes.Where(a => !bound.Contains(a.Name)))
            htmlAttributes.Add(attribute.Name, attribute.Value);

        var name = For != null ? For.Name : Name;
        if (string.IsNullOrEmpty(name))
            return;

        var template = bool.TryParse(IsMultiple, out var multiple) && multiple ? "MultiSelect" : "Select";
        var modelType = For?.ModelExplorer.ModelType;
        var additionalData = new { htmlAttributes, SelectList = Items, MinimumItemsForSearch = MinimumDropdownItemsForSearch };
        IHtmlContent select;
        if (modelType is null || modelType == typeof(string) || modelType == typeof(List<string>))
            select = _htmlHelper.Editor(name, template + "String", additionalData);
        else if (modelType == typeof(int) || modelType == typeof(List<int>))
            select = _htmlHelper.Editor(name, template, additionalData);
        else
        {
            if (!htmlAttributes.TryAdd("class", "form-control"))
                htmlAttributes["class"] += " form-control";
            select = _htmlHelper.DropDownList(name, Items, htmlAttributes);
        }

        await using var writer = new StringWriter();
        select.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        output.Content.SetHtmlContent(writer.ToString());
    }
}

/// <summary>
/// nop-label: the label text is the locale resource of the property's [NopResourceDisplayName] (the key itself when the
/// resource is missing, as nopCommerce's GetResourceAsync answers), a label.col-form-label in a div.label-wrapper, and
/// the resource "{key}.Hint" as a tooltip icon when it exists
/// </summary>
public class NopLabelTagHelperStandIn : TagHelper
{
    private readonly IHtmlGenerator _generator;

    public NopLabelTagHelperStandIn(IHtmlGenerator generator) => _generator = generator;

    public Microsoft.AspNetCore.Mvc.ViewFeatures.ModelExpression For { get; set; }
    public bool DisplayHint { get; set; } = true;
    [HtmlAttributeNotBound, ViewContext] public ViewContext ViewContext { get; set; }

    public override Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        string resourceName = null, resourceValue = null;
        var type = For.Metadata.ContainerType;
        var propertyName = For.Metadata.Name;
        if (type != null && !string.IsNullOrEmpty(propertyName))
        {
            // the reference declares the attribute without its ResourceKey: the key is its constructor's argument
            resourceName = type.GetProperty(propertyName)?.GetCustomAttributesData()
                .FirstOrDefault(a => a.AttributeType == typeof(NopResourceDisplayNameAttribute))?.ConstructorArguments[0].Value as string;
            if (!string.IsNullOrEmpty(resourceName))
                resourceValue = HarnessResources.Get(resourceName) ?? resourceName;
        }

        var label = _generator.GenerateLabel(ViewContext, For.ModelExplorer, For.Name, resourceValue, new { @class = "col-form-label" });
        if (label == null)
            return Task.CompletedTask;

        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", output.Attributes.ContainsName("class") ? $"{output.Attributes["class"].Value} label-wrapper" : "label-wrapper");
        output.Content.SetHtmlContent(label);
        if (DisplayHint && !string.IsNullOrEmpty(resourceName) && HarnessResources.Get(resourceName + ".Hint") is { Length: > 0 } hint)
            output.Content.AppendHtml($"<div title='{WebUtility.HtmlEncode(hint)}' data-toggle='tooltip' class='ico-help'><i class='fas fa-circle-question'></i></div>");

        return Task.CompletedTask;
    }
}

/// <summary>
/// nop-override-store-checkbox: nothing for "all stores" (scope 0); in a store's scope a checkbox (with MVC's hidden
/// "false" input) of class multi-store-override-option whose onclick calls admin.common.js's checkOverriddenStoreValue
/// with the selector of the inputs it governs (asp-input, asp-input2, or every input of asp-parent-container)
/// </summary>
public class NopOverrideStoreCheckboxHelperStandIn : TagHelper
{
    private readonly IHtmlHelper _htmlHelper;

    public NopOverrideStoreCheckboxHelperStandIn(IHtmlHelper htmlHelper) => _htmlHelper = htmlHelper;

    public Microsoft.AspNetCore.Mvc.ViewFeatures.ModelExpression For { get; set; }
    public Microsoft.AspNetCore.Mvc.ViewFeatures.ModelExpression Input { get; set; }
    public Microsoft.AspNetCore.Mvc.ViewFeatures.ModelExpression Input2 { get; set; }
    public string ParentContainer { get; set; }
    public int StoreScope { get; set; }
    [HtmlAttributeNotBound, ViewContext] public ViewContext ViewContext { get; set; }

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        output.SuppressOutput();
        if (StoreScope <= 0)
            return;

        ((IViewContextAware)_htmlHelper).Contextualize(ViewContext);

        var ids = new[] { Input, Input2 }.Where(i => i != null).Select(i => _htmlHelper.Id(i.Name)).ToList();
        var selector = string.IsNullOrEmpty(ParentContainer)
            ? ""
            : $"#{ParentContainer} input, #{ParentContainer} textarea, #{ParentContainer} select";
        if (ids.Any())
            selector = "#" + string.Join(", #", ids);

        var checkbox = _htmlHelper.CheckBox(For.Name, null, new
        {
            @class = "multi-store-override-option",
            onclick = $"checkOverriddenStoreValue(this, '{selector}')",
            data_for_input_selector = selector
        });
        await using var writer = new StringWriter();
        checkbox.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        output.Content.SetHtmlContent(writer.ToString());
    }
}
