using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Configuration;
using Nop.Services.Logging;
using Nop.Services.ScheduleTasks;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.StatusSync;

/// <summary>
/// A status synchronization run over many orders with each order's outcome given: which orders it reads and in which order,
/// how it counts and keeps the outcomes, how it retries 429s, and what it records when the run fails or is cancelled
/// </summary>
[TestFixture]
public partial class KlarnaStatusSyncRunTests
{
    private List<KlarnaOrderRecord> _open;
    private HashSet<int> _gone;
    private List<(int PageIndex, int PageSize)> _pageReads;
    private List<IList<int>> _batchReads;
    private Mock<IKlarnaOrderRecordService> _recordService;
    private Mock<ILogger> _logger;
    private InMemoryRepository<KlarnaSyncRun> _runs;
    private KlarnaSettings _settings;
    private ScriptedProcessor _processor;
    private ServiceProvider _provider;

    /// <summary>
    /// Answers each order with the outcome the test scripts (by order id and attempt) and records the calls
    /// </summary>
    private sealed class ScriptedProcessor : IKlarnaStatusSyncOrderProcessor
    {
        private readonly ConcurrentDictionary<int, int> _attempts = new();

        public Func<KlarnaOrderRecord, int, KlarnaOrderSyncResult> Answer { get; set; } =
            (_, _) => new KlarnaOrderSyncResult { Outcome = KlarnaOrderSyncOutcome.Unchanged };

        public ConcurrentQueue<int> Calls { get; } = new();

        public ConcurrentBag<KlarnaSyncRunContext> Contexts { get; } = new();

        public Task<KlarnaOrderSyncResult> SyncOrderAsync(int orderId, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("the run syncs records");

        public Task<KlarnaOrderSyncResult> SyncOrderAsync(KlarnaOrderRecord record, KlarnaSyncRunContext runContext, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue(record.OrderId);
            Contexts.Add(runContext);
            var attempt = _attempts.AddOrUpdate(record.OrderId, 0, (_, previous) => previous + 1);
            return Task.FromResult(Answer(record, attempt));
        }
    }

    [SetUp]
    public void SetUp()
    {
        _open = new List<KlarnaOrderRecord>();
        _gone = new HashSet<int>();
        _pageReads = new List<(int, int)>();
        _batchReads = new List<IList<int>>();
        _settings = new KlarnaSettings { SyncConcurrency = 1 };
        _runs = new InMemoryRepository<KlarnaSyncRun>();
        _logger = new Mock<ILogger>();
        _processor = new ScriptedProcessor();

        _recordService = new Mock<IKlarnaOrderRecordService>();
        _recordService.Setup(s => s.GetOpenRecordsAsync(It.IsAny<int>(), It.IsAny<int>())).ReturnsAsync((int pageIndex, int pageSize) =>
        {
            lock (_pageReads)
                _pageReads.Add((pageIndex, pageSize));
            return _open.Skip(pageIndex * pageSize).Take(pageSize).ToList();
        });
        _recordService.Setup(s => s.GetByOrderIdsAsync(It.IsAny<IList<int>>())).ReturnsAsync((IList<int> ids) =>
        {
            lock (_batchReads)
                _batchReads.Add(ids.ToList());
            return _open.Where(record => ids.Contains(record.OrderId) && !_gone.Contains(record.OrderId)).ToList();
        });

        var services = new ServiceCollection();
        services.AddScoped<IKlarnaStatusSyncOrderProcessor>(_ => _processor);
        _provider = services.BuildServiceProvider();
    }

    [TearDown]
    public async Task TearDown() => await _provider.DisposeAsync();

    private KlarnaStatusSyncService CreateService(TimeProvider clock = null)
    {
        var settingService = new Mock<ISettingService>();
        settingService.Setup(s => s.LoadSettingAsync<KlarnaSettings>(It.IsAny<int>())).ReturnsAsync(_settings);

        return new KlarnaStatusSyncService(_recordService.Object, _logger.Object, new KlarnaSyncRunLog(_runs, clock ?? TimeProvider.System), new Mock<IScheduleTaskService>().Object,
            _provider.GetRequiredService<IServiceScopeFactory>(), settingService.Object, clock ?? TimeProvider.System)
        {
            RateLimitPause = TimeSpan.FromMilliseconds(1),
            MaxRateLimitPause = TimeSpan.FromMilliseconds(2)
        };
    }

