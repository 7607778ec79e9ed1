using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// A read of Klarna's order that lags behind a write Klarna already answered is brought up to what the plugin knows, so
/// nothing the shop records or decides goes backwards (found by the model-based suite with the sandbox's read lag: a
/// replayed cancel recorded, then the sync run's read a moment later wrote the order back to authorized)
/// </summary>
[TestFixture]
public class KlarnaReadCatchUpTests
{
    private static readonly DateTime At = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private static KlarnaOrder Read(string status = KlarnaOrderStatus.Authorized, string fraud = KlarnaFraudStatus.Accepted) => new()
    {
        OrderId = "k-1",
        Status = status,
        FraudStatus = fraud,
        OrderAmount = 10000,
        RemainingAuthorizedAmount = 10000,
        Captures = new List<KlarnaCapture>(),
        Refunds = new List<KlarnaRefund>()
    };

    private static KlarnaOperation Done(KlarnaOperationKind kind, long amount = 0, string klarnaId = null,
        KlarnaOperationStatus status = KlarnaOperationStatus.Succeeded, string tracking = null) => new()
    {
        Kind = kind,
        Status = status,
        AmountMinor = amount,
        KlarnaOrderId = "k-1",
        KlarnaId = klarnaId,
        IdempotencyKey = Guid.NewGuid().ToString(),
        CreatedOnUtc = At,
        UpdatedOnUtc = At.AddSeconds(1),
        ShippingInfoJson = tracking is null ? null : JsonConvert.SerializeObject(new[] { new KlarnaShippingInfo { TrackingNumber = tracking, ShippingCompany = "DHL" } })
    };

    [Test]
    public void A_read_that_lacks_a_capture_klarna_answered_gets_it_with_its_amounts_and_status()
    {
        var read = Read();

        var behind = KlarnaReadCatchUp.CatchUp(read, new[] { Done(KlarnaOperationKind.Capture, 4000, "cap-1") }, null);

        Assert.That(behind, Is.True);
        Assert.That(read.Captures.Single().CaptureId, Is.EqualTo("cap-1"));
        Assert.That((read.CapturedAmount, read.RemainingAuthorizedAmount, read.Status), Is.EqualTo((4000L, 6000L, KlarnaOrderStatus.PartCaptured)));
    }

    [Test]
    public void A_read_that_already_shows_the_capture_is_left_as_it_is()
    {
        var read = Read();
        read.Captures.Add(new KlarnaCapture { CaptureId = "cap-1", CapturedAmount = 4000 });
        read.CapturedAmount = 4000;
        read.RemainingAuthorizedAmount = 6000;
        read.Status = KlarnaOrderStatus.PartCaptured;

        var behind = KlarnaReadCatchUp.CatchUp(read, new[] { Done(KlarnaOperationKind.Capture, 4000, "cap-1") }, null);

        Assert.That(behind, Is.False);
        Assert.That(read.Captures, Has.Count.EqualTo(1));
        Assert.That(read.CapturedAmount, Is.EqualTo(4000));
    }

    [Test]
    public void A_read_that_lacks_a_refund_klarna_answered_gets_it()
    {
        var read = Read(KlarnaOrderStatus.Captured);
        read.Captures.Add(new KlarnaCapture { CaptureId = "cap-1", CapturedAmount = 10000 });
        read.CapturedAmount = 10000;
        read.RemainingAuthorizedAmount = 0;

        var behind = KlarnaReadCatchUp.CatchUp(read, new[] { Done(KlarnaOperationKind.Capture, 10000, "cap-1"), Done(KlarnaOperationKind.Refund, 2500, "ref-1") }, null);

        Assert.That(behind, Is.True);
        Assert.That(read.Refunds.Single().RefundId, Is.EqualTo("ref-1"));
        Assert.That(read.RefundedAmount, Is.EqualTo(2500));
        Assert.That(read.CapturedAmount, Is.EqualTo(10000), "the capture it showed is not added again");
    }

    [Test]
    public void An_open_read_after_a_cancel_klarna_answered_is_cancelled()
    {
        var read = Read();

        var behind = KlarnaReadCatchUp.CatchUp(read, new[] { Done(KlarnaOperationKind.Cancel, 10000) }, null);

        Assert.That(behind, Is.True);
        Assert.That((read.Status, read.RemainingAuthorizedAmount), Is.EqualTo((KlarnaOrderStatus.Cancelled, 0L)));
    }

