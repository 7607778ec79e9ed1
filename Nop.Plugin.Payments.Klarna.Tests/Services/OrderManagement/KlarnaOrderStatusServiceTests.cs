using Moq;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

[TestFixture]
public class KlarnaOrderStatusServiceTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
    }

    [Test]
    public void GetMappedStatusId_returns_the_configured_status_for_every_event()
    {
        var settings = new KlarnaSettings();

        Assert.Multiple(() =>
        {
            Assert.That(KlarnaOrderStatusService.GetMappedStatusId(settings, KlarnaStatusEvent.Authorized), Is.EqualTo(settings.OrderStatusAfterAuthorizeId));
            Assert.That(KlarnaOrderStatusService.GetMappedStatusId(settings, KlarnaStatusEvent.FraudPending), Is.EqualTo(settings.OrderStatusFraudPendingId));
            Assert.That(KlarnaOrderStatusService.GetMappedStatusId(settings, KlarnaStatusEvent.PartiallyCaptured), Is.EqualTo(settings.OrderStatusAfterPartialCaptureId));
            Assert.That(KlarnaOrderStatusService.GetMappedStatusId(settings, KlarnaStatusEvent.Captured), Is.EqualTo(settings.OrderStatusAfterCaptureId));
            Assert.That(KlarnaOrderStatusService.GetMappedStatusId(settings, KlarnaStatusEvent.Cancelled), Is.EqualTo(settings.OrderStatusAfterCancelId));
            Assert.That(KlarnaOrderStatusService.GetMappedStatusId(settings, KlarnaStatusEvent.PartiallyRefunded), Is.EqualTo(settings.OrderStatusAfterPartialRefundId));
            Assert.That(KlarnaOrderStatusService.GetMappedStatusId(settings, KlarnaStatusEvent.Refunded), Is.EqualTo(settings.OrderStatusAfterRefundId));
            Assert.That(KlarnaOrderStatusService.GetMappedStatusId(settings, KlarnaStatusEvent.Expired), Is.EqualTo(settings.OrderStatusAfterExpiryId));
        });
    }

    [Test]
    public async Task ApplyEventAsync_sets_the_status_like_admin_change_status_and_publishes_the_previous_status()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        await _harness.StatusService.ApplyEventAsync(order, KlarnaStatusEvent.Captured);

        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Complete));
        _harness.OrderService.Verify(s => s.UpdateOrderAsync(order), Times.Once);
        var published = _harness.PublishedEvents.OfType<OrderStatusChangedEvent>().Single();
        Assert.That(published.Order, Is.SameAs(order));
        Assert.That(published.PreviousOrderStatus, Is.EqualTo(OrderStatus.Processing));
    }

    [Test]
    public async Task ApplyEventAsync_applies_each_event_once_and_keeps_a_status_the_admin_set_afterwards()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        await _harness.StatusService.ApplyEventAsync(order, KlarnaStatusEvent.Captured);
        order.OrderStatusId = (int)OrderStatus.Processing; //admin's own choice

        await _harness.StatusService.ApplyEventAsync(order, KlarnaStatusEvent.Captured);

        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Processing));
        Assert.That(_harness.PublishedEvents.OfType<OrderStatusChangedEvent>().Count(), Is.EqualTo(1));
        var record = await _harness.RecordService.GetByOrderIdAsync(order.Id);
        Assert.That(KlarnaOrderStatusService.GetAppliedEvents(record), Is.EquivalentTo(new[] { KlarnaStatusEvent.Authorized, KlarnaStatusEvent.Captured }));
    }

    [TestCase(KlarnaStatusEvent.Authorized, true)]
    [TestCase(KlarnaStatusEvent.FraudPending, true)]
    [TestCase(KlarnaStatusEvent.PartiallyCaptured, false)]
    [TestCase(KlarnaStatusEvent.Captured, false)]
    [TestCase(KlarnaStatusEvent.Cancelled, false)]
    [TestCase(KlarnaStatusEvent.PartiallyRefunded, false)]
    [TestCase(KlarnaStatusEvent.Refunded, false)]
    [TestCase(KlarnaStatusEvent.Expired, false)]
    public async Task ApplyEventAsync_with_automatic_status_change_off_applies_only_the_initial_events(KlarnaStatusEvent statusEvent, bool applies)
    {
        foreach (var settingsEvent in Enum.GetValues<KlarnaStatusEvent>())
            Assert.That(KlarnaOrderStatusService.IsInitialEvent(settingsEvent), Is.EqualTo(settingsEvent is KlarnaStatusEvent.Authorized or KlarnaStatusEvent.FraudPending));
        _harness.Settings.EnableAutomaticOrderStatusChange = false;
        _harness.Settings.OrderStatusAfterAuthorizeId = (int)OrderStatus.Complete;
        _harness.Settings.OrderStatusFraudPendingId = (int)OrderStatus.Complete;
        _harness.Settings.OrderStatusAfterPartialCaptureId = (int)OrderStatus.Complete;
        _harness.Settings.OrderStatusAfterPartialRefundId = (int)OrderStatus.Complete;
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        var record = await _harness.RecordService.GetByOrderIdAsync(order.Id);
        record.AppliedStatusEvents = null;
        await _harness.RecordService.UpdateAsync(record);

        await _harness.StatusService.ApplyEventAsync(order, statusEvent);

        Assert.That(order.OrderStatusId != (int)OrderStatus.Processing, Is.EqualTo(applies));
    }

    [Test]
    public async Task ApplyEventAsync_leaves_the_status_when_the_mapping_is_zero()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        await _harness.StatusService.ApplyEventAsync(order, KlarnaStatusEvent.PartiallyRefunded);

        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Processing));
        Assert.That(_harness.PublishedEvents, Is.Empty);
    }
}
