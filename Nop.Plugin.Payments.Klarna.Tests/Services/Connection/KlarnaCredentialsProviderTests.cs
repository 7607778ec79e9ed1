using Moq;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.Logging;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Configuration;
using Nop.Services.Logging;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Connection;

[TestFixture]
public class KlarnaCredentialsProviderTests
{
    private KlarnaSettings _settings;
    private Mock<ILogger> _logger;
    private KlarnaWarningThrottle _throttle;
    private KlarnaCredentialsProvider _provider;

    [SetUp]
    public void SetUp()
    {
        _settings = new KlarnaSettings
        {
            EuropePlaygroundUsername = "eu-test",
            EuropePlaygroundPassword = "eu-test-secret",
            NorthAmericaProductionUsername = " na-live ",
            NorthAmericaProductionPassword = "na-live-secret",
            Region = KlarnaRegion.NorthAmerica,
            Environment = KlarnaEnvironment.Production
        };
        var settingService = new Mock<ISettingService>();
        settingService.Setup(s => s.LoadSettingAsync<KlarnaSettings>(3)).ReturnsAsync(_settings);
        _logger = new Mock<ILogger>();
        _throttle = new KlarnaWarningThrottle(new TestTimeProvider());
        _provider = new KlarnaCredentialsProvider(_logger.Object, settingService.Object, _throttle);
    }

    private List<string> Warnings() => _logger.Invocations.Where(i => i.Method.Name == nameof(ILogger.Warning)).Select(i => (string)i.Arguments[0]).ToList();

    [Test]
    public async Task GetCredentialsAsync_uses_the_stores_region_and_environment()
    {
        var credentials = await _provider.GetCredentialsAsync(3);

        Assert.That((credentials.Username, credentials.Password, credentials.Region, credentials.Environment),
            Is.EqualTo(("na-live", "na-live-secret", KlarnaRegion.NorthAmerica, KlarnaEnvironment.Production)));
        Assert.That(credentials.BaseUrlOverride, Is.Null);
    }

    [Test]
    public async Task GetCredentialsAsync_for_an_existing_playground_orders_region_and_environment_takes_the_url_override()
    {
        _settings.ApiUrlOverride = " http://127.0.0.1:5099/ ";

        var credentials = await _provider.GetCredentialsAsync(3, KlarnaRegion.Europe, KlarnaEnvironment.Playground);

        Assert.That(credentials.Username, Is.EqualTo("eu-test"));
        Assert.That(credentials.BaseUrlOverride, Is.EqualTo("http://127.0.0.1:5099/"));
        Assert.That(_logger.Invocations, Is.Empty);
    }

    [Test]
    public async Task A_url_override_saved_for_production_is_ignored_so_live_requests_go_to_Klarna()
    {
        // Arrange: saved before the playground-only rule, or written into the database directly
        _settings.ApiUrlOverride = "http://127.0.0.1:5099/";

        // Act
        var credentials = await _provider.GetCredentialsAsync(3);

        // Assert
        Assert.That(credentials.BaseUrlOverride, Is.Null);
        Assert.That(credentials.BaseUri, Is.EqualTo(new Uri("https://api-na.klarna.com/")));
    }

    [Test]
    public async Task A_production_order_of_a_playground_shop_never_takes_the_url_override()
    {
        _settings.Environment = KlarnaEnvironment.Playground;
        _settings.ApiUrlOverride = "http://127.0.0.1:5099/";

        var credentials = await _provider.GetCredentialsAsync(3, KlarnaRegion.NorthAmerica, KlarnaEnvironment.Production);

        Assert.That(credentials.BaseUrlOverride, Is.Null);
        Assert.That(Warnings(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_ignored_production_override_is_logged_once_without_its_user_name_password_or_query()
    {
        _settings.ApiUrlOverride = "https://someone:pa55word@proxy.example:8443/klarna/?token=abc123#x";

        for (var i = 0; i < 5; i++)
            await _provider.GetCredentialsAsync(3);

        var warnings = Warnings();
        Assert.That(warnings, Has.Count.EqualTo(1), "once, not on every request");
        Assert.That(warnings[0], Does.Contain("https://proxy.example:8443/klarna/").And.Contain("ignored").And.Contain("Production"));
        Assert.That(warnings[0], Does.Not.Contain("someone").And.Not.Contain("pa55word").And.Not.Contain("token").And.Not.Contain("abc123"));
    }

    [TestCase("127.0.0.1:5099")]
    [TestCase("ftp://sandbox.example/")]
    [TestCase("http://sandbox.example/?key=abc123")]
    [TestCase("https://user:pa55word@sandbox.example/")]
    public async Task A_malformed_playground_override_is_ignored_with_one_warning_so_requests_go_to_Klarna(string url)
    {
        _settings.ApiUrlOverride = url;

        KlarnaCredentials credentials = null;
        for (var i = 0; i < 3; i++)
            credentials = await _provider.GetCredentialsAsync(3, KlarnaRegion.Europe, KlarnaEnvironment.Playground);

        Assert.That(credentials.BaseUrlOverride, Is.Null);
        Assert.That(credentials.BaseUri, Is.EqualTo(new Uri("https://api.playground.klarna.com/")));
        var warnings = Warnings();
        Assert.That(warnings, Has.Count.EqualTo(1), "once, not on every request");
        Assert.That(warnings[0], Does.Contain("ignored").And.Contain("not an absolute http(s) address"));
        Assert.That(warnings[0], Does.Not.Contain("pa55word").And.Not.Contain("abc123"));
    }

    [Test]
    public async Task GetCredentialsAsync_carries_the_request_timeout_setting()
    {
        _settings.RequestTimeoutSeconds = 12;

        var credentials = await _provider.GetCredentialsAsync(3);

        Assert.That(credentials.Timeout, Is.EqualTo(TimeSpan.FromSeconds(12)));
    }

    [TestCase(KlarnaRegion.Oceania, KlarnaEnvironment.Playground)]
    [TestCase(KlarnaRegion.Europe, KlarnaEnvironment.Production)]
    public void GetCredentials_returns_null_when_the_credentials_are_missing(KlarnaRegion region, KlarnaEnvironment environment)
    {
        Assert.That(_provider.GetCredentials(_settings, region, environment), Is.Null);
    }
}