    private void Open(params int[] orderIds)
    {
        foreach (var orderId in orderIds)
            _open.Add(new KlarnaOrderRecord { Id = orderId, OrderId = orderId, KlarnaOrderId = $"k-{orderId}" });
    }

    private static KlarnaSyncFailure FailureOf(int orderId, string code) => new() { OrderId = orderId, StatusCode = 500, ErrorCode = code, Message = $"order {orderId}" };

    [Test]
    public async Task Each_outcome_is_counted_and_failures_and_expiring_authorizations_are_kept_for_the_settings_page()
    {
        Open(1, 2, 3, 4, 5, 6);
        var soon = new DateTime(2027, 1, 2, 0, 0, 0, DateTimeKind.Utc);
        _processor.Answer = (record, _) => record.OrderId switch
        {
            1 => new KlarnaOrderSyncResult { Outcome = KlarnaOrderSyncOutcome.Changed },
            2 => new KlarnaOrderSyncResult { Outcome = KlarnaOrderSyncOutcome.Unchanged },
            3 => new KlarnaOrderSyncResult { Outcome = KlarnaOrderSyncOutcome.Skipped },
            4 => new KlarnaOrderSyncResult { Outcome = KlarnaOrderSyncOutcome.Failed, Failure = FailureOf(4, "SERVER_ERROR") },
            5 => new KlarnaOrderSyncResult
            {
                Outcome = KlarnaOrderSyncOutcome.Unchanged,
                Expiring = new KlarnaExpiringAuthorization { OrderId = 5, ExpiresAtUtc = soon.AddDays(1), Extended = true }
            },
            _ => new KlarnaOrderSyncResult
            {
                Outcome = KlarnaOrderSyncOutcome.Changed,
                Expiring = new KlarnaExpiringAuthorization { OrderId = 6, ExpiresAtUtc = soon, Extended = false, ExtendError = "refused" }
            }
        };

        var status = await CreateService().SyncAsync();

        Assert.That(status.CheckedCount, Is.EqualTo(4));
        Assert.That(status.ChangedCount, Is.EqualTo(2));
        Assert.That(status.SkippedCount, Is.EqualTo(1));
        Assert.That(status.FailedCount, Is.EqualTo(1));
        Assert.That(status.RateLimitedCount, Is.Zero);
        Assert.That(status.ExtendedCount, Is.EqualTo(1));
        Assert.That(status.Failures.Select(f => (f.OrderId, f.ErrorCode, f.StatusCode)), Is.EqualTo(new[] { (4, "SERVER_ERROR", 500) }));
        Assert.That(status.ExpiringAuthorizations.Select(e => e.OrderId), Is.EqualTo(new[] { 6, 5 }), "soonest expiry first");
        Assert.That(status.ExpiringAuthorizations[0].ExtendError, Is.EqualTo("refused"));
        Assert.That(status.EndedOnUtc, Is.Not.Null);
        Assert.That(status.RunId, Is.EqualTo(_runs.Rows.Single().Id));
        _logger.Verify(l => l.WarningAsync(It.Is<string>(m => m.Contains("1 of 5 orders failed")), null, null), Times.Once);
    }

    [Test]
    public async Task A_run_without_failures_writes_no_warning_and_stores_empty_lists()
    {
        Open(1, 2);

        var status = await CreateService().SyncAsync();

        Assert.That(status.CheckedCount, Is.EqualTo(2));
        Assert.That(status.Failures, Is.Empty);
        Assert.That(status.ExpiringAuthorizations, Is.Empty);
        Assert.That(_runs.Rows.Single().FailuresJson, Is.EqualTo("[]"));
        _logger.Verify(l => l.WarningAsync(It.IsAny<string>(), It.IsAny<Exception>(), null), Times.Never);
    }

    [Test]
    public async Task Orders_a_notification_pointed_at_are_synced_first_and_each_order_once()
    {
        Open(1, 2, 3, 4);
        _open[2].SyncRequested = true;
        _open.Add(new KlarnaOrderRecord { Id = 99, OrderId = 2, KlarnaOrderId = "k-2-again" });

        await CreateService().SyncAsync();

        Assert.That(_processor.Calls, Is.EqualTo(new[] { 3, 1, 2, 4 }));
    }

