using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.StatusSync;

/// <summary>
/// What a run writes about itself: its start and end on the shop's clock, which stored row it takes, and how the settings page
/// reads the last one back
/// </summary>
public partial class KlarnaStatusSyncRunTests
{
    [Test]
    public async Task A_new_run_records_its_start_and_end_on_the_shops_clock()
    {
        var clock = new TestTimeProvider();
        clock.Advance(TimeSpan.FromDays(10));
        Open(1);

        var before = clock.GetUtcNow().UtcDateTime;
        var status = await CreateService(clock).SyncAsync();
        var after = clock.GetUtcNow().UtcDateTime;

        Assert.That(status.StartedOnUtc, Is.InRange(before, after));
        Assert.That(status.EndedOnUtc, Is.InRange(status.StartedOnUtc, after));
        Assert.That(_runs.Rows.Single().StartedOnUtc, Is.EqualTo(status.StartedOnUtc));
    }

    [Test]
    public async Task Of_stored_runs_that_started_at_the_same_time_the_first_stored_is_reused()
    {
        var startedOn = DateTime.UtcNow.AddHours(-5);
        for (var i = 0; i < KlarnaSyncRunLog.KeptRuns; i++)
            await _runs.InsertAsync(new KlarnaSyncRun { StartedOnUtc = startedOn, EndedOnUtc = startedOn });
        var firstId = _runs.Rows.Min(run => run.Id);

        var status = await CreateService().SyncAsync();

        Assert.That(status.RunId, Is.EqualTo(firstId));
    }

    [Test]
    public async Task Of_runs_that_started_at_the_same_time_the_last_stored_is_the_last_run()
    {
        var startedOn = DateTime.UtcNow.AddHours(-1);
        await _runs.InsertAsync(new KlarnaSyncRun { StartedOnUtc = startedOn, CheckedCount = 1 });
        await _runs.InsertAsync(new KlarnaSyncRun { StartedOnUtc = startedOn, CheckedCount = 2 });

        var last = await CreateService().GetLastRunAsync();

        Assert.That(last.CheckedCount, Is.EqualTo(2));
    }

    [Test]
    public async Task A_stored_run_without_failure_or_expiry_lists_reads_back_as_empty_lists()
    {
        await _runs.InsertAsync(new KlarnaSyncRun { StartedOnUtc = DateTime.UtcNow, FailuresJson = null, ExpiringJson = null });

        var last = await CreateService().GetLastRunAsync();

        Assert.That(last.Failures, Is.Empty);
        Assert.That(last.ExpiringAuthorizations, Is.Empty);
    }

    [Test]
    public async Task A_run_cancelled_before_it_starts_reads_no_page_of_open_orders()
    {
        Open(1, 2);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        await CreateService().SyncAsync(cancellation.Token);

        Assert.That(_pageReads, Is.Empty);
    }

    [Test]
    public async Task Without_stored_runs_the_settings_page_shows_no_last_run()
    {
        Assert.That(await CreateService().GetLastRunAsync(), Is.Null);
    }

    [Test]
    public async Task Each_extended_authorization_is_counted()
    {
        Open(1, 2, 3);
        _processor.Answer = (record, _) => new KlarnaOrderSyncResult
        {
            Outcome = KlarnaOrderSyncOutcome.Unchanged,
            Expiring = new KlarnaExpiringAuthorization { OrderId = record.OrderId, ExpiresAtUtc = DateTime.UtcNow.AddDays(record.OrderId), Extended = record.OrderId != 3 }
        };

        var status = await CreateService().SyncAsync();

        Assert.That(status.ExtendedCount, Is.EqualTo(2));
        Assert.That(status.ExpiringAuthorizations, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task An_order_whose_request_timed_out_is_that_orders_failure_when_the_run_was_not_cancelled()
    {
        Open(1, 2);
        _processor.Answer = (record, _) => record.OrderId == 1
            ? throw new TaskCanceledException("the request timed out")
            : new KlarnaOrderSyncResult { Outcome = KlarnaOrderSyncOutcome.Changed };

        var status = await CreateService().SyncAsync();

        Assert.That((status.FailedCount, status.ChangedCount), Is.EqualTo((1, 1)));
        var failure = status.Failures.Single();
        Assert.That((failure.OrderId, failure.ErrorCode), Is.EqualTo((1, nameof(TaskCanceledException))));
    }
}
