using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Razor.Extensions;
using Microsoft.AspNetCore.Razor.Language;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Razor;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// Compiles the plugin's views the way nopCommerce's runtime compilation does: Razor's language engine with the MVC extensions
/// and the plugin's own _ViewImports generates C#, then Roslyn compiles it against the plugin assembly, build/NopReference and
/// the ASP.NET Core reference assemblies. The views are placed at ~/Plugins/Payments.Klarna/Views/... as in a shop.
/// </summary>
public sealed class RazorViewCompiler
{
    #region Fields

    public const string PluginViewRoot = "/Plugins/Payments.Klarna";

    #endregion

    #region Nested types

    public sealed record ViewSource(string Path, string GeneratedCode, IReadOnlyList<RazorDiagnostic> RazorErrors);

    public sealed record Result(IReadOnlyList<ViewSource> Views, IReadOnlyList<Diagnostic> CSharpErrors, byte[] AssemblyBytes)
    {
        public IEnumerable<string> AllErrors =>
            Views.SelectMany(v => v.RazorErrors.Select(e => $"{v.Path}: {e.GetMessage()} ({e.Span})"))
                .Concat(CSharpErrors.Select(d => $"{d.Location.GetMappedLineSpan().Path}({d.Location.GetMappedLineSpan().StartLinePosition.Line + 1}): {d.Id} {d.GetMessage()}"));
    }

    /// <summary>
    /// Gives the names nopCommerce's tag helpers really have (their [HtmlTargetElement] attributes are in the API selection,
    /// the reference declarations keep only member attributes)
    /// </summary>
    private sealed class NopTargetElementProvider : RazorEngineFeatureBase, ITagHelperDescriptorProvider
    {
        private readonly IReadOnlyDictionary<string, (string Tag, string[] Attributes, bool WithoutEndTag)> _targets;

        public NopTargetElementProvider(IReadOnlyDictionary<string, (string, string[], bool)> targets) => _targets = targets;

        public int Order => 10_000;

        public void Execute(TagHelperDescriptorProviderContext context)
        {
            foreach (var descriptor in context.Results.ToList())
            {
                if (!_targets.TryGetValue(descriptor.GetTypeName() ?? descriptor.Name, out var target))
                    continue;

                var builder = TagHelperDescriptorBuilder.Create(descriptor.Kind, descriptor.Name, descriptor.AssemblyName);
                builder.DisplayName = descriptor.DisplayName;
                builder.Documentation = descriptor.Documentation;
                foreach (var pair in descriptor.Metadata)
                    builder.Metadata[pair.Key] = pair.Value;
                foreach (var attribute in descriptor.BoundAttributes)
                {
                    builder.BindAttribute(b =>
                    {
                        b.Name = attribute.Name;
                        b.TypeName = attribute.TypeName;
                        b.IsEnum = attribute.IsEnum;
                        b.DisplayName = attribute.DisplayName;
                        b.Documentation = attribute.Documentation;
                        foreach (var pair in attribute.Metadata)
                            b.Metadata[pair.Key] = pair.Value;
                    });
                }
                builder.TagMatchingRule(rule =>
                {
                    rule.TagName = target.Tag;
                    rule.TagStructure = target.WithoutEndTag ? TagStructure.WithoutEndTag : TagStructure.Unspecified;
                    foreach (var required in target.Attributes)
                        rule.Attribute(a => a.Name = required);
                });
                context.Results.Remove(descriptor);
                context.Results.Add(builder.Build());
            }
        }
    }

    #endregion

