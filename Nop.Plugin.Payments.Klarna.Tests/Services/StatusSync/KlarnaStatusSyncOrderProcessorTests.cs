using Moq;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Configuration;
using Nop.Services.Logging;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.StatusSync;

/// <summary>
/// One order's synchronization: what each answer of the engine's reconciliation becomes in the run (outcome, failure with
/// Klarna's code and correlation id), and the automatic extension of an authorization close to expiry
/// </summary>
[TestFixture]
public class KlarnaStatusSyncOrderProcessorTests
{
    private const int OrderId = 42;

    private Mock<IKlarnaCredentialsProvider> _credentialsProvider;
    private Mock<IKlarnaOperationExecutor> _executor;
    private Mock<ILogger> _logger;
    private Mock<IKlarnaOrderRecordService> _recordService;
    private Mock<ISettingService> _settingService;
    private Mock<KlarnaTexts> _texts;
    private TestTimeProvider _time;
    private KlarnaSettings _settings;
    private KlarnaCredentials _credentials;
    private KlarnaOrderRecord _record;
    private List<KlarnaReconcileRequest> _reconciles;
    private List<IKlarnaCommand> _commands;

    [SetUp]
    public void SetUp()
    {
        _settings = new KlarnaSettings { AutoExtendAuthorization = true };
        _credentials = new KlarnaCredentials { Username = "user", Password = "secret" };
        _record = new KlarnaOrderRecord { Id = 7, OrderId = OrderId, StoreId = 3, KlarnaOrderId = "k-42", Region = KlarnaRegion.NorthAmerica, Environment = KlarnaEnvironment.Production };
        _reconciles = new List<KlarnaReconcileRequest>();
        _commands = new List<IKlarnaCommand>();

        _credentialsProvider = new Mock<IKlarnaCredentialsProvider>();
        _credentialsProvider.Setup(p => p.GetCredentials(_settings, KlarnaRegion.NorthAmerica, KlarnaEnvironment.Production)).Returns(_credentials);
        _executor = new Mock<IKlarnaOperationExecutor>();
        _logger = new Mock<ILogger>();
        _recordService = new Mock<IKlarnaOrderRecordService>();
        _recordService.Setup(s => s.GetByOrderIdAsync(OrderId)).ReturnsAsync(_record);
        _settingService = new Mock<ISettingService>();
        _settingService.Setup(s => s.LoadSettingAsync<KlarnaSettings>(3)).ReturnsAsync(_settings);
        _texts = new Mock<KlarnaTexts>(MockBehavior.Loose, null, null);
        _texts.Setup(t => t.RefusalAsync(It.IsAny<KlarnaRefusal>())).ReturnsAsync((KlarnaRefusal refusal) => $"text of {refusal.Code}");
        _texts.Setup(t => t.ResultAsync(It.IsAny<KlarnaOperationResult>())).ReturnsAsync((KlarnaOperationResult result) => $"result {result.ErrorCode}");
        _time = new TestTimeProvider();
    }

    private KlarnaStatusSyncOrderProcessor CreateProcessor() => new(_credentialsProvider.Object, _executor.Object, _logger.Object,
        _recordService.Object, _settingService.Object, _texts.Object, _time);

    private void ReconcileAnswers(KlarnaOperationResult result) =>
        _executor.Setup(e => e.ReconcileAsync(It.IsAny<KlarnaReconcileRequest>(), It.IsAny<CancellationToken>()))
            .Callback((KlarnaReconcileRequest request, CancellationToken _) => _reconciles.Add(request))
            .ReturnsAsync(result);

    private void ExtensionAnswers(KlarnaOperationResult result) =>
        _executor.Setup(e => e.ExecuteAsync(It.IsAny<IKlarnaCommand>(), It.IsAny<CancellationToken>()))
            .Callback((IKlarnaCommand command, CancellationToken _) => _commands.Add(command))
            .ReturnsAsync(result);

