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
/// Cancel, release, void (cancel or release, decided on Klarna's order) and extension of the authorization, through the executor
/// </summary>
[TestFixture]
public class KlarnaAuthorizationCommandsTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private async Task<Order> PartCapturedOrderAsync()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000), Line("sku-2", 1, 2000));
        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 1000 });
        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        return order;
    }

    [Test]
    public async Task Cancel_cancels_an_authorized_order_and_sets_voided_and_the_cancel_status()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCancelCommand { OrderId = order.Id, InitiatedBy = "admin" });

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(_harness.KlarnaOrderOf(order).Status, Is.EqualTo(KlarnaOrderStatus.Cancelled));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Voided));
        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Cancelled));
        Assert.That(_harness.NotesOf(order), Has.Some.Contains("order cancelled; the authorization of 50.00 EUR is released"));
    }

    [Test]
    public async Task Cancel_after_a_capture_is_refused_pointing_to_the_release()
    {
        var order = await PartCapturedOrderAsync();

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCancelCommand { OrderId = order.Id });

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.CancelNotAllowedAfterCapture));
        Assert.That(_harness.TextOf(result), Does.Contain("Release the remaining authorization"));
        Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Cancel_of_a_cancelled_order_is_nothing_to_do()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        await _harness.Executor.ExecuteAsync(new KlarnaCancelCommand { OrderId = order.Id });

        var again = await _harness.Executor.ExecuteAsync(new KlarnaCancelCommand { OrderId = order.Id });

        Assert.That(again.NothingToDo, Is.True);
        Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Release_after_a_partial_capture_sets_paid_and_the_capture_status()
    {
        var order = await PartCapturedOrderAsync();

        var result = await _harness.Executor.ExecuteAsync(new KlarnaReleaseCommand { OrderId = order.Id });

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(_harness.KlarnaOrderOf(order).RemainingAuthorizedAmount, Is.EqualTo(0));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Complete));
        Assert.That(_harness.NotesOf(order), Has.Some.Contains("the remaining authorization of 110.00 EUR is released"));
        Assert.That(result.Operation.AmountMinor, Is.EqualTo(11000));
    }

    [Test]
    public async Task Release_without_captures_is_refused_pointing_to_the_cancel()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await _harness.Executor.ExecuteAsync(new KlarnaReleaseCommand { OrderId = order.Id });

        Assert.That(_harness.TextOf(result), Does.Contain("cancel the order instead"));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task Void_cancels_an_order_without_captures_and_releases_the_rest_of_one_with_captures()
    {
        var uncaptured = _harness.CreateOrder(Line("sku-1", 1, 5000));
        var captured = await PartCapturedOrderAsync();

        var cancel = await _harness.Executor.ExecuteAsync(new KlarnaVoidCommand { OrderId = uncaptured.Id });
        var release = await _harness.Executor.ExecuteAsync(new KlarnaVoidCommand { OrderId = captured.Id });

        Assert.That(cancel.Operation.Kind, Is.EqualTo(KlarnaOperationKind.Cancel));
        Assert.That(release.Operation.Kind, Is.EqualTo(KlarnaOperationKind.Release));
        Assert.That(_harness.Klarna.Writes.Select(w => w.Method), Is.EqualTo(new[] { "capture", "cancel", "release" }));
    }

    [Test]
    public async Task Extension_extends_and_records_the_new_expiry_read_from_klarna()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));

        var result = await _harness.Executor.ExecuteAsync(new KlarnaExtendAuthorizationCommand { OrderId = order.Id });

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        var record = await _harness.RecordService.GetByOrderIdAsync(order.Id);
        Assert.That(record.ExpiresAtUtc, Is.EqualTo(_harness.KlarnaOrderOf(order).ExpiresAt.Value.UtcDateTime));
        Assert.That(_harness.Klarna.Writes.Single().Method, Is.EqualTo("extend"));
        Assert.That(_harness.NotesOf(order), Has.Some.Contains("the authorization now expires on"));
    }

    [Test]
    public async Task Extension_of_a_cancelled_order_is_refused()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        await _harness.Executor.ExecuteAsync(new KlarnaCancelCommand { OrderId = order.Id });

        var result = await _harness.Executor.ExecuteAsync(new KlarnaExtendAuthorizationCommand { OrderId = order.Id });

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.ExtendNotAllowed));
        Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(1));
    }
}
