using Microsoft.Extensions.DependencyInjection;
using Moq;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The record and the nopCommerce order follow the policy's decision; events wait for the lock's release
/// </summary>
[TestFixture]
public class KlarnaOrderStateWriterTests
{
    private OrderManagementHarness _harness;
    private KlarnaOrderStateWriter _writer;
    private Order _order;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
        _writer = _harness.Services.GetRequiredService<KlarnaOrderStateWriter>();
        _order = _harness.CreateOrder(Line("sku-1", 2, 5000));
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private async Task<KlarnaOrderSession> SessionAsync(KlarnaInitiator initiator = KlarnaInitiator.StatusSync, Action<KlarnaOrder> atKlarna = null)
    {
        if (atKlarna is not null)
        {
            var klarnaOrder = _harness.KlarnaOrderOf(_order);
            atKlarna(klarnaOrder);
            _harness.Klarna.AddOrder(klarnaOrder);
        }

        var sessions = _harness.Services.GetRequiredService<KlarnaOrderSessions>();
        var (session, _) = await sessions.OpenAsync(_order, 0, initiator);
        await sessions.LoadAsync(session, null, CancellationToken.None);
        return session;
    }

    private static KlarnaOrderDecision Decide(KlarnaOrderSession session) =>
        KlarnaOrderPolicy.Decide(session.KlarnaOrder, session.Operations, DateTime.UtcNow, session.Settings.ExpiryWarningDays);

    private static void Captured(KlarnaOrder order)
    {
        order.Captures.Add(new KlarnaCapture { CaptureId = "c-1", CapturedAmount = 10000, CapturedAt = DateTimeOffset.UtcNow });
        order.CapturedAmount = 10000;
        order.RemainingAuthorizedAmount = 0;
        order.Status = KlarnaOrderStatus.Captured;
    }

    [Test]
    public async Task An_order_in_step_writes_nothing()
    {
        var session = await SessionAsync();
        var record = await _harness.RecordService.GetByOrderIdAsync(_order.Id);
        record.ExpiresAtUtc = session.KlarnaOrder.ExpiresAt.Value.UtcDateTime;
        record.KlarnaReference = session.KlarnaOrder.KlarnaReference;
        await _harness.RecordService.UpdateAsync(record);
        session = await SessionAsync();
        _harness.OrderService.Invocations.Clear();

        await _writer.ApplyAsync(session, Decide(session));

        Assert.That(session.Changed, Is.False);
        Assert.That(_harness.Notes, Is.Empty);
        _harness.OrderService.Verify(s => s.UpdateOrderAsync(It.IsAny<Order>()), Times.Never);
        Assert.That(session.AfterRelease, Is.Empty);
    }

    [Test]
    public async Task A_change_at_klarna_moves_the_record_the_payment_status_and_the_mapped_status_with_one_note_and_queues_the_events()
    {
        var session = await SessionAsync(atKlarna: Captured);

        await _writer.ApplyAsync(session, Decide(session));

        var record = await _harness.RecordService.GetByOrderIdAsync(_order.Id);
        Assert.Multiple(() =>
        {
            Assert.That((record.KlarnaStatus, record.CapturedAmountMinor, record.RemainingAuthorizedAmountMinor), Is.EqualTo((KlarnaOrderStatus.Captured, 10000L, 0L)));
            Assert.That(_order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
            Assert.That(_order.PaidDateUtc, Is.Not.Null);
            Assert.That(_order.OrderStatusId, Is.EqualTo((int)OrderStatus.Complete));
            Assert.That(_harness.NotesOf(_order).First(), Is.EqualTo("Klarna: Klarna's order status changed from AUTHORIZED to CAPTURED. Payment status: Authorized to Paid."));
            Assert.That(_harness.PublishedEvents, Is.Empty, "published after the lock");
            Assert.That(session.AfterRelease, Has.Count.EqualTo(2), "OrderStatusChangedEvent and OrderPaidEvent");
        });
    }

    [Test]
    public async Task NopCommerces_own_buttons_leave_the_refunded_amount_and_OrderPaidEvent_to_nopCommerce()
    {
        var session = await SessionAsync(KlarnaInitiator.NopButton, order =>
        {
            Captured(order);
            order.Refunds.Add(new KlarnaRefund { RefundId = "r-1", RefundedAmount = 2500 });
            order.RefundedAmount = 2500;
        });

        await _writer.ApplyAsync(session, Decide(session));
        foreach (var publish in session.AfterRelease)
            await publish();

        Assert.That(_order.RefundedAmount, Is.Zero, "nopCommerce adds the refunded amount itself after the button");
        Assert.That(_order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.PartiallyRefunded), "the same status nopCommerce sets from the result");
        _harness.EventPublisher.Verify(p => p.PublishAsync(It.IsAny<OrderPaidEvent>()), Times.Never);
    }

    [Test]
    public async Task A_refund_at_klarna_sets_the_refunded_amount_in_the_primary_currency()
    {
        var session = await SessionAsync(atKlarna: order =>
        {
            Captured(order);
            order.Refunds.Add(new KlarnaRefund { RefundId = "r-1", RefundedAmount = 2500 });
            order.RefundedAmount = 2500;
        });

        await _writer.ApplyAsync(session, Decide(session));

        Assert.That(_order.RefundedAmount, Is.EqualTo(25m));
        Assert.That(_order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.PartiallyRefunded));
    }

    [Test]
    public async Task A_fraud_stop_is_noted_as_such()
    {
        var session = await SessionAsync(atKlarna: order => order.FraudStatus = KlarnaFraudStatus.Stopped);

        await _writer.ApplyAsync(session, Decide(session));

        Assert.That(_harness.NotesOf(_order).First(), Does.StartWith("Klarna stopped this order (fraud status ACCEPTED to STOPPED): do not ship it."));
        Assert.That(_order.OrderStatusId, Is.EqualTo(_harness.Settings.OrderStatusFraudStoppedId));
    }

    [Test]
    public async Task An_expired_authorization_is_noted_as_an_expiry_not_as_a_status_change()
    {
        var session = await SessionAsync(atKlarna: order =>
        {
            order.Status = KlarnaOrderStatus.Expired;
            order.RemainingAuthorizedAmount = 0;
            order.ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1);
        });

        await _writer.ApplyAsync(session, Decide(session));

        Assert.That(_harness.NotesOf(_order).First(), Does.StartWith("Klarna: the authorization expired on"));
        Assert.That(_order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Voided));
    }
}
