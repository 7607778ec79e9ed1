using Nop.Plugin.Payments.Klarna.Services.Api;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Api;

[TestFixture]
public class KlarnaCredentialsTests
{
    [TestCase(KlarnaRegion.Europe, KlarnaEnvironment.Production, "https://api.klarna.com/")]
    [TestCase(KlarnaRegion.Europe, KlarnaEnvironment.Playground, "https://api.playground.klarna.com/")]
    [TestCase(KlarnaRegion.NorthAmerica, KlarnaEnvironment.Production, "https://api-na.klarna.com/")]
    [TestCase(KlarnaRegion.NorthAmerica, KlarnaEnvironment.Playground, "https://api-na.playground.klarna.com/")]
    [TestCase(KlarnaRegion.Oceania, KlarnaEnvironment.Production, "https://api-oc.klarna.com/")]
    [TestCase(KlarnaRegion.Oceania, KlarnaEnvironment.Playground, "https://api-oc.playground.klarna.com/")]
    public void BaseUri_selects_klarna_host_by_region_and_environment(KlarnaRegion region, KlarnaEnvironment environment, string expected)
    {
        // Arrange
        var credentials = new KlarnaCredentials { Region = region, Environment = environment };

        // Act
        var baseUri = credentials.BaseUri;

        // Assert
        Assert.That(baseUri.ToString(), Is.EqualTo(expected));
    }

    [TestCase("http://127.0.0.1:5099", "http://127.0.0.1:5099/")]
    [TestCase("http://127.0.0.1:5099/", "http://127.0.0.1:5099/")]
    [TestCase(" http://localhost:1/klarna ", "http://localhost:1/klarna/")]
    public void BaseUri_uses_the_override_and_always_ends_with_a_slash(string overrideUrl, string expected)
    {
        // Arrange
        var credentials = new KlarnaCredentials { Region = KlarnaRegion.Oceania, BaseUrlOverride = overrideUrl };

        // Act
        var baseUri = credentials.BaseUri;

        // Assert
        Assert.That(baseUri.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void ToString_never_contains_the_password()
    {
        // Arrange
        var credentials = new KlarnaCredentials { Username = "PK1234_abc", Password = "klarna_test_api_SECRET", Region = KlarnaRegion.Europe };

        // Act
        var text = credentials.ToString();

        // Assert
        Assert.That(text, Does.Contain("PK1234_abc"));
        Assert.That(text, Does.Not.Contain("SECRET"));
    }
}