    [Test]
    public async Task The_open_orders_are_read_page_by_page_until_a_short_page()
    {
        var pageSize = KlarnaStatusSyncService.PageSize;
        Open(Enumerable.Range(1, pageSize + 3).ToArray());

        var status = await CreateService().SyncAsync();

        Assert.That(_pageReads, Is.EqualTo(new[] { (0, pageSize), (1, pageSize) }));
        Assert.That(status.CheckedCount, Is.EqualTo(pageSize + 3));
        Assert.That(_processor.Calls.Distinct().Count(), Is.EqualTo(pageSize + 3));
    }

    [Test]
    public async Task A_full_page_that_adds_no_new_order_ends_the_reading()
    {
        var pageSize = KlarnaStatusSyncService.PageSize;
        Open(Enumerable.Range(1, pageSize).ToArray());
        _recordService.Setup(s => s.GetOpenRecordsAsync(It.IsAny<int>(), It.IsAny<int>())).ReturnsAsync((int pageIndex, int size) =>
        {
            _pageReads.Add((pageIndex, size));
            return _open.ToList(); //a store that ignores the page: the same full page every time
        });

        var status = await CreateService().SyncAsync();

        Assert.That(_pageReads, Is.EqualTo(new[] { (0, pageSize), (1, pageSize) }));
        Assert.That(status.CheckedCount, Is.EqualTo(pageSize));
    }

    [Test]
    public async Task A_store_answering_no_page_is_a_run_over_no_orders()
    {
        _recordService.Setup(s => s.GetOpenRecordsAsync(It.IsAny<int>(), It.IsAny<int>())).ReturnsAsync((IList<KlarnaOrderRecord>)null);

        var status = await CreateService().SyncAsync();

        Assert.That(status.CheckedCount, Is.Zero);
        Assert.That(status.Failures, Is.Empty);
        Assert.That(_processor.Calls, Is.Empty);
    }

    [TestCase(1, 50)]
    [TestCase(8, 64)]
    public async Task Records_are_read_a_batch_at_a_time_shortly_before_their_orders(int concurrency, int batchSize)
    {
        _settings.SyncConcurrency = concurrency;
        Open(Enumerable.Range(1, batchSize * 2 + 5).ToArray());

        var status = await CreateService().SyncAsync();

        Assert.That(_batchReads.Select(batch => batch.Count), Is.EqualTo(new[] { batchSize, batchSize, 5 }));
        Assert.That(_batchReads.SelectMany(batch => batch), Is.EqualTo(Enumerable.Range(1, batchSize * 2 + 5)));
        Assert.That(status.CheckedCount, Is.EqualTo(batchSize * 2 + 5));
    }

    [Test]
    public async Task An_order_gone_since_the_list_was_read_is_left_out_and_the_run_still_ends()
    {
        Open(1, 2, 3);
        _gone.Add(2);

        var status = await CreateService().SyncAsync();

        Assert.That(_processor.Calls, Is.EqualTo(new[] { 1, 3 }));
        Assert.That(status.CheckedCount, Is.EqualTo(2));
        Assert.That(status.FailedCount, Is.Zero);
    }

    [Test]
    public async Task A_rate_limited_order_is_tried_again_in_the_same_run_and_the_run_slows_down()
    {
        _settings.SyncConcurrency = 4;
        Open(1, 2);
        _processor.Answer = (record, attempt) => record.OrderId == 1 && attempt < 2
            ? new KlarnaOrderSyncResult { Outcome = KlarnaOrderSyncOutcome.RateLimited, Failure = FailureOf(1, "TOO_MANY_REQUESTS") }
            : new KlarnaOrderSyncResult { Outcome = KlarnaOrderSyncOutcome.Unchanged };
        var service = CreateService();

        var status = await service.SyncAsync();

        Assert.That(status.RateLimitedCount, Is.EqualTo(2));
        Assert.That(status.CheckedCount, Is.EqualTo(2));
        Assert.That(status.FailedCount, Is.Zero);
        Assert.That(status.Failures, Is.Empty);
        Assert.That(_processor.Calls.Count(id => id == 1), Is.EqualTo(3));
        Assert.That(service.LastThrottle.CurrentLimit, Is.LessThan(4));
    }

