using Moq;
using Nop.Core;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Stores;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Services.Configuration;
using Nop.Services.Logging;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Connection;

[TestFixture]
public class KlarnaTrafficLoggerTests
{
    private Mock<ILogger> _logger;
    private Mock<ISettingService> _settingService;
    private Mock<IStoreContext> _storeContext;

    [SetUp]
    public void SetUp()
    {
        _logger = new Mock<ILogger>();
        _settingService = new Mock<ISettingService>();
        _storeContext = new Mock<IStoreContext>();
        _storeContext.Setup(s => s.GetCurrentStore()).Returns(new Store { Id = 2 });
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Enabled_follows_the_debug_logging_setting_of_the_current_store_and_reads_it_once(bool logDebug)
    {
        // Arrange
        _settingService.Setup(s => s.GetSettingByKey("KlarnaSettings.LogDebug", false, 2, true)).Returns(logDebug);
        var trafficLogger = new KlarnaTrafficLogger(_logger.Object, _settingService.Object, _storeContext.Object);

        // Act
        var first = trafficLogger.Enabled;
        var second = trafficLogger.Enabled;

        // Assert
        Assert.That((first, second), Is.EqualTo((logDebug, logDebug)));
        _settingService.Verify(s => s.GetSettingByKey("KlarnaSettings.LogDebug", false, 2, true), Times.Once);
        _settingService.Verify(s => s.LoadSettingAsync<KlarnaSettings>(It.IsAny<int>()), Times.Never);
    }

    [Test]
    public async Task LogAsync_writes_an_information_entry_named_after_the_plugin()
    {
        var trafficLogger = new KlarnaTrafficLogger(_logger.Object, _settingService.Object, _storeContext.Object);

        await trafficLogger.LogAsync("GET /ordermanagement/v1/orders/abc 200");

        _logger.Verify(l => l.InformationAsync("Payments.Klarna: GET /ordermanagement/v1/orders/abc 200", null, null), Times.Once);
    }
}
