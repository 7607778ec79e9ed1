using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetArchTest.Rules;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Foundation;

/// <summary>
/// The rules the plugin's design rests on, checked on the compiled plugin (NetArchTest) and on its sources (Roslyn): the
/// Klarna API client knows no nopCommerce, the order engine's policy does no I/O, controllers and views never call Klarna
/// directly, namespaces follow folders, no class over about 400 lines and no file over 500
/// </summary>
[TestFixture]
public class ArchitectureTests
{
    public const int MaxClassLines = 400;
    public const int MaxFileLines = 500;

    private const string Plugin = "Nop.Plugin.Payments.Klarna";
    private const string Api = Plugin + ".Services.Api";

    private static Types PluginTypes => Types.InAssembly(typeof(KlarnaPaymentMethod).Assembly);

    public static string PluginDirectory => RepositoryPaths.Combine(Plugin);

    public static IEnumerable<string> PluginSources() => Directory.EnumerateFiles(PluginDirectory, "*.cs", SearchOption.AllDirectories)
        .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
        .OrderBy(path => path, StringComparer.Ordinal);

    public static string Relative(string path) => Path.GetRelativePath(PluginDirectory, path).Replace(Path.DirectorySeparatorChar, '/');

    private static string Describe(TestResult result) => result.IsSuccessful ? string.Empty : string.Join(", ", result.FailingTypeNames ?? new List<string>());