    private KlarnaOperationResult ExpiringSoon(DateTime expiresAtUtc, params KlarnaOperation[] operations) => new()
    {
        Success = true,
        View = new KlarnaOrderView
        {
            Record = new KlarnaOrderRecord { OrderId = OrderId, KlarnaOrderId = "k-42", ExpiresAtUtc = expiresAtUtc, RemainingAuthorizedAmountMinor = 12345, CurrencyCode = "USD" },
            Decision = new KlarnaOrderDecision { ExpiresSoon = true },
            Operations = operations.ToList()
        }
    };

    [Test]
    public async Task An_order_without_a_Klarna_record_is_not_found_and_Klarna_is_not_asked()
    {
        var result = await CreateProcessor().SyncOrderAsync(99);

        Assert.That(result.Outcome, Is.EqualTo(KlarnaOrderSyncOutcome.NotFound));
        Assert.That(result.Failure, Is.Null);
        _executor.VerifyNoOtherCalls();
    }

    [Test]
    public async Task The_reconciliation_is_asked_without_waiting_for_the_lock_with_the_store_settings_and_the_records_credentials()
    {
        ReconcileAnswers(new KlarnaOperationResult { Success = true });

        await CreateProcessor().SyncOrderAsync(OrderId);

        var request = _reconciles.Single();
        Assert.That(request.OrderId, Is.EqualTo(OrderId));
        Assert.That(request.Wait, Is.False);
        Assert.That(request.Initiator, Is.EqualTo(KlarnaInitiator.StatusSync));
        Assert.That(request.InitiatedBy, Is.EqualTo("StatusSync"));
        Assert.That(request.Settings, Is.SameAs(_settings));
        Assert.That(request.Credentials, Is.SameAs(_credentials));
    }

    [Test]
    public async Task The_settings_and_credentials_of_a_store_are_loaded_once_per_run()
    {
        ReconcileAnswers(new KlarnaOperationResult { Success = true });
        var processor = CreateProcessor();
        var runContext = new KlarnaSyncRunContext();
        var other = new KlarnaOrderRecord { OrderId = 43, StoreId = 3, Region = KlarnaRegion.NorthAmerica, Environment = KlarnaEnvironment.Production };

        await processor.SyncOrderAsync(_record, runContext);
        await processor.SyncOrderAsync(other, runContext);

        _settingService.Verify(s => s.LoadSettingAsync<KlarnaSettings>(It.IsAny<int>()), Times.Once);
        _credentialsProvider.Verify(p => p.GetCredentials(It.IsAny<KlarnaSettings>(), It.IsAny<KlarnaRegion>(), It.IsAny<KlarnaEnvironment>()), Times.Once);
        Assert.That(_reconciles.Select(r => r.OrderId), Is.EqualTo(new[] { OrderId, 43 }));
        _recordService.Verify(s => s.GetByOrderIdAsync(It.IsAny<int>()), Times.Never);
    }

    [Test]
    public void Syncing_no_record_is_refused()
    {
        Assert.ThrowsAsync<ArgumentNullException>(() => CreateProcessor().SyncOrderAsync(null, new KlarnaSyncRunContext()));
    }

    [Test]
    public async Task A_record_synced_without_a_run_context_gets_one_of_its_own()
    {
        ReconcileAnswers(new KlarnaOperationResult { Success = true });

        var result = await CreateProcessor().SyncOrderAsync(_record, null);

        Assert.That(result.Outcome, Is.EqualTo(KlarnaOrderSyncOutcome.Unchanged));
        Assert.That(_reconciles.Single().Credentials, Is.SameAs(_credentials));
    }

