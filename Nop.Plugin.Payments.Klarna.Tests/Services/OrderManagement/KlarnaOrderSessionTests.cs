using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// What one execution works on, and how it notices a rival that wrote while the lock did not hold
/// </summary>
[TestFixture]
public class KlarnaOrderSessionTests
{
    private static KlarnaOperation Operation(int id, KlarnaOperationKind kind, KlarnaOperationStatus status) => new() { Id = id, Kind = kind, Status = status };

    private static KlarnaOrderSession Session(KlarnaInitiator initiator = KlarnaInitiator.Admin) => new(new Order { Id = 1 }, new KlarnaSettings(), initiator);

    [Test]
    public void The_operations_pending_when_it_read_them_are_remembered()
    {
        var session = Session();

        session.SetOperations(new[] { Operation(1, KlarnaOperationKind.Capture, KlarnaOperationStatus.Pending), Operation(2, KlarnaOperationKind.Refund, KlarnaOperationStatus.Succeeded) });

        Assert.That(session.PendingAtStart, Is.EquivalentTo(new[] { 1 }));
        Assert.That(session.Changed, Is.False);
    }

    [Test]
    public void Any_operation_another_flow_recorded_or_changed_since_the_read_is_a_rival()
    {
        var session = Session();
        var mine = Operation(9, KlarnaOperationKind.Capture, KlarnaOperationStatus.Pending);
        session.SetOperations(new[] { Operation(1, KlarnaOperationKind.Capture, KlarnaOperationStatus.Pending) });
        session.Track(mine);

        var unchanged = new[] { Operation(1, KlarnaOperationKind.Capture, KlarnaOperationStatus.Pending), mine };
        var settledMeanwhile = new[] { Operation(1, KlarnaOperationKind.Capture, KlarnaOperationStatus.Succeeded), mine };
        var newCapture = new[] { Operation(1, KlarnaOperationKind.Capture, KlarnaOperationStatus.Pending), Operation(2, KlarnaOperationKind.Capture, KlarnaOperationStatus.Pending), mine };
        var newRefund = new[] { Operation(1, KlarnaOperationKind.Capture, KlarnaOperationStatus.Pending), Operation(3, KlarnaOperationKind.Refund, KlarnaOperationStatus.Pending), mine };

        Assert.That(session.HasRival(unchanged, mine), Is.False);
        Assert.That(session.HasRival(settledMeanwhile, mine), Is.True);
        Assert.That(session.HasRival(newCapture, mine), Is.True);
        Assert.That(session.HasRival(newRefund, mine), Is.True, "under a lock that holds, no other flow records anything");
    }

    [Test]
    public void Tracking_an_operation_adds_it_once_and_marks_the_session_changed()
    {
        var session = Session();
        var operation = Operation(4, KlarnaOperationKind.Capture, KlarnaOperationStatus.Pending);

        session.Track(operation);
        operation.Status = KlarnaOperationStatus.Succeeded;
        session.Track(operation);

        Assert.That(session.Operations, Has.Count.EqualTo(1));
        Assert.That(session.Changed, Is.True);
        Assert.That(session.HasRival(new[] { operation }, new KlarnaOperation { Id = 99 }), Is.False, "its own change is known");
    }

    [TestCase(KlarnaInitiator.Admin, false)]
    [TestCase(KlarnaInitiator.NopButton, false)]
    [TestCase(KlarnaInitiator.CaptureUponFulfillment, true)]
    [TestCase(KlarnaInitiator.StatusSync, true)]
    [TestCase(KlarnaInitiator.Notification, true)]
    public void Nobody_watches_an_automatic_execution(KlarnaInitiator initiator, bool automatic)
    {
        Assert.That(Session(initiator).IsAutomatic, Is.EqualTo(automatic));
    }

    [Test]
    public void A_session_needs_an_order_and_settings()
    {
        Assert.That(() => new KlarnaOrderSession(null, new KlarnaSettings(), KlarnaInitiator.Admin), Throws.ArgumentNullException);
        Assert.That(() => new KlarnaOrderSession(new Order(), null, KlarnaInitiator.Admin), Throws.ArgumentNullException);
    }
}
