using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Connection;

[TestFixture]
public class KlarnaApiUrlOverrideTests
{
    [TestCase("http://127.0.0.1:5099/", true)]
    [TestCase(" https://sandbox.example/klarna/ ", true)]
    [TestCase("ftp://sandbox.example/", false)]
    [TestCase("javascript:alert(1)", false)]
    [TestCase("/relative/", false)]
    [TestCase("https://user:pw@sandbox.example/", false)]
    [TestCase("https://sandbox.example/?token=1", false)]
    [TestCase("https://sandbox.example/#part", false)]
    public void IsWellFormed_accepts_only_absolute_http_addresses_without_credentials_query_or_fragment(string url, bool expected)
    {
        Assert.That(KlarnaApiUrlOverride.IsWellFormed(url), Is.EqualTo(expected));
    }

    [Test]
    public void Only_the_playground_may_use_an_override()
    {
        Assert.That(Enum.GetValues<KlarnaEnvironment>().Where(KlarnaApiUrlOverride.IsAllowedIn), Is.EqualTo(new[] { KlarnaEnvironment.Playground }));
    }

    [TestCase("https://user:pw@proxy.example:8443/klarna/?token=abc#x", "https://proxy.example:8443/klarna/")]
    [TestCase("not an address", "?")]
    [TestCase(null, "?")]
    public void ForLog_keeps_scheme_host_port_and_path_only(string url, string expected)
    {
        Assert.That(KlarnaApiUrlOverride.ForLog(url), Is.EqualTo(expected));
    }

    [TestCase(null, null)]
    [TestCase("   ", null)]
    [TestCase(" http://127.0.0.1:5099/ ", "http://127.0.0.1:5099/")]
    public void Normalize_trims_and_gives_null_for_none(string url, string expected)
    {
        Assert.That(KlarnaApiUrlOverride.Normalize(url), Is.EqualTo(expected));
    }
}