    [TestCase(true, KlarnaOrderSyncOutcome.Changed)]
    [TestCase(false, KlarnaOrderSyncOutcome.Unchanged)]
    public async Task A_reconciled_order_is_changed_or_unchanged_as_the_engine_says(bool changed, KlarnaOrderSyncOutcome expected)
    {
        var reconciled = new KlarnaOperationResult { Success = true, Changed = changed };
        ReconcileAnswers(reconciled);

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Outcome, Is.EqualTo(expected));
        Assert.That(result.Reconcile, Is.SameAs(reconciled));
        Assert.That(result.Failure, Is.Null);
        Assert.That(result.Expiring, Is.Null);
    }

    [Test]
    public async Task An_order_whose_lock_another_instance_holds_is_skipped()
    {
        ReconcileAnswers(KlarnaOperationResult.Refused(KlarnaRefusalCode.OrderBusy));

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Outcome, Is.EqualTo(KlarnaOrderSyncOutcome.Skipped));
        Assert.That(result.Failure, Is.Null);
    }

    [TestCase(KlarnaRefusalCode.NotKlarnaOrder, "ORDER_NOT_FOUND")]
    [TestCase(KlarnaRefusalCode.NoCredentials, "NO_CREDENTIALS")]
    [TestCase(KlarnaRefusalCode.Unexpected, "UNEXPECTED")]
    public async Task A_refused_reconciliation_is_a_failure_with_its_code_and_localized_text(KlarnaRefusalCode code, string errorCode)
    {
        ReconcileAnswers(KlarnaOperationResult.Refused(code));

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Outcome, Is.EqualTo(KlarnaOrderSyncOutcome.Failed));
        Assert.That(result.Failure.OrderId, Is.EqualTo(OrderId));
        Assert.That(result.Failure.KlarnaOrderId, Is.EqualTo("k-42"));
        Assert.That(result.Failure.StatusCode, Is.EqualTo(-1));
        Assert.That(result.Failure.ErrorCode, Is.EqualTo(errorCode));
        Assert.That(result.Failure.Message, Is.EqualTo($"text of {code}"));
        Assert.That(result.Failure.OccurredOnUtc, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public async Task A_Klarna_error_keeps_Klarnas_status_code_messages_and_correlation_id()
    {
        ReconcileAnswers(new KlarnaOperationResult
        {
            Refusal = new KlarnaRefusal(KlarnaRefusalCode.KlarnaUnreadable),
            KlarnaError = new KlarnaFailure { StatusCode = 503, ErrorCode = "SERVICE_UNAVAILABLE", Messages = new[] { "down", "try later" }, CorrelationId = "corr-1" }
        });

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Outcome, Is.EqualTo(KlarnaOrderSyncOutcome.Failed));
        Assert.That(result.Failure.StatusCode, Is.EqualTo(503));
        Assert.That(result.Failure.ErrorCode, Is.EqualTo("SERVICE_UNAVAILABLE"));
        Assert.That(result.Failure.Message, Is.EqualTo("down; try later"));
        Assert.That(result.Failure.CorrelationId, Is.EqualTo("corr-1"));
        Assert.That(result.Failure.KlarnaOrderId, Is.EqualTo("k-42"));
    }

    [Test]
    public async Task A_429_from_Klarna_is_rate_limited_not_failed()
    {
        ReconcileAnswers(new KlarnaOperationResult
        {
            Refusal = new KlarnaRefusal(KlarnaRefusalCode.KlarnaUnreadable),
            KlarnaError = new KlarnaFailure { StatusCode = 429, ErrorCode = "TOO_MANY_REQUESTS" }
        });

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Outcome, Is.EqualTo(KlarnaOrderSyncOutcome.RateLimited));
        Assert.That(result.Failure.StatusCode, Is.EqualTo(429));
        Assert.That(result.Failure.Message, Is.Empty);
    }

    [Test]
    public async Task An_unreadable_order_without_a_Klarna_error_is_a_failure_with_no_answer()
    {
        ReconcileAnswers(KlarnaOperationResult.Refused(KlarnaRefusalCode.KlarnaUnreadable));

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Outcome, Is.EqualTo(KlarnaOrderSyncOutcome.Failed));
        Assert.That(result.Failure.StatusCode, Is.Zero);
        Assert.That(result.Failure.ErrorCode, Is.Null);
        Assert.That(result.Failure.Message, Is.Empty);
    }

    [Test]
    public async Task A_reconciliation_that_throws_is_that_orders_failure_and_is_logged()
    {
        _executor.Setup(e => e.ReconcileAsync(It.IsAny<KlarnaReconcileRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("database gone"));

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Outcome, Is.EqualTo(KlarnaOrderSyncOutcome.Failed));
        Assert.That(result.Failure.StatusCode, Is.EqualTo(-1));
        Assert.That(result.Failure.ErrorCode, Is.EqualTo(nameof(InvalidOperationException)));
        Assert.That(result.Failure.Message, Is.EqualTo("database gone"));
        _logger.Verify(l => l.ErrorAsync(It.Is<string>(m => m.Contains("order 42")), It.IsAny<InvalidOperationException>(), null), Times.Once);
    }

    [Test]
    public async Task A_timeout_inside_the_reconciliation_is_a_failure_when_the_run_was_not_cancelled()
    {
        _executor.Setup(e => e.ReconcileAsync(It.IsAny<KlarnaReconcileRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TaskCanceledException("timed out"));

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Outcome, Is.EqualTo(KlarnaOrderSyncOutcome.Failed));
        Assert.That(result.Failure.ErrorCode, Is.EqualTo(nameof(TaskCanceledException)));
    }

    [Test]
    public void A_cancelled_run_stops_instead_of_recording_a_failure()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        _executor.Setup(e => e.ReconcileAsync(It.IsAny<KlarnaReconcileRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OperationCanceledException(cancellation.Token));

        Assert.ThrowsAsync<OperationCanceledException>(() => CreateProcessor().SyncOrderAsync(OrderId, cancellation.Token));
    }

    [Test]
    public async Task An_authorization_close_to_expiry_is_flagged_with_its_amount_and_extended()
    {
        var expiresAt = new DateTime(2027, 1, 10, 12, 0, 0, DateTimeKind.Utc);
        ReconcileAnswers(ExpiringSoon(expiresAt));
        ExtensionAnswers(new KlarnaOperationResult
        {
            Success = true,
            View = new KlarnaOrderView { Record = new KlarnaOrderRecord { ExpiresAtUtc = expiresAt.AddDays(28) } }
        });

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Outcome, Is.EqualTo(KlarnaOrderSyncOutcome.Unchanged));
        Assert.That(result.Expiring.OrderId, Is.EqualTo(OrderId));
        Assert.That(result.Expiring.KlarnaOrderId, Is.EqualTo("k-42"));
        Assert.That(result.Expiring.RemainingAuthorizedAmountMinor, Is.EqualTo(12345));
        Assert.That(result.Expiring.CurrencyCode, Is.EqualTo("USD"));
        Assert.That(result.Expiring.Extended, Is.True);
        Assert.That(result.Expiring.ExtendError, Is.Null);
        Assert.That(result.Expiring.ExpiresAtUtc, Is.EqualTo(expiresAt.AddDays(28)));
        var command = _commands.Single();
        Assert.That(command, Is.TypeOf<KlarnaExtendAuthorizationCommand>());
        Assert.That(command.OrderId, Is.EqualTo(OrderId));
        Assert.That(command.Initiator, Is.EqualTo(KlarnaInitiator.StatusSync));
        Assert.That(command.InitiatedBy, Is.EqualTo("StatusSync"));
    }

    [Test]
    public async Task An_extension_that_returns_no_new_expiry_keeps_the_known_one()
    {
        var expiresAt = new DateTime(2027, 1, 10, 12, 0, 0, DateTimeKind.Utc);
        ReconcileAnswers(ExpiringSoon(expiresAt));
        ExtensionAnswers(new KlarnaOperationResult { Success = true });

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Expiring.Extended, Is.True);
        Assert.That(result.Expiring.ExpiresAtUtc, Is.EqualTo(expiresAt));
    }

    [Test]
    public async Task An_authorization_not_close_to_expiry_is_neither_flagged_nor_extended()
    {
        ReconcileAnswers(new KlarnaOperationResult
        {
            Success = true,
            View = new KlarnaOrderView
            {
                Record = new KlarnaOrderRecord { ExpiresAtUtc = DateTime.UtcNow.AddDays(20) },
                Decision = new KlarnaOrderDecision { ExpiresSoon = false }
            }
        });

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Expiring, Is.Null);
        _executor.Verify(e => e.ExecuteAsync(It.IsAny<IKlarnaCommand>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task An_order_expiring_soon_without_a_known_expiry_is_not_flagged()
    {
        ReconcileAnswers(new KlarnaOperationResult
        {
            Success = true,
            View = new KlarnaOrderView { Record = new KlarnaOrderRecord(), Decision = new KlarnaOrderDecision { ExpiresSoon = true } }
        });

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Expiring, Is.Null);
        _executor.Verify(e => e.ExecuteAsync(It.IsAny<IKlarnaCommand>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task With_automatic_extension_off_an_expiring_authorization_is_only_flagged()
    {
        _settings.AutoExtendAuthorization = false;
        var expiresAt = DateTime.UtcNow.AddDays(2);
        ReconcileAnswers(ExpiringSoon(expiresAt));

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Expiring.Extended, Is.False);
        Assert.That(result.Expiring.ExpiresAtUtc, Is.EqualTo(expiresAt));
        _executor.Verify(e => e.ExecuteAsync(It.IsAny<IKlarnaCommand>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task An_extension_tried_within_the_last_day_is_not_tried_again()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        ReconcileAnswers(ExpiringSoon(now.AddDays(2),
            new KlarnaOperation { Kind = KlarnaOperationKind.ExtendAuthorization, CreatedOnUtc = now.AddHours(-23) }));

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Expiring.Extended, Is.False);
        _executor.Verify(e => e.ExecuteAsync(It.IsAny<IKlarnaCommand>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task An_extension_tried_more_than_a_day_ago_or_another_recent_operation_does_not_hold_the_next_try_back()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        ReconcileAnswers(ExpiringSoon(now.AddDays(2),
            new KlarnaOperation { Kind = KlarnaOperationKind.ExtendAuthorization, CreatedOnUtc = now.AddHours(-25) },
            new KlarnaOperation { Kind = KlarnaOperationKind.Capture, CreatedOnUtc = now.AddMinutes(-5) }));
        ExtensionAnswers(new KlarnaOperationResult { Success = true });

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Expiring.Extended, Is.True);
        Assert.That(_commands, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_retry_interval_of_the_extension_follows_the_clock_of_the_engine()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        _time.Advance(TimeSpan.FromHours(30));
        ReconcileAnswers(ExpiringSoon(now.AddDays(2),
            new KlarnaOperation { Kind = KlarnaOperationKind.ExtendAuthorization, CreatedOnUtc = now }));
        ExtensionAnswers(new KlarnaOperationResult { Success = true });

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Expiring.Extended, Is.True);
    }

    [Test]
    public async Task A_refused_extension_is_reported_with_its_text_and_the_order_is_still_flagged()
    {
        ReconcileAnswers(ExpiringSoon(DateTime.UtcNow.AddDays(2)));
        ExtensionAnswers(KlarnaOperationResult.Refused(KlarnaRefusalCode.Unexpected));

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Outcome, Is.EqualTo(KlarnaOrderSyncOutcome.Unchanged));
        Assert.That(result.Expiring.Extended, Is.False);
        Assert.That(result.Expiring.ExtendError, Is.EqualTo("result Unexpected"));
    }

    [Test]
    public async Task An_extension_that_throws_is_reported_and_logged_without_failing_the_order()
    {
        ReconcileAnswers(ExpiringSoon(DateTime.UtcNow.AddDays(2)));
        _executor.Setup(e => e.ExecuteAsync(It.IsAny<IKlarnaCommand>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("lock lost"));

        var result = await CreateProcessor().SyncOrderAsync(OrderId);

        Assert.That(result.Outcome, Is.EqualTo(KlarnaOrderSyncOutcome.Unchanged));
        Assert.That(result.Failure, Is.Null);
        Assert.That(result.Expiring.Extended, Is.False);
        Assert.That(result.Expiring.ExtendError, Is.EqualTo("lock lost"));
        _logger.Verify(l => l.ErrorAsync(It.Is<string>(m => m.Contains("order 42")), It.IsAny<InvalidOperationException>(), null), Times.Once);
    }

    [Test]
    public void A_cancelled_run_stops_during_the_extension()
    {
        using var cancellation = new CancellationTokenSource();
        ReconcileAnswers(ExpiringSoon(DateTime.UtcNow.AddDays(2)));
        _executor.Setup(e => e.ExecuteAsync(It.IsAny<IKlarnaCommand>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                cancellation.Cancel();
                throw new OperationCanceledException(cancellation.Token);
            });

        Assert.ThrowsAsync<OperationCanceledException>(() => CreateProcessor().SyncOrderAsync(OrderId, cancellation.Token));
    }
}
