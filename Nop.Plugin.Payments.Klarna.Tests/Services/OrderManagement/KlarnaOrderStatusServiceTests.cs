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

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private static (Order Order, KlarnaOrderRecord Record) Claimable(string applied, OrderStatus status = OrderStatus.Processing) =>
        (new Order { Id = 1, OrderStatusId = (int)status }, new KlarnaOrderRecord { OrderId = 1, AppliedStatusEvents = applied });

    [Test]
    public void Claim_of_a_path_applies_the_new_events_and_the_last_mapped_one_sets_the_status()
    {
        // captured in full after a partial refund: "after capture" applies although the order is partially refunded
        var (order, record) = Claimable("Authorized,PartiallyCaptured,PartiallyRefunded");

        var change = KlarnaOrderStatusService.Claim(order, record, new KlarnaSettings(), new[] { KlarnaStatusEvent.Captured, KlarnaStatusEvent.PartiallyRefunded });

        Assert.That(change, Is.EqualTo(new KlarnaStatusChange(KlarnaStatusEvent.Captured, OrderStatus.Processing, OrderStatus.Complete)));
        Assert.That(KlarnaOrderStatusService.GetAppliedEvents(record), Does.Contain(KlarnaStatusEvent.Captured));
    }

    [Test]
    public void Claim_of_events_applied_before_changes_neither_the_record_nor_the_status()
    {
        var (order, record) = Claimable("Authorized,Captured", OrderStatus.Processing);

        var change = KlarnaOrderStatusService.Claim(order, record, new KlarnaSettings(), new[] { KlarnaStatusEvent.Captured });

        Assert.That(change, Is.Null, "the admin set Processing after the capture: kept");
        Assert.That(record.AppliedStatusEvents, Is.EqualTo("Authorized,Captured"));
    }

    [Test]
    public void Claim_of_an_event_mapped_to_leave_the_status_records_it_and_changes_nothing()
    {
        var (order, record) = Claimable("Authorized");

        var change = KlarnaOrderStatusService.Claim(order, record, new KlarnaSettings(), KlarnaStatusEvent.PartiallyRefunded);

        Assert.That(change, Is.Null);
        Assert.That(KlarnaOrderStatusService.GetAppliedEvents(record), Is.EquivalentTo(new[] { KlarnaStatusEvent.Authorized, KlarnaStatusEvent.PartiallyRefunded }));
    }

    [Test]
    public void Claim_of_a_fraud_stop_sets_its_own_status()
    {
        var (order, record) = Claimable("Authorized");
        var settings = new KlarnaSettings { OrderStatusFraudStoppedId = (int)OrderStatus.Pending };

        var change = KlarnaOrderStatusService.Claim(order, record, settings, KlarnaStatusEvent.FraudStopped);

        Assert.That(change.NewStatus, Is.EqualTo(OrderStatus.Pending));
        Assert.That(change.StatusEvent, Is.EqualTo(KlarnaStatusEvent.FraudStopped));
    }

    [Test]
    public async Task SetStatusAsync_saves_the_status_notes_it_and_returns_the_event_to_publish_after_the_lock()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var mapped = await _harness.StatusService.SetStatusAsync(order, new KlarnaStatusChange(KlarnaStatusEvent.Captured, OrderStatus.Processing, OrderStatus.Complete));

        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Complete));
        Assert.That(mapped.StatusEvent, Is.EqualTo(KlarnaStatusEvent.Captured));
        Assert.That(mapped.PreviousOrderStatus, Is.EqualTo(OrderStatus.Processing));
        Assert.That(_harness.PublishedEvents, Is.Empty, "the caller publishes it once the lock is released");
        Assert.That(_harness.NotesOf(order).Single(), Does.Contain("order status changed from Processing to Complete (Captured)"));
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
            Assert.That(KlarnaOrderStatusService.GetMappedStatusId(settings, KlarnaStatusEvent.FraudRejected), Is.EqualTo(settings.OrderStatusAfterCancelId), "a rejected order is cancelled");
            Assert.That(KlarnaOrderStatusService.GetMappedStatusId(settings, KlarnaStatusEvent.FraudStopped), Is.EqualTo(settings.OrderStatusFraudStoppedId));
            Assert.That(settings.OrderStatusFraudStoppedId, Is.EqualTo((int)OrderStatus.Pending), "a stopped order waits, it is not shipped");
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
