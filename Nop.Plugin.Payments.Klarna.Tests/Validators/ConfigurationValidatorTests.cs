using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Plugin.Payments.Klarna.Validators;

namespace Nop.Plugin.Payments.Klarna.Tests.Validators;

[TestFixture]
public class ConfigurationValidatorTests
{
    private ConfigurationValidator _validator;

    [SetUp]
    public void SetUp()
    {
        _validator = new ConfigurationValidator(new AdminTestContext(null).Localization.Object);
    }

    private static ConfigurationModel Valid() => new()
    {
        RegionId = 0, EnvironmentId = 0, RequestTimeoutSeconds = 30, SyncIntervalMinutes = 60, SyncConcurrency = 4, ExpiryWarningDays = 3,
        OrderStatusAfterAuthorizeId = 20, OrderStatusFraudPendingId = 10, OrderStatusAfterCaptureId = 30, OrderStatusAfterPartialCaptureId = 20,
        OrderStatusAfterCancelId = 40, OrderStatusAfterRefundId = 40, OrderStatusAfterPartialRefundId = 0, OrderStatusAfterExpiryId = 40,
        CaptureUponFulfillmentModeId = 0, CaptureOnOrderStatusId = 30, ApiUrlOverride = "http://127.0.0.1:5099/",
        ShippingCarrierMappings = "Ground = DHL Paket; Home\nShipping.FixedByWeightByTotal = PostNord",
        Credentials = new List<CredentialsModel> { new() { RegionId = 0, EnvironmentId = 0, Username = "user", MerchantId = "M12345" } }
    };

    [Test]
    public void A_valid_model_passes()
    {
        var result = _validator.Validate(Valid());

        Assert.That(result.IsValid, Is.True, string.Join("; ", result.Errors));
    }

