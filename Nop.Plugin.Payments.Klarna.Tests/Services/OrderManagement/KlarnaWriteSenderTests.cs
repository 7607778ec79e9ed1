using Moq;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The request of a write is rebuilt from its recorded operation (so a replay sends the very same request with the same
/// key) and is never cancelled by the browser
/// </summary>
[TestFixture]
public class KlarnaWriteSenderTests
{
    private readonly KlarnaCredentials _credentials = new() { Username = "u", Password = "p" };
    private Mock<IKlarnaApiClient> _client;
    private KlarnaWriteSender _sender;

    [SetUp]
    public void SetUp()
    {
        _client = new Mock<IKlarnaApiClient>();
        _sender = new KlarnaWriteSender(_client.Object);
    }

    private static KlarnaOperation Operation(KlarnaOperationKind kind) => new()
    {
        Kind = kind,
        KlarnaOrderId = "k-1",
        IdempotencyKey = "key-1",
        AmountMinor = 2500,
        Description = "Return",
        Reference = "1001",
        KlarnaId = "cap-1",
        LinesJson = JsonConvert.SerializeObject(new[] { Line("sku-1", 1, 2500) }),
        ShippingInfoJson = JsonConvert.SerializeObject(new[] { new KlarnaShippingInfo { TrackingNumber = "T-1" } })
    };

    [Test]
    public async Task A_capture_is_rebuilt_from_the_record_with_its_key_and_an_uncancellable_token()
    {
        KlarnaCaptureRequest sent = null;
        _client.Setup(c => c.CaptureAsync(_credentials, "k-1", It.IsAny<KlarnaCaptureRequest>(), "key-1", CancellationToken.None))
            .Callback((KlarnaCredentials _, string _, KlarnaCaptureRequest request, string _, CancellationToken _) => sent = request)
            .ReturnsAsync("cap-9");

        var id = await _sender.SendAsync(_credentials, Operation(KlarnaOperationKind.Capture));

        Assert.That(id, Is.EqualTo("cap-9"));
        Assert.That((sent.CapturedAmount, sent.Description, sent.Reference), Is.EqualTo((2500L, "Return", "1001")));
        Assert.That(sent.OrderLines.Single().Reference, Is.EqualTo("sku-1"));
        Assert.That(sent.ShippingInfo.Single().TrackingNumber, Is.EqualTo("T-1"));
    }

    [Test]
    public async Task A_refund_and_the_state_changes_go_to_their_endpoints_with_the_recorded_key()
    {
        _client.Setup(c => c.RefundAsync(_credentials, "k-1", It.Is<KlarnaRefundRequest>(r => r.RefundedAmount == 2500 && r.OrderLines.Count == 1), "key-1", CancellationToken.None))
            .ReturnsAsync("ref-1");

        Assert.That(await _sender.SendAsync(_credentials, Operation(KlarnaOperationKind.Refund)), Is.EqualTo("ref-1"));
        await _sender.SendAsync(_credentials, Operation(KlarnaOperationKind.Cancel));
        await _sender.SendAsync(_credentials, Operation(KlarnaOperationKind.Release));
        await _sender.SendAsync(_credentials, Operation(KlarnaOperationKind.ExtendAuthorization));
        Assert.That(await _sender.SendAsync(_credentials, Operation(KlarnaOperationKind.ShippingInfo)), Is.EqualTo("cap-1"));

        _client.Verify(c => c.CancelOrderAsync(_credentials, "k-1", "key-1", CancellationToken.None), Times.Once);
        _client.Verify(c => c.ReleaseRemainingAuthorizationAsync(_credentials, "k-1", "key-1", CancellationToken.None), Times.Once);
        _client.Verify(c => c.ExtendAuthorizationTimeAsync(_credentials, "k-1", "key-1", CancellationToken.None), Times.Once);
        _client.Verify(c => c.AddShippingInfoAsync(_credentials, "k-1", "cap-1", It.Is<IList<KlarnaShippingInfo>>(i => i.Single().TrackingNumber == "T-1"), "key-1", CancellationToken.None), Times.Once);
    }

    [Test]
    public void The_checkouts_authorization_is_not_a_write_of_the_engine()
    {
        Assert.That(() => _sender.SendAsync(_credentials, Operation(KlarnaOperationKind.Authorize)), Throws.InvalidOperationException);
    }

    [Test]
    public void A_capture_applied_to_the_read_copy_moves_the_amounts_and_a_second_apply_changes_nothing()
    {
        var order = new KlarnaOrder { Status = KlarnaOrderStatus.Authorized, OrderAmount = 5000, RemainingAuthorizedAmount = 5000, Captures = new List<KlarnaCapture>() };
        var operation = Operation(KlarnaOperationKind.Capture);
        operation.KlarnaId = "cap-9";

        var reread = KlarnaWriteSender.ApplyLocally(order, operation, DateTime.UtcNow);
        KlarnaWriteSender.ApplyLocally(order, operation, DateTime.UtcNow);

        Assert.That(reread, Is.False);
        Assert.That((order.Status, order.CapturedAmount, order.RemainingAuthorizedAmount), Is.EqualTo((KlarnaOrderStatus.PartCaptured, 2500L, 2500L)));
        Assert.That(order.Captures.Single().OrderLines.Single().Reference, Is.EqualTo("sku-1"));
    }

    [Test]
    public void An_extension_asks_for_a_second_read_since_only_klarna_knows_the_new_expiry()
    {
        Assert.That(KlarnaWriteSender.ApplyLocally(new KlarnaOrder(), Operation(KlarnaOperationKind.ExtendAuthorization), DateTime.UtcNow), Is.True);
    }

    [Test]
    public void A_cancel_and_a_release_end_the_authorization_of_the_read_copy()
    {
        var cancelled = new KlarnaOrder { Status = KlarnaOrderStatus.Authorized, RemainingAuthorizedAmount = 5000 };
        var released = new KlarnaOrder { Status = KlarnaOrderStatus.PartCaptured, RemainingAuthorizedAmount = 2500 };

        KlarnaWriteSender.ApplyLocally(cancelled, Operation(KlarnaOperationKind.Cancel), DateTime.UtcNow);
        KlarnaWriteSender.ApplyLocally(released, Operation(KlarnaOperationKind.Release), DateTime.UtcNow);

        Assert.That((cancelled.Status, cancelled.RemainingAuthorizedAmount), Is.EqualTo((KlarnaOrderStatus.Cancelled, 0L)));
        Assert.That((released.Status, released.RemainingAuthorizedAmount), Is.EqualTo((KlarnaOrderStatus.Captured, 0L)));
    }

    [Test]
    public void A_list_that_cannot_be_read_is_none()
    {
        Assert.That(KlarnaWriteSender.ReadList<KlarnaOrderLine>("not json"), Is.Null);
        Assert.That(KlarnaWriteSender.ReadList<KlarnaOrderLine>(null), Is.Null);
    }
    [Test]
    public void A_refund_applied_to_the_read_copy_adds_it_once_with_its_details()
    {
        var order = new KlarnaOrder { Status = KlarnaOrderStatus.Captured, CapturedAmount = 5000, RefundedAmount = 1000 };
        var operation = Operation(KlarnaOperationKind.Refund);
        operation.KlarnaId = "ref-9";
        var now = new DateTime(2027, 3, 1, 10, 0, 0, DateTimeKind.Utc);

        var reread = KlarnaWriteSender.ApplyLocally(order, operation, now);
        var again = KlarnaWriteSender.ApplyLocally(order, operation, now);

        Assert.That((reread, again), Is.EqualTo((false, false)));
        Assert.That(order.RefundedAmount, Is.EqualTo(3500));
        var refund = order.Refunds.Single();
        Assert.That((refund.RefundId, refund.RefundedAmount, refund.RefundedAt, refund.Description, refund.Reference),
            Is.EqualTo(("ref-9", 2500L, (DateTimeOffset?)now, "Return", "1001")));
        Assert.That(refund.OrderLines.Single().Reference, Is.EqualTo("sku-1"));
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.Captured));
    }

    [Test]
    public void Writes_whose_id_Klarna_did_not_give_are_each_applied()
    {
        var order = new KlarnaOrder { Status = KlarnaOrderStatus.Authorized, RemainingAuthorizedAmount = 10000, Captures = new List<KlarnaCapture>() };
        var capture = Operation(KlarnaOperationKind.Capture);
        capture.KlarnaId = null;
        var refund = Operation(KlarnaOperationKind.Refund);
        refund.KlarnaId = null;

        KlarnaWriteSender.ApplyLocally(order, capture, DateTime.UtcNow);
        KlarnaWriteSender.ApplyLocally(order, capture, DateTime.UtcNow);
        KlarnaWriteSender.ApplyLocally(order, refund, DateTime.UtcNow);
        KlarnaWriteSender.ApplyLocally(order, refund, DateTime.UtcNow);

        Assert.That((order.CapturedAmount, order.Captures.Count), Is.EqualTo((5000L, 2)));
        Assert.That((order.RefundedAmount, order.Refunds.Count), Is.EqualTo((5000L, 2)));
    }

    [Test]
    public void Shipping_info_applied_to_the_read_copy_adds_only_the_tracking_numbers_the_capture_lacks()
    {
        var capture = new KlarnaCapture { CaptureId = "cap-1", ShippingInfo = new List<KlarnaShippingInfo> { new() { TrackingNumber = "T-0" } } };
        var bare = new KlarnaCapture { CaptureId = "cap-2" };
        var order = new KlarnaOrder { Captures = new List<KlarnaCapture> { bare, capture } };
        var operation = Operation(KlarnaOperationKind.ShippingInfo);
        operation.ShippingInfoJson = JsonConvert.SerializeObject(new[] { new KlarnaShippingInfo { TrackingNumber = "T-0" }, new KlarnaShippingInfo { TrackingNumber = "T-1" } });
        var toBare = Operation(KlarnaOperationKind.ShippingInfo);
        toBare.KlarnaId = "cap-2";
        toBare.ShippingInfoJson = null;
        var toNone = Operation(KlarnaOperationKind.ShippingInfo);
        toNone.KlarnaId = "cap-unknown";

        var reread = KlarnaWriteSender.ApplyLocally(order, operation, DateTime.UtcNow);
        KlarnaWriteSender.ApplyLocally(order, toBare, DateTime.UtcNow);
        KlarnaWriteSender.ApplyLocally(order, toNone, DateTime.UtcNow);

        Assert.That(reread, Is.False);
        Assert.That(capture.ShippingInfo.Select(s => s.TrackingNumber), Is.EqualTo(new[] { "T-0", "T-1" }));
        Assert.That(bare.ShippingInfo, Is.Empty);
        Assert.That(order.Captures, Has.Count.EqualTo(2));
    }

    [Test]
    public void Only_an_extension_asks_for_a_second_read()
    {
        foreach (var kind in new[] { KlarnaOperationKind.Capture, KlarnaOperationKind.Refund, KlarnaOperationKind.Cancel, KlarnaOperationKind.Release,
                     KlarnaOperationKind.ShippingInfo, KlarnaOperationKind.Authorize })
        {
            var order = new KlarnaOrder { Status = KlarnaOrderStatus.Authorized, RemainingAuthorizedAmount = 5000, Captures = new List<KlarnaCapture> { new() { CaptureId = "cap-1" } } };
            Assert.That(KlarnaWriteSender.ApplyLocally(order, Operation(kind), DateTime.UtcNow), Is.False, kind.ToString());
        }
    }

    [Test]
    public void A_capture_or_refund_Klarna_already_shows_is_not_applied_again()
    {
        var order = new KlarnaOrder
        {
            Status = KlarnaOrderStatus.PartCaptured, CapturedAmount = 2500, RefundedAmount = 100, RemainingAuthorizedAmount = 2500,
            Captures = new List<KlarnaCapture> { new() { CaptureId = "cap-1" } },
            Refunds = new List<KlarnaRefund> { new() { RefundId = "cap-1" } }
        };

        KlarnaWriteSender.ApplyLocally(order, Operation(KlarnaOperationKind.Capture), DateTime.UtcNow);
        KlarnaWriteSender.ApplyLocally(order, Operation(KlarnaOperationKind.Refund), DateTime.UtcNow);

        Assert.That((order.CapturedAmount, order.RefundedAmount, order.RemainingAuthorizedAmount), Is.EqualTo((2500L, 100L, 2500L)));
        Assert.That((order.Captures.Count, order.Refunds.Count), Is.EqualTo((1, 1)));
    }

    [Test]
    public void A_capture_with_no_lines_or_shipping_info_recorded_sends_none()
    {
        KlarnaCaptureRequest sent = null;
        _client.Setup(c => c.CaptureAsync(_credentials, "k-1", It.IsAny<KlarnaCaptureRequest>(), "key-1", CancellationToken.None))
            .Callback((KlarnaCredentials _, string _, KlarnaCaptureRequest request, string _, CancellationToken _) => sent = request)
            .ReturnsAsync("cap-9");
        var operation = Operation(KlarnaOperationKind.Capture);
        operation.LinesJson = "[]";
        operation.ShippingInfoJson = "[]";

        Assert.DoesNotThrowAsync(() => _sender.SendAsync(_credentials, operation));

        Assert.That(sent.OrderLines, Is.Null);
        Assert.That(sent.ShippingInfo, Is.Null);
    }

    [Test]
    public void Nothing_is_sent_or_applied_without_an_operation_or_an_order()
    {
        Assert.That(() => _sender.SendAsync(_credentials, null), Throws.ArgumentNullException);
        Assert.That(() => KlarnaWriteSender.ApplyLocally(null, Operation(KlarnaOperationKind.Capture), DateTime.UtcNow), Throws.ArgumentNullException);
        Assert.That(() => _sender.SendAsync(_credentials, Operation(KlarnaOperationKind.Authorize)),
            Throws.InvalidOperationException.With.Message.Contains("Authorize"));
        _client.VerifyNoOtherCalls();
    }
}