    [Test]
    public void The_Klarna_API_client_references_no_nopCommerce_assembly_and_no_other_part_of_the_plugin()
    {
        var result = PluginTypes.That().ResideInNamespace(Api).ShouldNot()
            .HaveDependencyOnAny("Nop.Core", "Nop.Data", "Nop.Services", "Nop.Web", "Nop.Web.Framework",
                Plugin + ".Domain", Plugin + ".Data", Plugin + ".Factories", Plugin + ".Models", Plugin + ".Controllers", Plugin + ".Components",
                Plugin + ".Infrastructure", Plugin + ".Localization", Plugin + ".Validators", Plugin + ".Services.Checkout",
                Plugin + ".Services.OrderManagement", Plugin + ".Services.StatusSync", Plugin + ".Services.Records", Plugin + ".Services.Connection",
                Plugin + ".KlarnaDefaults", Plugin + ".KlarnaSettings", Plugin + ".KlarnaPaymentMethod")
            .GetResult();

        Assert.That(result.IsSuccessful, Is.True, Describe(result));
        var usings = Directory.EnumerateFiles(Path.Combine(PluginDirectory, "Services", "Api"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(path => File.ReadLines(path).Select(line => (path, line)))
            .Where(item => System.Text.RegularExpressions.Regex.IsMatch(item.line, @"^\s*using\s+Nop\.(Core|Data|Services|Web)"))
            .Select(item => $"{Relative(item.path)}: {item.line.Trim()}");
        Assert.That(usings, Is.Empty);
    }

    [Test]
    public void The_order_engines_policy_does_no_IO()
    {
        var result = PluginTypes.That()
            .HaveNameStartingWith("KlarnaOrderPolicy").Or().HaveNameStartingWith("KlarnaLinePolicy").Or().HaveNameStartingWith("KlarnaSettlementPolicy")
            .Or().HaveNameStartingWith("KlarnaOrderLineMath").Or().HaveNameStartingWith("KlarnaOrderDecision")
            .ShouldNot()
            .HaveDependencyOnAny("Nop.Data", "Nop.Services", "Nop.Web", "Nop.Core.Caching", "System.Net.Http", "System.IO",
                "Microsoft.EntityFrameworkCore", Api + ".IKlarnaApiClient", Api + ".KlarnaApiClient", Plugin + ".Services.Records",
                "Nop.Core.IWorkContext", "Nop.Core.IStoreContext")
            .GetResult();

        Assert.That(result.IsSuccessful, Is.True, Describe(result));
        Assert.That(PluginTypes.That().HaveNameStartingWith("KlarnaOrderPolicy").GetTypes(), Is.Not.Empty, "the policy exists");
    }

    [Test]
    public void Controllers_and_view_components_never_call_the_Klarna_client_directly()
    {
        var result = PluginTypes.That().ResideInNamespace(Plugin + ".Controllers").Or().ResideInNamespace(Plugin + ".Components")
            .Or().ResideInNamespace(Plugin + ".Factories")
            .ShouldNot().HaveDependencyOnAny(Api + ".IKlarnaApiClient", Api + ".KlarnaApiClient", Api + ".Requests")
            .GetResult();

        Assert.That(result.IsSuccessful, Is.True, Describe(result));
    }

    [Test]
    public void Views_never_call_the_Klarna_client_directly()
    {
        var offenders = Directory.EnumerateFiles(Path.Combine(PluginDirectory, "Views"), "*.cshtml", SearchOption.AllDirectories)
            .Where(path => File.ReadAllText(path) is var view && (view.Contains("IKlarnaApiClient", StringComparison.Ordinal)
                || view.Contains("Services.Api", StringComparison.Ordinal)
                || System.Text.RegularExpressions.Regex.IsMatch(view, @"@inject\s+\S*Klarna")))
            .Select(Relative);

        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void Namespaces_follow_folders_in_the_plugin_and_its_tests()
    {
        var offenders = new List<string>();
        foreach (var (root, rootNamespace) in new[] { (PluginDirectory, Plugin), (RepositoryPaths.Combine(Plugin + ".Tests"), Plugin + ".Tests") })
        {
            foreach (var path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                         .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")))
            {
                var folder = Path.GetDirectoryName(Path.GetRelativePath(root, path))!;
                var expected = string.IsNullOrEmpty(folder) ? rootNamespace : $"{rootNamespace}.{folder.Replace(Path.DirectorySeparatorChar, '.')}";
                var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path));
                foreach (var declared in tree.GetRoot().DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Name.ToString()))
                {
                    if (declared != expected)
                        offenders.Add($"{Path.GetRelativePath(RepositoryPaths.Root, path)}: namespace {declared}, folder says {expected}");
                }
            }
        }

        Assert.That(offenders, Is.Empty);
    }

    /// <summary>
    /// Gets every class, record and struct of the plugin with its length in lines (declaration to closing brace)
    /// </summary>
    public static IEnumerable<(string File, string Type, int Lines)> TypeLengths()
    {
        foreach (var path in PluginSources())
        {
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path));
            foreach (var type in tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
            {
                var span = type.GetLocation().GetLineSpan();
                yield return (Relative(path), type.Identifier.Text, span.EndLinePosition.Line - span.StartLinePosition.Line + 1);
            }
        }
    }

    [Test]
    public void The_plugin_holds_no_static_mutable_state_no_AsyncLocal_and_no_mutant()
    {
        const BindingFlags declared = BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var types = typeof(KlarnaPaymentMethod).Assembly.GetTypes();
        var userTypes = types.Where(type => !type.IsDefined(typeof(CompilerGeneratedAttribute), false) && !type.Name.StartsWith('<')).ToList();
        var fields = userTypes.SelectMany(type => type.GetFields(declared).Select(field => (Type: type, Field: field))).ToList();

        var mutableStatics = fields.Where(f => f.Field.IsStatic && !f.Field.IsInitOnly && !f.Field.IsLiteral).Select(f => $"{f.Type.FullName}.{f.Field.Name}");
        var ambient = fields.Where(f => f.Field.FieldType.IsGenericType && f.Field.FieldType.GetGenericTypeDefinition() is var generic
            && (generic == typeof(AsyncLocal<>) || generic == typeof(ThreadLocal<>))).Select(f => $"{f.Type.FullName}.{f.Field.Name}");
        var mutants = types.Where(type => type.Name.Contains("Mutant", StringComparison.OrdinalIgnoreCase)).Select(type => type.FullName);

        Assert.Multiple(() =>
        {
            Assert.That(mutableStatics, Is.Empty, "static fields that are neither readonly nor const");
            Assert.That(ambient, Is.Empty, "AsyncLocal / ThreadLocal fields");
            Assert.That(mutants, Is.Empty, "mutant code in the shipped plugin (the mutants live in Tests/ModelBased/Mutants)");
        });
    }

