using Microsoft.Extensions.DependencyInjection;
using Moq;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// Opening a session (the order once, its store's settings) and loading it under the lock (record, credentials, one read)
/// </summary>
[TestFixture]
public class KlarnaOrderSessionsTests
{
    private OrderManagementHarness _harness;
    private KlarnaOrderSessions _sessions;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
        _sessions = _harness.Services.GetRequiredService<KlarnaOrderSessions>();
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task The_callers_order_instance_is_used_and_an_id_alone_loads_it_once()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 1000));
        Interlocked.Exchange(ref _harness.OrderLoads, 0);

        var (given, _) = await _sessions.OpenAsync(order, 0, KlarnaInitiator.Admin);
        var (loaded, _) = await _sessions.OpenAsync(null, order.Id, KlarnaInitiator.Admin);

        Assert.That(given.Order, Is.SameAs(order));
        Assert.That(loaded.Order, Is.SameAs(order));
        Assert.That(_harness.OrderLoads, Is.EqualTo(1));
        Assert.That(given.Settings, Is.SameAs(_harness.Settings));
    }

    [Test]
    public async Task An_order_of_another_payment_method_a_deleted_one_or_none_is_not_a_klarna_order()
    {
        var manual = await _sessions.OpenAsync(new Order { Id = 3, PaymentMethodSystemName = "Payments.Manual" }, 0, KlarnaInitiator.Admin);
        var deleted = await _sessions.OpenAsync(new Order { Id = 4, PaymentMethodSystemName = KlarnaDefaults.SystemName, Deleted = true }, 0, KlarnaInitiator.Admin);
        var none = await _sessions.OpenAsync(null, 999, KlarnaInitiator.Admin);

        Assert.That(new[] { manual.Refusal.Code, deleted.Refusal.Code, none.Refusal.Code }, Is.All.EqualTo(KlarnaRefusalCode.NotKlarnaOrder));
    }

    [Test]
    public async Task Loading_reads_klarnas_order_once_and_the_operations()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 1000));
        var (session, _) = await _sessions.OpenAsync(order, 0, KlarnaInitiator.Admin);

        var failure = await _sessions.LoadAsync(session, null, CancellationToken.None);

        Assert.That(failure, Is.Null);
        Assert.That(_harness.Klarna.Reads, Is.EqualTo(1));
        Assert.That(session.KlarnaOrder.OrderId, Is.EqualTo(_harness.KlarnaOrderId(order)));
        Assert.That(session.Record.OrderId, Is.EqualTo(order.Id));
        Assert.That(session.Credentials.Username, Is.EqualTo("user"));
    }

    [Test]
    public async Task Missing_credentials_are_refused_naming_the_region_and_environment_and_logged()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 1000));
        _harness.Settings.EuropePlaygroundUsername = null;
        var (session, _) = await _sessions.OpenAsync(order, 0, KlarnaInitiator.Admin);

        var failure = await _sessions.LoadAsync(session, null, CancellationToken.None);

        Assert.That(failure.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.NoCredentials));
        Assert.That(failure.Refusal.Args, Is.EqualTo(new object[] { "Europe", "Playground" }));
        Assert.That(_harness.Klarna.Reads, Is.Zero);
    }

    [TestCase(KlarnaInitiator.Admin, 1)]
    [TestCase(KlarnaInitiator.CaptureUponFulfillment, 1)]
    [TestCase(KlarnaInitiator.Notification, 0)]
    [TestCase(KlarnaInitiator.StatusSync, 0)]
    public async Task A_failed_read_leaves_a_note_only_where_nobody_else_reports_it(KlarnaInitiator initiator, int notes)
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 1000));
        _harness.Klarna.FailReads = true;
        var (session, _) = await _sessions.OpenAsync(order, 0, initiator);

        var failure = await _sessions.LoadAsync(session, null, CancellationToken.None);

        Assert.That(failure.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.KlarnaUnreadable));
        Assert.That(failure.KlarnaError.CorrelationId, Does.StartWith("corr-"));
        Assert.That(_harness.NotesOf(order), Has.Count.EqualTo(notes));
    }

    [Test]
    public void A_cancelled_read_is_not_a_failure_but_a_cancellation()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 1000));
        _harness.Klarna.ReadDelay = TimeSpan.FromSeconds(30);
        var (session, _) = _sessions.OpenAsync(order, 0, KlarnaInitiator.Admin).GetAwaiter().GetResult();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        Assert.That(() => _sessions.LoadAsync(session, null, cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_harness.NotesOf(order), Is.Empty);
    }

    [Test]
    public async Task A_second_read_after_an_extension_keeps_the_copy_when_it_fails()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 1000));
        var (session, _) = await _sessions.OpenAsync(order, 0, KlarnaInitiator.Admin);
        await _sessions.LoadAsync(session, null, CancellationToken.None);
        var copy = session.KlarnaOrder;
        _harness.Klarna.FailReads = true;

        await _sessions.RereadAsync(session);

        Assert.That(session.KlarnaOrder, Is.SameAs(copy));
        _harness.Logger.Verify(l => l.WarningAsync(It.IsAny<string>(), It.IsAny<Exception>(), null), Times.Once);
    }
}
