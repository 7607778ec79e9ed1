using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Moq;
using Nop.Plugin.Payments.Klarna.Controllers;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Services.Checkout;

namespace Nop.Plugin.Payments.Klarna.Tests.Controllers;

[TestFixture]
public class KlarnaPublicControllerTests
{
    private Mock<IKlarnaCheckoutNotificationService> _service;

    [SetUp]
    public void SetUp()
    {
        _service = new Mock<IKlarnaCheckoutNotificationService>();
        _service.Setup(s => s.HandleAsync(It.IsAny<string>(), It.IsAny<string>())).ReturnsAsync(new KlarnaNotificationOutcome(200, "ok"));
    }

    private KlarnaPublicController Controller(string body, bool announceLength = true)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(bytes);
        if (announceLength)
            context.Request.ContentLength = bytes.Length;

        return new KlarnaPublicController(_service.Object) { ControllerContext = new ControllerContext { HttpContext = context } };
    }

    [Test]
    public async Task Notification_passes_the_secret_and_body_to_the_service_and_answers_its_status()
    {
        // Act
        var result = await Controller("{\"order_id\":\"k\"}").Notification("s3cret") as ObjectResult;

        // Assert
        Assert.That(result.StatusCode, Is.EqualTo(200));
        _service.Verify(s => s.HandleAsync("s3cret", "{\"order_id\":\"k\"}"), Times.Once);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Notification_refuses_an_oversized_body_without_handling_it(bool announceLength)
    {
        // Act
        var result = await Controller(new string('x', KlarnaDefaults.Checkout.MaxNotificationBytes + 1), announceLength).Notification("s3cret") as StatusCodeResult;

        // Assert
        Assert.That(result.StatusCode, Is.EqualTo(413));
        _service.Verify(s => s.HandleAsync(It.IsAny<string>(), It.IsAny<string>()), Times.Never);
    }
}