    [Test]
    public async Task An_order_rate_limited_on_every_try_fails_after_the_last_allowed_attempt()
    {
        Open(1);
        _processor.Answer = (_, _) => new KlarnaOrderSyncResult { Outcome = KlarnaOrderSyncOutcome.RateLimited, Failure = FailureOf(1, "TOO_MANY_REQUESTS") };

        var status = await CreateService().SyncAsync();

        Assert.That(_processor.Calls, Has.Count.EqualTo(KlarnaStatusSyncService.MaxRateLimitedAttempts));
        Assert.That(status.RateLimitedCount, Is.EqualTo(KlarnaStatusSyncService.MaxRateLimitedAttempts));
        Assert.That(status.FailedCount, Is.EqualTo(1));
        Assert.That(status.CheckedCount, Is.Zero);
        Assert.That(status.Failures.Single().ErrorCode, Is.EqualTo("TOO_MANY_REQUESTS"));
    }

    [Test]
    public async Task A_processor_that_throws_is_that_orders_failure_and_the_others_are_synced()
    {
        Open(1, 2);
        _processor.Answer = (record, _) => record.OrderId == 1
            ? throw new InvalidOperationException("scope broken")
            : new KlarnaOrderSyncResult { Outcome = KlarnaOrderSyncOutcome.Changed };

        var status = await CreateService().SyncAsync();

        Assert.That(status.FailedCount, Is.EqualTo(1));
        Assert.That(status.ChangedCount, Is.EqualTo(1));
        var failure = status.Failures.Single();
        Assert.That(failure.OrderId, Is.EqualTo(1));
        Assert.That(failure.StatusCode, Is.EqualTo(-1));
        Assert.That(failure.ErrorCode, Is.EqualTo(nameof(InvalidOperationException)));
        Assert.That(failure.Message, Is.EqualTo("scope broken"));
    }

    [Test]
    public async Task A_failed_order_without_details_is_counted_but_not_listed()
    {
        Open(1);
        _processor.Answer = (_, _) => new KlarnaOrderSyncResult { Outcome = KlarnaOrderSyncOutcome.Failed };

        var status = await CreateService().SyncAsync();

        Assert.That(status.FailedCount, Is.EqualTo(1));
        Assert.That(status.Failures, Is.Empty);
    }

    [Test]
    public async Task At_most_the_first_hundred_failures_by_order_are_kept()
    {
        var count = KlarnaStatusSyncService.MaxStoredFailures + 5;
        Open(Enumerable.Range(1, count).Reverse().ToArray());
        _processor.Answer = (record, _) => new KlarnaOrderSyncResult { Outcome = KlarnaOrderSyncOutcome.Failed, Failure = FailureOf(record.OrderId, "X") };

        var status = await CreateService().SyncAsync();

        Assert.That(status.FailedCount, Is.EqualTo(count));
        Assert.That(status.Failures.Select(f => f.OrderId), Is.EqualTo(Enumerable.Range(1, KlarnaStatusSyncService.MaxStoredFailures)));
    }

    [Test]
    public async Task At_most_the_soonest_five_hundred_expiring_authorizations_are_kept()
    {
        var count = KlarnaStatusSyncService.MaxStoredExpiring + 2;
        Open(Enumerable.Range(1, count).ToArray());
        var start = new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        _processor.Answer = (record, _) => new KlarnaOrderSyncResult
        {
            Outcome = KlarnaOrderSyncOutcome.Unchanged,
            Expiring = new KlarnaExpiringAuthorization { OrderId = record.OrderId, ExpiresAtUtc = start.AddMinutes(count - record.OrderId) }
        };

        var status = await CreateService().SyncAsync();

        Assert.That(status.ExpiringAuthorizations, Has.Count.EqualTo(KlarnaStatusSyncService.MaxStoredExpiring));
        Assert.That(status.ExpiringAuthorizations[0].OrderId, Is.EqualTo(count));
        Assert.That(status.ExpiringAuthorizations.Select(e => e.OrderId), Does.Not.Contain(1).And.Not.Contain(2));
    }

    [TestCase(0, 1)]
    [TestCase(6, 6)]
    [TestCase(1000, 32)]
    public async Task The_concurrency_is_the_settings_one_between_one_and_thirty_two(int configured, int expected)
    {
        _settings.SyncConcurrency = configured;
        var service = CreateService();

        await service.SyncAsync();

        Assert.That(service.LastThrottle.CurrentLimit, Is.EqualTo(expected));
    }