    [Test]
    public void An_open_read_after_a_release_klarna_answered_has_nothing_left_to_capture()
    {
        var read = Read(KlarnaOrderStatus.PartCaptured);
        read.Captures.Add(new KlarnaCapture { CaptureId = "cap-1", CapturedAmount = 4000 });
        read.CapturedAmount = 4000;
        read.RemainingAuthorizedAmount = 6000;

        var behind = KlarnaReadCatchUp.CatchUp(read, new[] { Done(KlarnaOperationKind.Capture, 4000, "cap-1"), Done(KlarnaOperationKind.Release, 6000) }, null);

        Assert.That(behind, Is.True);
        Assert.That((read.Status, read.RemainingAuthorizedAmount, read.CapturedAmount), Is.EqualTo((KlarnaOrderStatus.Captured, 0L, 4000L)));
    }

    [Test]
    public void A_read_that_lacks_a_tracking_number_klarna_answered_gets_it_on_its_capture()
    {
        var read = Read(KlarnaOrderStatus.Captured);
        read.Captures.Add(new KlarnaCapture { CaptureId = "cap-1", CapturedAmount = 10000 });
        read.CapturedAmount = 10000;
        read.RemainingAuthorizedAmount = 0;

        var behind = KlarnaReadCatchUp.CatchUp(read, new[] { Done(KlarnaOperationKind.ShippingInfo, klarnaId: "cap-1", tracking: "TRK-1") }, null);

        Assert.That(behind, Is.True);
        Assert.That(read.Captures.Single().ShippingInfo.Single().TrackingNumber, Is.EqualTo("TRK-1"));
    }

    [TestCase(KlarnaOperationStatus.Pending)]
    [TestCase(KlarnaOperationStatus.NeedsAttention)]
    [TestCase(KlarnaOperationStatus.Failed)]
    public void An_operation_without_klarnas_answer_is_never_put_into_the_read(KlarnaOperationStatus status)
    {
        var read = Read();

        var behind = KlarnaReadCatchUp.CatchUp(read, new[] { Done(KlarnaOperationKind.Capture, 4000, "cap-1", status), Done(KlarnaOperationKind.Cancel, 10000, status: status) }, null);

        Assert.That(behind, Is.False);
        Assert.That((read.Status, read.CapturedAmount, read.Captures.Count), Is.EqualTo((KlarnaOrderStatus.Authorized, 0L, 0)));
    }

    [Test]
    public void An_operation_of_another_klarna_order_is_not_put_into_the_read()
    {
        var read = Read();
        var other = Done(KlarnaOperationKind.Cancel, 10000);
        other.KlarnaOrderId = "k-2";

        Assert.That(KlarnaReadCatchUp.CatchUp(read, new[] { other }, null), Is.False);
        Assert.That(read.Status, Is.EqualTo(KlarnaOrderStatus.Authorized));
    }

    [Test]
    public void A_fraud_decision_the_record_holds_is_never_taken_back_to_pending_and_an_ended_authorization_never_opens_again()
    {
        var pending = Read(fraud: KlarnaFraudStatus.Pending);
        var open = Read();
        var record = new KlarnaOrderRecord { KlarnaOrderId = "k-1", FraudStatus = KlarnaFraudStatus.Rejected, KlarnaStatus = KlarnaOrderStatus.Expired };

        Assert.That(KlarnaReadCatchUp.CatchUp(pending, Array.Empty<KlarnaOperation>(), record), Is.True);
        Assert.That(KlarnaReadCatchUp.CatchUp(open, Array.Empty<KlarnaOperation>(), record), Is.True);

        Assert.That(pending.FraudStatus, Is.EqualTo(KlarnaFraudStatus.Rejected));
        Assert.That((open.Status, open.RemainingAuthorizedAmount), Is.EqualTo((KlarnaOrderStatus.Expired, 0L)));
    }

    [Test]
    public void A_read_as_fresh_as_the_record_is_left_as_it_is()
    {
        var read = Read(KlarnaOrderStatus.Cancelled, KlarnaFraudStatus.Accepted);
        read.RemainingAuthorizedAmount = 0;
        var record = new KlarnaOrderRecord { KlarnaOrderId = "k-1", FraudStatus = KlarnaFraudStatus.Pending, KlarnaStatus = KlarnaOrderStatus.Authorized };

        var behind = KlarnaReadCatchUp.CatchUp(read, new[] { Done(KlarnaOperationKind.Cancel, 10000) }, record);

        Assert.That(behind, Is.False);
        Assert.That((read.Status, read.FraudStatus), Is.EqualTo((KlarnaOrderStatus.Cancelled, KlarnaFraudStatus.Accepted)));
    }
}
