using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Klarna.Sandbox;
using Klarna.Sandbox.Models;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Nop.Core.Caching;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Core.Domain.Shipping;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Responses;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.ModelBased.Mutants;
using Nop.Plugin.Payments.Klarna.Tests.Reliability;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased;

/// <summary>
/// An admin click the admin may repeat (same key) or do again from a new modal (new key)
/// </summary>
public sealed record ModelClick(ModelAction Action, string Key, List<string> Intent, string Unsettled);

/// <summary>
/// One order of a sequence: the nopCommerce order, its Klarna order in the sandbox, its items and shipments, the last click
/// and the last notification
/// </summary>
public sealed class ModelOrder
{
    public int Index { get; init; }
    public ModelOrderSpec Spec { get; init; }
    public Order Order { get; init; }
    public string KlarnaOrderId { get; init; }
    public long Amount { get; init; }
    public Dictionary<string, OrderItem> Items { get; } = new(StringComparer.Ordinal);
    public List<Shipment> Shipments { get; } = new();
    public ModelClick LastClick { get; set; }
    public string LastNotification { get; set; }
    public int InFlightWrites;

    /// <summary>
    /// Gets the writes of the order in flight now: key, method and when it was sent (for the text of a violation)
    /// </summary>
    public ConcurrentDictionary<string, (string Method, long SentAt)> WritesInFlight { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// One sequence's shop: the plugin's real services and controllers over in-memory tables (OrderManagementHarness), the
/// sequence's ILocker, the real Klarna API client (wrapped to observe every write) and a sandbox of its own; it injects the
/// steps' faults, observes what the plugin does and settles everything at the end
/// </summary>
public sealed class ModelWorld : IAsyncDisposable
{
    public const string NotificationSecret = "model-notif-secret-7c1d";

    private readonly ModelSuite _suite;

    private ModelWorld(ModelSuite suite, ModelSequence sequence, EngineMutant mutant)
    {
        _suite = suite;
        Sequence = sequence;
        Mutant = mutant;
    }

    public ModelSequence Sequence { get; }

    /// <summary>
    /// Gets the engine mutant the world's shop runs (None: the plugin's own engine)
    /// </summary>
    public EngineMutant Mutant { get; }
    public KlarnaSandboxHost Sandbox { get; private set; }
    public HttpClient Control { get; private set; }
    public ILocker Locker { get; private set; }
    public OrderManagementHarness Harness { get; private set; }
    public ReliabilityAdmin Admin { get; private set; }
    public List<ModelOrder> Orders { get; } = new();

    /// <summary>
    /// Gets what broke a rule while it happened (a write without the lock or with a key never recorded, an exception)
    /// </summary>
    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>
    /// Gets every result of the engine (command or reconciliation) with who asked
    /// </summary>
    public ConcurrentQueue<(KlarnaInitiator Initiator, int OrderId, KlarnaOperationResult Result)> Results { get; } = new();

    /// <summary>
    /// Gets the idempotency keys of each admin intent (a click, its repeats and a new modal for it while it was unsettled)
    /// </summary>
    public List<List<string>> Intents { get; } = new();

    /// <summary>
    /// Gets a value indicating whether the clocks moved past Klarna's 24-hour replay window
    /// </summary>
    public bool ClockMoved { get; set; }

    public ModelOrder OrderAt(int index) => Orders[Math.Min(index, Orders.Count - 1)];

    public ModelOrder ByKlarnaId(string klarnaOrderId) => Orders.FirstOrDefault(o => string.Equals(o.KlarnaOrderId, klarnaOrderId, StringComparison.OrdinalIgnoreCase));

    public static async Task<ModelWorld> CreateAsync(ModelSuite suite, ModelSequence sequence, EngineMutant mutant = EngineMutant.None)
    {
        var world = new ModelWorld(suite, sequence, mutant);
        await world.SetUpAsync();
        return world;
    }

    private async Task SetUpAsync()
    {
        var config = Sequence.Config;
        (Sandbox, Control) = await _suite.RentAsync();
        Sandbox.State.ReadLagMs = config.ReadLagMs;

        Locker = config.Locker == ModelLocker.Expiring ? new ExpiringLocker() : new InMemoryLocker();
        var client = ObservingKlarnaClient.Wrap(_suite.Client(config.ClientRetries), this);
        Harness = new OrderManagementHarness(client, Locker, services =>
        {
            services.AddScoped<IKlarnaOperationExecutor>(provider => new RecordingExecutor(ActivatorUtilities.CreateInstance<KlarnaOperationExecutor>(provider), this));
            EngineMutants.Register(services, Mutant);
        });

        var settings = Harness.Settings;
        settings.EuropePlaygroundUsername = ModelSuite.Username;
        settings.EuropePlaygroundPassword = ModelSuite.Password;
        settings.ApiUrlOverride = Sandbox.BaseUri.ToString();
        settings.NotificationSecret = NotificationSecret;
        //the client's scaled timeout applies, not the settings' 30 s (RequestTimeoutSeconds 0 = the client's default)
        settings.RequestTimeoutSeconds = 0;
        settings.CaptureUponFulfillmentMode = config.CaptureMode;
        settings.CaptureOnOrderStatusId = (int)OrderStatus.Complete;

        var scaled = ModelSuite.ClientOptions(config.ClientRetries);
        Harness.ClientOptions.Timeout = scaled.Timeout;
        Harness.ClientOptions.MaxRetries = scaled.MaxRetries;
        Harness.ClientOptions.BaseDelay = scaled.BaseDelay;
        Harness.ClientOptions.MaxDelay = scaled.MaxDelay;
        Harness.EngineOptions.LockWait = TimeSpan.FromSeconds(5);
        Harness.EngineOptions.LockPollInterval = TimeSpan.FromMilliseconds(5);
        Harness.EngineOptions.LockMargin = TimeSpan.FromMilliseconds(300);
        Harness.DispatchEvents = true;
        Admin = new ReliabilityAdmin(Harness, client);

        for (var index = 0; index < config.Orders.Length; index++)
            Orders.Add(await CreateOrderAsync(index, config.Orders[index]));
    }

    private async Task<ModelOrder> CreateOrderAsync(int index, ModelOrderSpec spec)
    {
        var lines = ModelGenerators.LineSets[spec.LineSet]
            .Select(line => SandboxFixture.Line(line.Reference, line.Quantity, line.UnitPrice, discount: line.Discount,
                type: line.Shipping ? KlarnaOrderLineType.ShippingFee : KlarnaOrderLineType.Physical, reference: line.Reference))
            .ToArray();
        var cart = JObject.FromObject(SandboxFixture.Cart(lines), JsonSerializer.Create(new JsonSerializerSettings { NullValueHandling = NullValueHandling.Ignore }));
        if (spec.FraudPending)
            cart["fraud_status"] = "PENDING";
        var response = await Control.PostAsync("_sandbox/orders", new StringContent(cart.ToString(), Encoding.UTF8, "application/json"));
        var klarnaOrderId = JObject.Parse(await response.Content.ReadAsStringAsync()).Value<string>("order_id");
        var amount = lines.Sum(line => line.TotalAmount);

        var order = Harness.CreateOrderFor(klarnaOrderId, amount);
        if (spec.FraudPending)
        {
            var record = Harness.RecordTable.Rows.Single(r => r.OrderId == order.Id);
            record.FraudStatus = KlarnaFraudStatus.Pending;
            record.AppliedStatusEvents = nameof(KlarnaStatusEvent.FraudPending);
            await Harness.RecordTable.UpdateAsync(record);
            order.PaymentStatusId = (int)PaymentStatus.Pending;
            order.OrderStatusId = (int)OrderStatus.Pending;
        }

        var model = new ModelOrder { Index = index, Spec = spec, Order = order, KlarnaOrderId = klarnaOrderId, Amount = amount };
        var productId = 10 * (index + 1);
        foreach (var line in ModelGenerators.LineSets[spec.LineSet].Where(line => !line.Shipping))
            model.Items[line.Reference] = Harness.AddOrderItem(order, Guid.NewGuid(), line.Quantity, ++productId, line.Reference);
        return model;
    }

    #region Faults

    /// <summary>
    /// Injects a step's fault on the orders its actions touch
    /// </summary>
    public void InjectFault(ModelStep step)
    {
        if (step.Fault is not { } fault)
            return;

        var timeout = (int)ModelSuite.ClientTimeout.TotalMilliseconds;
        foreach (var order in step.Actions.Select(action => OrderAt(action.Order)).Distinct())
        {
            var path = $"/ordermanagement/v1/orders/{order.KlarnaOrderId}";
            var (method, pattern) = fault.Target switch
            {
                ModelFaultTarget.Write => ("POST", path + "/**"),
                ModelFaultTarget.Read => ("GET", path),
                _ => (null, path + "**")
            };
            Sandbox.State.AddFault(new SandboxFault
            {
                Method = method,
                PathPattern = pattern,
                Times = fault.Times,
                Kind = fault.Kind switch
                {
                    ModelFaultKind.DelayPastTimeout => "delay",
                    ModelFaultKind.SlowInFlight => "slow",
                    ModelFaultKind.Drop => "drop",
                    ModelFaultKind.CommitThenDrop => "commit_then_drop",
                    ModelFaultKind.RateLimit429 => "rate_limit",
                    _ => "status"
                },
                Status = fault.Kind == ModelFaultKind.Status500 ? 500 : 503,
                DelayMs = timeout + fault.ExtraMs,
                RetryAfterSeconds = fault.Kind == ModelFaultKind.RateLimit429 ? fault.RetryAfterSeconds : null
            });
        }
    }

    /// <summary>
    /// Gets the number of requests that met a fault
    /// </summary>
    public int FaultsHit => Sandbox.State.Requests.Count(request => request.Fault is not null);

    #endregion

    #region Observation

    /// <summary>
    /// Checks a Klarna write as it is sent: the order's lock is held, the key is the recorded key of a pending operation of
    /// that kind, and no other write of the order is in flight
    /// </summary>
    public void BeforeWrite(string method, string klarnaOrderId, string key)
    {
        var order = ByKlarnaId(klarnaOrderId);
        if (order is null)
        {
            Violations.Enqueue($"a {method} was sent for Klarna order {klarnaOrderId}, which is not an order of the shop");
            return;
        }

        if (Interlocked.Increment(ref order.InFlightWrites) > 1)
        {
            var others = order.WritesInFlight.Select(write =>
                $"{write.Value.Method} with key {write.Key}, sent {Stopwatch.GetElapsedTime(write.Value.SentAt).TotalMilliseconds:0} ms before");
            var expired = Locker is ExpiringLocker expiring ? $"; locks that expired while held so far: {expiring.ExpiredWhileHeld}" : string.Empty;
            Violations.Enqueue($"two Klarna writes of order {order.Index + 1} were in flight at once ({method} with key {key}; already in flight: " +
                $"{string.Join(", ", others)}{expired})");
        }
        order.WritesInFlight[key ?? string.Empty] = (method, Stopwatch.GetTimestamp());

        //the flow that sends holds the order's lock itself and its time is not over (not merely "someone holds the key")
        if (!((ICallerAwareLocker)Locker).IsHeldByCaller(KlarnaOrderLock.KeyOf(order.Order.Id)))
            Violations.Enqueue($"{method} of order {order.Index + 1} (key {key}) was sent by a flow that did not hold the order's lock, or whose lock had expired");

        var kind = method switch
        {
            nameof(IKlarnaApiClient.CaptureAsync) => KlarnaOperationKind.Capture,
            nameof(IKlarnaApiClient.RefundAsync) => KlarnaOperationKind.Refund,
            nameof(IKlarnaApiClient.CancelOrderAsync) => KlarnaOperationKind.Cancel,
            nameof(IKlarnaApiClient.ReleaseRemainingAuthorizationAsync) => KlarnaOperationKind.Release,
            nameof(IKlarnaApiClient.ExtendAuthorizationTimeAsync) => KlarnaOperationKind.ExtendAuthorization,
            nameof(IKlarnaApiClient.AddShippingInfoAsync) => KlarnaOperationKind.ShippingInfo,
            _ => (KlarnaOperationKind?)null
        };
        var recorded = Harness.OperationTable.Rows.FirstOrDefault(op => op.IdempotencyKey == key);
        if (recorded is null || recorded.OrderId != order.Order.Id || recorded.Kind != kind || recorded.Status != KlarnaOperationStatus.Pending)
            Violations.Enqueue($"{method} of order {order.Index + 1} was sent with key {key}, which is not the key of a pending {kind} recorded before the call " +
                $"(found: {(recorded is null ? "none" : $"{recorded.Kind} {recorded.Status} of order {recorded.OrderId}")})");
    }

    public void AfterWrite(string klarnaOrderId, string key)
    {
        if (ByKlarnaId(klarnaOrderId) is { } order)
        {
            order.WritesInFlight.TryRemove(key ?? string.Empty, out _);
            Interlocked.Decrement(ref order.InFlightWrites);
        }
    }

    public void Record(KlarnaInitiator initiator, int orderId, KlarnaOperationResult result)
    {
        Results.Enqueue((initiator, orderId, result));
        if (result?.Refusal?.Code == KlarnaRefusalCode.Unexpected)
        {
            var errors = Harness.Logger.Invocations.Where(i => i.Method.Name == "ErrorAsync")
                .Select(i => string.Join(" | ", i.Arguments.Select(a => a?.ToString()))).Where(text => text.Contains("unexpected error")).ToList();
            Violations.Enqueue($"the engine hit an unexpected error on order {orderId} ({initiator}): {errors.LastOrDefault()}");
        }
    }

    #endregion

    #region Settling

    /// <summary>
    /// Waits until no Klarna request is in flight at the sandbox (a delayed or slow write has landed)
    /// </summary>
    public async Task WaitQuietAsync()
    {
        var waited = Stopwatch.StartNew();
        while (Sandbox.State.InFlight > 0 && waited.Elapsed < TimeSpan.FromSeconds(15))
            await Task.Delay(5);
    }

    /// <summary>
    /// The final settle step: faults cleared, the writes in flight landed, the read lag passed, 10 minutes later the next
    /// order block read and the next status sync run of each order (with a per-attempt timeout of 5 s), until nothing is
    /// pending
    /// </summary>
    public async Task SettleAsync()
    {
        Sandbox.State.ClearFaults();
        await WaitQuietAsync();
        if (Sequence.Config.ReadLagMs > 0)
            await Task.Delay(Sequence.Config.ReadLagMs + 20);

        //the next block read and sync run come later, as in a shop (here 10 minutes, well inside Klarna's 24-hour replay
        //window): a write still pending is older than any lock by then, and is settled from Klarna, never by its age
        var later = TimeSpan.FromMinutes(10);
        Sandbox.State.AdvanceClock(later);
        Harness.Time.Advance(later);
        Harness.Settings.RequestTimeoutSeconds = 5;
        for (var round = 0; round < 3; round++)
        {
            foreach (var order in Orders)
            {
                await ModelActions.RunAsync(this, new ModelAction(ModelActionKind.BlockRead, order.Index));
                await ModelActions.RunAsync(this, new ModelAction(ModelActionKind.SyncRun, order.Index));
            }

            await WaitQuietAsync();
            if (!Harness.OperationTable.Rows.Any(op => op.Status == KlarnaOperationStatus.Pending))
                break;
        }
    }

    #endregion

    public ValueTask DisposeAsync()
    {
        Harness?.Dispose();
        if (Sandbox is not null)
            _suite.Return(Sandbox);
        return ValueTask.CompletedTask;
    }
}
