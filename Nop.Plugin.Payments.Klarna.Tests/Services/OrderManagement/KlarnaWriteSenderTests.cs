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
}
