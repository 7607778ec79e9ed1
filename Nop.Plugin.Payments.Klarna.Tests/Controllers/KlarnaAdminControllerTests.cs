using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Controllers;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
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

    [Test]
    public async Task TestConnection_uses_the_stored_password_when_the_field_is_empty()
    {
        var result = await _context.Controller.TestConnection(new KlarnaTestConnectionModel
        {
            RegionId = (int)KlarnaRegion.Europe, EnvironmentId = (int)KlarnaEnvironment.Playground,
            Username = SandboxFixture.Username, Password = "", ApiUrlOverride = _sandbox.Sandbox.BaseUri.ToString()
        });

        Assert.That((bool)AdminTestContext.Read(result).Body["success"], Is.True);
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
