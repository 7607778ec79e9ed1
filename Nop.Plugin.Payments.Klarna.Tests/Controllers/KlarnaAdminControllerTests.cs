using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Moq;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Controllers;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Security;
using Nop.Web.Framework;
using Nop.Web.Framework.Mvc.Filters;

namespace Nop.Plugin.Payments.Klarna.Tests.Controllers;

[TestFixture]
public class KlarnaAdminControllerTests
{
    private SandboxFixture _sandbox;
    private AdminTestContext _context;

    [OneTimeSetUp]
    public async Task StartSandbox()
    {
        _sandbox = await SandboxFixture.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopSandbox()
    {
        await _sandbox.DisposeAsync();
    }

    [SetUp]
    public void SetUp()
    {
        _context = new AdminTestContext(_sandbox);
    }

    #region Attributes (the nopCommerce filters themselves run only inside nopCommerce)

    [Test]
    public void Controller_is_an_admin_area_controller_validating_antiforgery_tokens()
    {
        var type = typeof(KlarnaAdminController);

        Assert.That(type.GetCustomAttribute<AuthorizeAdminAttribute>(), Is.Not.Null);
        Assert.That(type.GetCustomAttribute<AreaAttribute>()?.RouteValue, Is.EqualTo(AreaNames.ADMIN));
        Assert.That(type.GetCustomAttribute<AutoValidateAntiforgeryTokenAttribute>(), Is.Not.Null);
        Assert.That(type.GetCustomAttributes<IgnoreAntiforgeryTokenAttribute>(true), Is.Empty);
    }

    [TestCase(nameof(KlarnaAdminController.Configure), StandardPermission.Configuration.MANAGE_PAYMENT_METHODS)]
    [TestCase(nameof(KlarnaAdminController.TestConnection), StandardPermission.Configuration.MANAGE_PAYMENT_METHODS)]
    public void Every_action_checks_its_nopCommerce_permission(string action, string permission)
    {
        var methods = typeof(KlarnaAdminController).GetMethods().Where(m => m.Name == action).ToList();

        Assert.That(methods, Is.Not.Empty);
        foreach (var method in methods)
        {
            var permissions = method.GetCustomAttributesData()
                .Where(a => a.AttributeType == typeof(CheckPermissionAttribute))
                .Select(a => a.ConstructorArguments[0].Value as string)
                .ToList();
            Assert.That(permissions, Is.EqualTo(new[] { permission }), $"{action} ({method})");
        }
    }

    [TestCase(nameof(KlarnaAdminController.TestConnection))]
    public void TestConnection_accepts_only_POST(string action)
    {
        var method = typeof(KlarnaAdminController).GetMethod(action);

        Assert.That(method.GetCustomAttribute<HttpPostAttribute>(), Is.Not.Null);
    }

    #endregion

    #region Test connection

    [Test]
    public async Task TestConnection_reports_success_for_credentials_Klarna_accepts()
    {
        var result = await _context.Controller.TestConnection(new KlarnaTestConnectionModel
        {
            RegionId = (int)KlarnaRegion.Europe, EnvironmentId = (int)KlarnaEnvironment.Playground,
            Username = SandboxFixture.Username, Password = SandboxFixture.Password, ApiUrlOverride = _sandbox.Sandbox.BaseUri.ToString()
        });

        var (_, body) = AdminTestContext.Read(result);
        Assert.That((bool)body["success"], Is.True, body.ToString());
    }

    private KlarnaTestConnectionModel SavedConfiguration(string password = "") => new()
    {
        RegionId = (int)KlarnaRegion.Europe, EnvironmentId = (int)KlarnaEnvironment.Playground,
        Username = SandboxFixture.Username, Password = password, ApiUrlOverride = _sandbox.Sandbox.BaseUri.ToString()
    };

    /// <summary>
    /// The controller with a Klarna client that records every call (and must get none)
    /// </summary>
    private (KlarnaAdminController Controller, Mock<IKlarnaApiClient> Client) ControllerWithRecordingClient()
    {
        var client = new Mock<IKlarnaApiClient>(MockBehavior.Strict);
        var controller = new KlarnaAdminController(new KlarnaConnectionTester(client.Object), _context.Factory, _context.Localization.Object,
            _context.Notifications.Object, _context.Harness.SettingService.Object, _context.StoreContext.Object, _context.WorkContext.Object,
            _context.StatusSync.Object)
        {
            ControllerContext = new ControllerContext { HttpContext = new DefaultHttpContext() }
        };
        return (controller, client);
    }

    private static void AssertRefusedWithoutSecret(IActionResult result, KlarnaRefusalCode code)
    {
        var (status, body) = AdminTestContext.Read(result);
        Assert.That(status, Is.EqualTo(400));
        Assert.That((bool)body["success"], Is.False);
        Assert.That((string)body["errorCode"], Is.EqualTo(code.ToString()));
        Assert.That((string)body["error"], Is.EqualTo(KlarnaLocaleResources.GetAll()[KlarnaRefusal.ResourceKeyOf(code)]));
        Assert.That(body.ToString(), Does.Not.Contain(SandboxFixture.Password));
    }

    [Test]
    public async Task TestConnection_uses_the_stored_password_when_the_field_is_empty_and_the_rest_is_the_saved_configuration()
    {
        var before = _sandbox.State.Requests.Count;

        var result = await _context.Controller.TestConnection(SavedConfiguration());

        var (_, body) = AdminTestContext.Read(result);
        Assert.That((bool)body["success"], Is.True, body.ToString());
        Assert.That(body.ToString(), Does.Not.Contain(SandboxFixture.Password));
        Assert.That(_sandbox.State.Requests.Count, Is.EqualTo(before + 1));
    }

    [TestCase("url", TestName = "TestConnection_never_sends_the_stored_password_to_another_url")]
    [TestCase("no url", TestName = "TestConnection_never_sends_the_stored_password_without_the_saved_url_override")]
    [TestCase("username", TestName = "TestConnection_never_sends_the_stored_password_with_another_username")]
    [TestCase("region", TestName = "TestConnection_never_sends_the_stored_password_of_a_region_other_than_the_saved_one")]
    [TestCase("environment", TestName = "TestConnection_never_sends_the_stored_password_of_an_environment_other_than_the_saved_one")]
    public async Task TestConnection_with_an_empty_password_and_changed_settings_sends_nothing_and_asks_for_the_password(string change)
    {
        // Arrange: a password is stored for every credential the post names
        _context.Harness.Settings.NorthAmericaPlaygroundUsername = SandboxFixture.Username;
        _context.Harness.Settings.NorthAmericaPlaygroundPassword = SandboxFixture.Password;
        _context.Harness.Settings.EuropeProductionUsername = SandboxFixture.Username;
        _context.Harness.Settings.EuropeProductionPassword = SandboxFixture.Password;
        var (controller, client) = ControllerWithRecordingClient();
        var model = SavedConfiguration();
        switch (change)
        {
            case "url": model.ApiUrlOverride = "https://collector.example/"; break;
            case "no url": model.ApiUrlOverride = ""; break;
            case "username": model.Username = "someone-else"; break;
            case "region": model.RegionId = (int)KlarnaRegion.NorthAmerica; break;
            default: model.EnvironmentId = (int)KlarnaEnvironment.Production; model.ApiUrlOverride = null; break;
        }

        // Act
        var result = await controller.TestConnection(model);

        // Assert
        AssertRefusedWithoutSecret(result, KlarnaRefusalCode.ConnectionPasswordRequired);
        client.VerifyNoOtherCalls();
    }

    [Test]
    public async Task TestConnection_with_a_typed_password_tests_new_settings_with_that_password()
    {
        // Arrange: the saved configuration is another account on another host, with a password Klarna would refuse
        _context.Harness.Settings.EuropePlaygroundUsername = "saved-user";
        _context.Harness.Settings.EuropePlaygroundPassword = "saved-password-Klarna-refuses";
        _context.Harness.Settings.ApiUrlOverride = "http://127.0.0.1:9/";
        var before = _sandbox.State.Requests.Count;

        // Act
        var accepted = await _context.Controller.TestConnection(SavedConfiguration(SandboxFixture.Password));
        var refused = await _context.Controller.TestConnection(SavedConfiguration("typed-wrong-password"));

        // Assert: both were sent to the typed host, each with its typed password (Klarna accepts one, refuses the other)
        Assert.That((bool)AdminTestContext.Read(accepted).Body["success"], Is.True);
        Assert.That((string)AdminTestContext.Read(refused).Body["errorCode"], Is.EqualTo("PERMISSION_DENIED"));
        Assert.That(AdminTestContext.Read(refused).Body.ToString(), Does.Not.Contain("typed-wrong-password"));
        Assert.That(_sandbox.State.Requests.Count, Is.EqualTo(before + 2));
    }

    [TestCase("")]
    [TestCase(SandboxFixture.Password)]
    public async Task TestConnection_refuses_a_url_override_for_production_and_sends_nothing(string password)
    {
        // Arrange: even a production configuration saved with an override before the rule
        _context.Harness.Settings.Environment = KlarnaEnvironment.Production;
        _context.Harness.Settings.EuropeProductionUsername = SandboxFixture.Username;
        _context.Harness.Settings.EuropeProductionPassword = SandboxFixture.Password;
        var (controller, client) = ControllerWithRecordingClient();
        var model = SavedConfiguration(password);
        model.EnvironmentId = (int)KlarnaEnvironment.Production;

        // Act
        var result = await controller.TestConnection(model);

        // Assert
        AssertRefusedWithoutSecret(result, KlarnaRefusalCode.ConnectionUrlNotForProduction);
        client.VerifyNoOtherCalls();
    }

    [TestCase("https://user:pw@collector.example/")]
    [TestCase("https://collector.example/?x=1")]
    public async Task TestConnection_refuses_a_url_override_with_credentials_or_query(string url)
    {
        var (controller, client) = ControllerWithRecordingClient();
        var model = SavedConfiguration("typed");
        model.ApiUrlOverride = url;

        var result = await controller.TestConnection(model);

        AssertRefusedWithoutSecret(result, KlarnaRefusalCode.ConnectionUrlInvalid);
        client.VerifyNoOtherCalls();
    }

    [Test]
    public async Task TestConnection_shows_Klarnas_error_for_wrong_credentials()
    {
        var result = await _context.Controller.TestConnection(new KlarnaTestConnectionModel
        {
            RegionId = (int)KlarnaRegion.Europe, EnvironmentId = (int)KlarnaEnvironment.Playground,
            Username = SandboxFixture.Username, Password = "wrong", ApiUrlOverride = _sandbox.Sandbox.BaseUri.ToString()
        });

        var (_, body) = AdminTestContext.Read(result);
        Assert.That((bool)body["success"], Is.False);
        Assert.That((string)body["error"], Does.StartWith("Klarna refused the credentials. Klarna's error code: PERMISSION_DENIED; Klarna's message: "));
        Assert.That((string)body["errorCode"], Is.Not.Empty);
    }

    #endregion
}