    #region Utilities

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Nop.Plugin.Payments.Klarna.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Repository root not found");
        }
    }

    public static string PluginDirectory => Path.Combine(RepositoryRoot, "Nop.Plugin.Payments.Klarna");

    /// <summary>
    /// Reads the class-level [HtmlTargetElement] declarations of nopCommerce's tag helpers from the API selection
    /// </summary>
    public static IReadOnlyDictionary<string, (string, string[], bool)> ReadNopTagHelperTargets()
    {
        var targets = new Dictionary<string, (string, string[], bool)>();
        var selection = Path.Combine(RepositoryRoot, "build", "NopReference", "api-selection.txt");
        // the tag is a literal ([HtmlTargetElement("nop-editor", ...)]) or a constant of the type ([HtmlTargetElement(SCRIPT_TAG_NAME)])
        var pattern = new Regex(@"^(?<type>\S+) \| attribute \| \[HtmlTargetElement\((""(?<tag>[^""]+)""|(?<tagConstant>[A-Z_]+))(?<rest>[^\]]*)\)\]$");
        foreach (var line in File.ReadLines(selection))
        {
            var match = pattern.Match(line);
            if (!match.Success)
                continue;

            var type = match.Groups["type"].Value;
            var rest = match.Groups["rest"].Value;

            // a constant's value is declared in the same selection: "<type> | const | protected const string X = "asp-for""
            string ConstantValue(string name) => File.ReadLines(selection).Select(l => Regex.Match(l,
                    $@"^{Regex.Escape(type)} \| const \| .*const string {name} = ""(?<v>[^""]+)""$"))
                .FirstOrDefault(m => m.Success)?.Groups["v"].Value;

            var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : ConstantValue(match.Groups["tagConstant"].Value);
            if (tag == null)
                continue;

            var attributes = new List<string>();
            var attributeConstant = Regex.Match(rest, @"Attributes = (?<c>[A-Z_]+)");
            if (attributeConstant.Success && ConstantValue(attributeConstant.Groups["c"].Value) is { } required)
                attributes.Add(required);
            targets[type] = (tag, attributes.ToArray(), rest.Contains("TagStructure.WithoutEndTag"));
        }

        return targets;
    }

    /// <summary>
    /// Gets the assemblies the views compile against
    /// </summary>
    /// <param name="runningFramework">Compile against the reference assemblies of the running .NET (for views executed in a test host) instead of net9.0's</param>
    public static IReadOnlyList<MetadataReference> GetReferences(bool runningFramework = false)
    {
        var nuget = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var paths = new List<string>();

        // the shared framework reference assemblies nopCommerce 4.90 (net9.0) compiles views against; the SDK's own as fallback
        foreach (var pack in new[] { "microsoft.netcore.app.ref", "microsoft.aspnetcore.app.ref" })
        {
            var dir = !runningFramework && Directory.Exists(Path.Combine(nuget, pack))
                ? Directory.GetDirectories(Path.Combine(nuget, pack)).Where(d => Path.GetFileName(d).StartsWith("9.")).OrderBy(d => d).LastOrDefault()
                : null;
            var refDir = dir == null ? null : Path.Combine(dir, "ref", "net9.0");
            if (refDir == null || !Directory.Exists(refDir))
            {
                var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
                var packName = pack.StartsWith("microsoft.netcore") ? "Microsoft.NETCore.App.Ref" : "Microsoft.AspNetCore.App.Ref";
                var running = $"net{Environment.Version.Major}.0";
                var versionDir = Directory.GetDirectories(Path.Combine(dotnetRoot, "packs", packName))
                    .Where(d => Directory.Exists(Path.Combine(d, "ref", running))).OrderBy(d => d).Last();
                refDir = Path.Combine(versionDir, "ref", running);
            }
            paths.AddRange(Directory.GetFiles(refDir, "*.dll"));
        }

        // the plugin and the nopCommerce reference (plus the packages nopCommerce ships that the plugin compiles against)
        var output = AppContext.BaseDirectory;
        foreach (var name in new[] { "Nop.Plugin.Payments.Klarna", "Nop.Core", "Nop.Data", "Nop.Services", "Nop.Web.Framework", "Newtonsoft.Json", "FluentValidation" })
            paths.Add(Path.Combine(output, name + ".dll"));

        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    }

    #endregion

    #region Methods

    /// <summary>
    /// Generates and compiles every view of the plugin
    /// </summary>
    /// <param name="rewriteGeneratedCode">Optional rewrite of the generated C# (the browser harness swaps nopCommerce's page base and card tag helper for test stand-ins)</param>
    /// <param name="extraReferences">Optional extra references (the assembly of those stand-ins)</param>
    /// <returns>The generated sources, the errors and the compiled assembly (when there were no errors)</returns>
    /// <param name="shopViewsDirectory">Optional folder of views laid out as in nopCommerce's Nop.Web (Views/..., Areas/Admin/Views/...) compiled along (the browser harness's stand-ins of nopCommerce's layouts, pages and editor templates)</param>
    public static Result CompileAll(Func<string, string> rewriteGeneratedCode = null, IEnumerable<MetadataReference> extraReferences = null, bool runningFramework = false,
        string shopViewsDirectory = null)
    {
        // lay the views out as in a shop: <root>/Plugins/Payments.Klarna/Views/...
        var root = Path.Combine(Path.GetTempPath(), "klarna-views-" + Guid.NewGuid().ToString("N"));
        var viewsSource = Path.Combine(PluginDirectory, "Views");
        foreach (var file in Directory.GetFiles(viewsSource, "*.cshtml", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, "Plugins", "Payments.Klarna", "Views", Path.GetRelativePath(viewsSource, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        foreach (var file in shopViewsDirectory == null ? Array.Empty<string>() : Directory.GetFiles(shopViewsDirectory, "*.cshtml", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(shopViewsDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        try
        {
            var references = GetReferences(runningFramework);
            var fileSystem = RazorProjectFileSystem.Create(root);
            var configuration = RazorConfiguration.Create(RazorLanguageVersion.Latest, "MVC-3.0", Array.Empty<RazorExtension>());
            var engine = RazorProjectEngine.Create(configuration, fileSystem, builder =>
            {
                RazorExtensions.Register(builder);
                builder.Features.Add(new DefaultMetadataReferenceFeature { References = references });
                builder.Features.Add(new CompilationTagHelperFeature());
                builder.Features.Add(new DefaultTagHelperDescriptorProvider());
                builder.Features.Add(new NopTargetElementProvider(ReadNopTagHelperTargets()));
                CompilerFeatures.Register(builder);
            });

            var views = new List<ViewSource>();
            foreach (var item in fileSystem.EnumerateItems("/").Where(i => !i.FileName.StartsWith("_ViewImports", StringComparison.Ordinal)))
            {
                var document = engine.Process(item).GetCSharpDocument();
                views.Add(new ViewSource(item.FilePath, document.GeneratedCode,
                    document.Diagnostics.Where(d => d.Severity == RazorDiagnosticSeverity.Error).ToList()));
            }

            var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
            var trees = views.Select(v => CSharpSyntaxTree.ParseText(rewriteGeneratedCode?.Invoke(v.GeneratedCode) ?? v.GeneratedCode, parseOptions, path: v.Path)).ToList();
            var compilation = CSharpCompilation.Create("Nop.Plugin.Payments.Klarna.Views." + Guid.NewGuid().ToString("N"), trees,
                references.Concat(extraReferences ?? Enumerable.Empty<MetadataReference>()),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

            byte[] bytes = null;
            if (errors.Count == 0)
            {
                using var stream = new MemoryStream();
                var emit = compilation.Emit(stream);
                errors.AddRange(emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
                bytes = emit.Success ? stream.ToArray() : null;
            }

            return new Result(views, errors, bytes);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    #endregion
}
