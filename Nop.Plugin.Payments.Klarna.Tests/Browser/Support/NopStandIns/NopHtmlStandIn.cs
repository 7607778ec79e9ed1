using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Http;
using Nop.Web.Framework.UI;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser.Support.NopStandIns;

/// <summary>
/// Test stand-in for nopCommerce 4.90's NopHtmlHelper (one per request): script parts per location (Append* puts a part
/// first, Add* last), inline script parts (a repeated script is kept once), CSS parts, rendered by the layout. With
/// JavaScript bundling on, the local scripts of a location become one bundle, rendered before the external ones, as
/// nopCommerce does.
/// </summary>
public sealed class NopHtmlStandIn : INopHtmlHelper
{
    private readonly Dictionary<ResourceLocation, List<(string Src, bool IsLocal, bool ExcludeFromBundle)>> _scripts = new();
    private readonly Dictionary<ResourceLocation, List<string>> _inlineScripts = new();
    private readonly List<string> _css = new();
    private readonly IHttpContextAccessor _httpContextAccessor;
    private readonly NopShopOptions _options;

    public NopHtmlStandIn(IHttpContextAccessor httpContextAccessor, NopShopOptions options)
    {
        _httpContextAccessor = httpContextAccessor;
        _options = options;
    }

    /// <summary>
    /// Gets the bundles made so far: URL path to the local sources it concatenates
    /// </summary>
    public static ConcurrentDictionary<string, string[]> Bundles { get; } = new();

    private static (string Url, bool IsLocal) Resolve(string src)
    {
        // nopCommerce: IUrlHelper.IsLocalUrl ("~/..." or "/..."), application-relative paths resolved
        var isLocal = src.StartsWith("~/", StringComparison.Ordinal) || (src.StartsWith('/') && !src.StartsWith("//", StringComparison.Ordinal));
        return (isLocal && src.StartsWith('~') ? src[1..] : src, isLocal);
    }

    private List<(string Src, bool IsLocal, bool ExcludeFromBundle)> Scripts(ResourceLocation location)
    {
        if (!_scripts.TryGetValue(location, out var list))
            _scripts[location] = list = new();
        return list;
    }

    public void AddScriptParts(ResourceLocation location, string src, string debugSrc = "", bool excludeFromBundle = false)
    {
        var list = Scripts(location);
        if (string.IsNullOrEmpty(src))
            return;

        var (url, isLocal) = Resolve(src);
        list.Add((url, isLocal, excludeFromBundle));
    }

    public void AppendScriptParts(ResourceLocation location, string src, string debugSrc = "", bool excludeFromBundle = false)
    {
        var list = Scripts(location);
        if (string.IsNullOrEmpty(src))
            return;

        var (url, isLocal) = Resolve(src);
        list.Insert(0, (url, isLocal, excludeFromBundle));
    }

    public void AddInlineScriptParts(ResourceLocation location, string script)
    {
        if (!_inlineScripts.TryGetValue(location, out var list))
            _inlineScripts[location] = list = new();
        if (!string.IsNullOrEmpty(script) && !list.Contains(script))
            list.Add(script);
    }

    public void AppendCssFileParts(string src, string debugSrc = "", bool excludeFromBundle = false)
    {
        if (!string.IsNullOrEmpty(src))
            _css.Insert(0, Resolve(src).Url);
    }

    public IHtmlContent GenerateScripts(ResourceLocation location)
    {
        if (!_scripts.TryGetValue(location, out var list))
            return HtmlString.Empty;

        var pathBase = _httpContextAccessor.HttpContext?.Request.PathBase ?? PathString.Empty;
        var html = new StringBuilder();
        if (_options.BundleJavaScript && list.Any(s => !s.ExcludeFromBundle))
        {
            var sources = list.Where(s => !s.ExcludeFromBundle && s.IsLocal).Select(s => s.Src).Distinct().ToArray();
            var key = "/js/bundle-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', sources))))[..16].ToLowerInvariant() + ".js";
            Bundles[key] = sources;
            html.Append($"<script type=\"text/javascript\" src=\"{pathBase}{key}\"></script>");
        }

        foreach (var script in list.Where(s => !_options.BundleJavaScript || s.ExcludeFromBundle || !s.IsLocal).Distinct())
            html.Append($"<script type=\"text/javascript\" src=\"{(script.IsLocal ? pathBase + script.Src : script.Src)}\"></script>").Append(Environment.NewLine);

        return new HtmlString(html.ToString());
    }

    public IHtmlContent GenerateInlineScripts(ResourceLocation location) =>
        _inlineScripts.TryGetValue(location, out var list) ? new HtmlString(string.Join(Environment.NewLine, list)) : HtmlString.Empty;

    public IHtmlContent GenerateCssFiles() =>
        new HtmlString(string.Concat(_css.Distinct().Select(href => $"<link href=\"{href}\" rel=\"stylesheet\" type=\"text/css\" />")));
}

/// <summary>
/// What the stand-in shop is set to (nopCommerce's appsettings)
/// </summary>
public sealed class NopShopOptions
{
    /// <summary>Gets or sets a value indicating whether JavaScript bundling is on (WebOptimizer's EnableJavaScriptBundling, on by default in nopCommerce 4.90)</summary>
    public bool BundleJavaScript { get; set; } = true;
}