    private static IEnumerable<TestCaseData> InvalidModels()
    {
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.RegionId = 9)).SetName("unknown region");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.EnvironmentId = 5)).SetName("unknown environment");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.RequestTimeoutSeconds = 0)).SetName("timeout zero");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.RequestTimeoutSeconds = 61)).SetName("timeout above the 60 s the client accepts");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.OrderStatusFraudStoppedId = 99)).SetName("unknown fraud stopped status");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.ApiUrlOverride = "not a url")).SetName("api url not absolute");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.ApiUrlOverride = "ftp://host/")).SetName("api url not http");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.Credentials[0].MerchantId = "M 1<script>")).SetName("merchant id characters");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.ShippingCarrierMappings = "Ground = DHL; Express")).SetName("shipping method not klarna's");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.ShippingCarrierMappings = "just a carrier")).SetName("shipping carrier line without =");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.OrderStatusAfterCaptureId = 99)).SetName("unknown mapped status");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.CaptureUponFulfillmentModeId = 3)).SetName("unknown capture mode");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => { m.CaptureUponFulfillmentModeId = 10; m.CaptureOnOrderStatusId = 40; })).SetName("capture on cancelled");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.SyncIntervalMinutes = 1)).SetName("sync interval too short");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.SyncConcurrency = 0)).SetName("sync concurrency zero");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.ExpiryWarningDays = -1)).SetName("negative expiry warning");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.Credentials[0].Username = " padded ")).SetName("username with spaces");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.Credentials[0].RegionId = 7)).SetName("credentials of unknown region");
    }

    [TestCase("https://user:secret@sandbox.example/")]
    [TestCase("https://sandbox.example/?token=1")]
    [TestCase("https://sandbox.example/#x")]
    public void An_api_url_override_with_user_name_query_or_fragment_is_refused_with_its_message(string url)
    {
        var model = Valid();
        model.ApiUrlOverride = url;

        var result = _validator.Validate(model);

        Assert.That(result.Errors.Select(e => (e.PropertyName, e.ErrorMessage)),
            Is.EqualTo(new[] { (nameof(ConfigurationModel.ApiUrlOverride), "The API URL override must be an absolute http(s) address without user name, password or query.") }));
    }

    [TestCase("http://127.0.0.1:5099/")]
    [TestCase("https://sandbox.example/klarna/")]
    public void An_api_url_override_is_refused_in_production_with_its_message(string url)
    {
        var model = Valid();
        model.EnvironmentId = (int)KlarnaEnvironment.Production;
        model.ApiUrlOverride = url;

        var result = _validator.Validate(model);

        Assert.That(result.Errors.Select(e => (e.PropertyName, e.ErrorMessage)), Is.EqualTo(new[]
        {
            (nameof(ConfigurationModel.ApiUrlOverride), "The API URL override is for the playground only: leave it empty in production (a live shop always talks to Klarna).")
        }));
    }

    [TestCase(KlarnaEnvironment.Playground, "http://127.0.0.1:5099/")]
    [TestCase(KlarnaEnvironment.Production, null)]
    [TestCase(KlarnaEnvironment.Production, "  ")]
    public void The_playground_may_have_an_api_url_override_and_production_none(KlarnaEnvironment environment, string url)
    {
        var model = Valid();
        model.EnvironmentId = (int)environment;
        model.ApiUrlOverride = url;

        var result = _validator.Validate(model);

        Assert.That(result.IsValid, Is.True, string.Join("; ", result.Errors));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("https://x.klarnacdn.net/kp/lib/v1/api.js")]
    [TestCase("http://127.0.0.1:5099/kp/lib/v1/api.js")]
    [TestCase("http://localhost:5099/kp/lib/v1/api.js")]
    [TestCase("http://[::1]:5099/kp/lib/v1/api.js")]
    public void The_klarna_library_url_may_be_empty_https_or_http_on_this_machine(string url)
    {
        var model = Valid();
        model.KlarnaLibraryUrl = url;

        var result = _validator.Validate(model);

        Assert.That(result.IsValid, Is.True, string.Join("; ", result.Errors));
    }

    [TestCase("http://cdn.example.com/kp/lib/v1/api.js")]
    [TestCase("http://192.0.2.10/kp/lib/v1/api.js")]
    [TestCase("/kp/lib/v1/api.js")]
    [TestCase("javascript:alert(1)")]
    [TestCase("ftp://127.0.0.1/api.js")]
    [TestCase("https://user:secret@cdn.example.com/api.js")]
    public void A_klarna_library_url_that_is_not_https_or_local_is_refused_with_its_message(string url)
    {
        var model = Valid();
        model.KlarnaLibraryUrl = url;

        var result = _validator.Validate(model);

        Assert.That(result.Errors.Select(e => (e.PropertyName, e.ErrorMessage)),
            Is.EqualTo(new[] { (nameof(ConfigurationModel.KlarnaLibraryUrl), "The Klarna library URL must be an absolute https address (http only for this machine, e.g. a local sandbox).") }));
    }

    [TestCaseSource(nameof(InvalidModels))]
    public void An_invalid_value_is_refused_with_a_message(Action<ConfigurationModel> change)
    {
        var model = Valid();
        change(model);

        var result = _validator.Validate(model);

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors.Select(e => e.ErrorMessage), Has.All.Not.Empty.And.All.Not.StartWith("Plugins."));
    }

    [Test]
    public void A_timeout_of_60_seconds_is_the_longest_accepted()
    {
        var model = Valid();
        model.RequestTimeoutSeconds = 60;

        Assert.That(_validator.Validate(model).IsValid, Is.True);
        Assert.That(ConfigurationValidator.MaxTimeoutSeconds, Is.EqualTo((int)KlarnaRequestBudget.MaxPerAttemptTimeout.TotalSeconds));
    }

    [Test]
    public void Every_mapped_status_may_be_leave_unchanged()
    {
        var model = Valid();
        model.OrderStatusAfterAuthorizeId = model.OrderStatusFraudPendingId = model.OrderStatusAfterCaptureId = model.OrderStatusAfterPartialCaptureId =
            model.OrderStatusAfterCancelId = model.OrderStatusAfterRefundId = model.OrderStatusAfterPartialRefundId = model.OrderStatusAfterExpiryId = model.OrderStatusFraudStoppedId = 0;

        Assert.That(_validator.Validate(model).IsValid, Is.True);
    }
}