    [Test]
    public void No_class_of_the_plugin_is_over_about_400_lines()
    {
        var offenders = TypeLengths().Where(t => t.Lines > MaxClassLines).Select(t => $"{t.File}: {t.Type} ({t.Lines})");

        Assert.That(offenders, Is.Empty, "classes over " + MaxClassLines + " lines");
    }

    [Test]
    public void No_source_file_of_the_plugin_is_over_500_lines()
    {
        var offenders = PluginSources().Select(path => (File: Relative(path), Lines: File.ReadAllLines(path).Length))
            .Where(f => f.Lines > MaxFileLines).Select(f => $"{f.File} ({f.Lines})");

        Assert.That(offenders, Is.Empty);
    }

    /// <summary>
    /// Texts of the plugin that are not for a person to read in their language: Klarna's API (requests, exceptions for the
    /// log), the locale resources themselves and the carriers' proper names (Klarna's shipping_company values)
    /// </summary>
    private static readonly string[] _notForAPerson =
    {
        "Services/Api/", "Localization/KlarnaLocaleResources.cs", "Localization/KlarnaOrderEngineResources.cs", "Services/OrderManagement/KlarnaCarrierNames.cs"
    };

    /// <summary>
    /// Names nopCommerce stores as data, in English as in nopCommerce's own plugins: the schedule task's name and the keys
    /// of the order's custom values
    /// </summary>
    private const string NopDataNames = "KlarnaDefaults.cs";

    private static readonly string[] _logAndExceptionCalls =
    {
        "InsertLogAsync", "InformationAsync", "WarningAsync", "Warning", "ErrorAsync", "LogDebug", "LogInformation", "LogWarning", "LogError", "LogTrace",
        "LogCritical", "Log", "WriteLine", "Fail", "SafelyAsync", "ToString"
    };

    /// <summary>
    /// A string literal or interpolated string with English words in it (two words in a row) is text a person could read
    /// </summary>
    private static bool IsEnglish(string text) => System.Text.RegularExpressions.Regex.IsMatch(text, "[A-Za-z]{2,}[,;:]?\\s+[A-Za-z]{2,}");

    private static bool IsForTheLogOrAnException(SyntaxNode node) => node.Ancestors().Any(a =>
        a is AttributeSyntax
        || a is ThrowExpressionSyntax or ThrowStatementSyntax
        || (a is ObjectCreationExpressionSyntax creation && creation.Type.ToString().EndsWith("Exception", StringComparison.Ordinal))
        || (a is InvocationExpressionSyntax invocation && _logAndExceptionCalls.Contains((invocation.Expression as MemberAccessExpressionSyntax)?.Name.Identifier.Text
            ?? (invocation.Expression as IdentifierNameSyntax)?.Identifier.Text)));

    [Test]
    public void No_service_builds_user_visible_English_every_text_comes_from_the_locale_resources()
    {
        var offenders = new List<string>();
        foreach (var path in PluginSources())
        {
            var file = Relative(path);
            if (_notForAPerson.Any(file.StartsWith) || file == NopDataNames)
                continue;
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot();
            foreach (var node in root.DescendantNodes().Where(n => n is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } or InterpolatedStringExpressionSyntax))
            {
                var text = node is InterpolatedStringExpressionSyntax interpolated
                    ? string.Concat(interpolated.Contents.OfType<InterpolatedStringTextSyntax>().Select(t => t.TextToken.ValueText))
                    : ((LiteralExpressionSyntax)node).Token.ValueText;
                if (IsEnglish(text) && !IsForTheLogOrAnException(node))
                    offenders.Add($"{file}:{node.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {text}");
            }
        }

        Assert.That(string.Join(Environment.NewLine, offenders), Is.Empty, "English built in code (take it from the locale resources)");
    }
}