    [Test]
    public async Task All_orders_of_a_run_share_one_run_context()
    {
        _settings.SyncConcurrency = 3;
        Open(1, 2, 3, 4, 5);

        await CreateService().SyncAsync();

        Assert.That(_processor.Contexts.Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_cancelled_run_ends_with_a_cancelled_failure()
    {
        Open(1, 2);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        var status = await CreateService().SyncAsync(cancellation.Token);

        Assert.That(_processor.Calls, Is.Empty);
        var failure = status.Failures.Single();
        Assert.That(failure.ErrorCode, Is.EqualTo(KlarnaSyncFailure.CancelledCode));
        Assert.That(failure.OrderId, Is.Zero);
        Assert.That(failure.StatusCode, Is.EqualTo(-1));
        Assert.That(status.EndedOnUtc, Is.Not.Null);
    }

    [Test]
    public async Task A_run_that_cannot_read_the_open_orders_records_and_logs_the_error()
    {
        _recordService.Setup(s => s.GetOpenRecordsAsync(It.IsAny<int>(), It.IsAny<int>())).ThrowsAsync(new TimeoutException("database timeout"));

        var status = await CreateService().SyncAsync();

        var failure = status.Failures.Single();
        Assert.That(failure.ErrorCode, Is.EqualTo(nameof(TimeoutException)));
        Assert.That(failure.Message, Is.EqualTo("database timeout"));
        Assert.That(failure.StatusCode, Is.EqualTo(-1));
        Assert.That(status.EndedOnUtc, Is.Not.Null);
        _logger.Verify(l => l.ErrorAsync(It.Is<string>(m => m.Contains("run failed")), It.IsAny<TimeoutException>(), null), Times.Once);
    }

    [Test]
    public async Task A_reused_run_row_starts_from_zero()
    {
        for (var i = 0; i < KlarnaSyncRunLog.KeptRuns; i++)
            await _runs.InsertAsync(new KlarnaSyncRun
            {
                StartedOnUtc = DateTime.UtcNow.AddHours(-100 + i),
                EndedOnUtc = DateTime.UtcNow.AddHours(-100 + i),
                CheckedCount = 9, ChangedCount = 9, FailedCount = 9, RateLimitedCount = 9, SkippedCount = 9, ExtendedCount = 9,
                FailuresJson = JsonConvert.SerializeObject(new[] { FailureOf(77, "OLD") }),
                ExpiringJson = JsonConvert.SerializeObject(new[] { new KlarnaExpiringAuthorization { OrderId = 77 } })
            });
        var oldest = _runs.Rows.OrderBy(run => run.StartedOnUtc).First();

        var status = await CreateService().SyncAsync();

        Assert.That(status.RunId, Is.EqualTo(oldest.Id));
        Assert.That(_runs.Rows, Has.Count.EqualTo(KlarnaSyncRunLog.KeptRuns));
        Assert.That((status.CheckedCount, status.ChangedCount, status.FailedCount, status.RateLimitedCount, status.SkippedCount, status.ExtendedCount),
            Is.EqualTo((0, 0, 0, 0, 0, 0)));
        Assert.That(status.Failures, Is.Empty);
        Assert.That(status.ExpiringAuthorizations, Is.Empty);
        Assert.That(status.StartedOnUtc, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public async Task The_last_run_is_the_latest_started_one_with_its_stored_lists()
    {
        await _runs.InsertAsync(new KlarnaSyncRun { StartedOnUtc = DateTime.UtcNow.AddHours(-1), CheckedCount = 5, FailuresJson = JsonConvert.SerializeObject(new[] { FailureOf(3, "A") }) });
        await _runs.InsertAsync(new KlarnaSyncRun { StartedOnUtc = DateTime.UtcNow.AddHours(-2), CheckedCount = 1 });

        var last = await CreateService().GetLastRunAsync();

        Assert.That(last.CheckedCount, Is.EqualTo(5));
        Assert.That(last.Failures.Single().ErrorCode, Is.EqualTo("A"));
        Assert.That(last.ExpiringAuthorizations, Is.Empty);
    }
}
