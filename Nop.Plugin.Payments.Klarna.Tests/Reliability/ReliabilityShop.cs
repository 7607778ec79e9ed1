using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// A simulated shop: the plugin's real services (order management, status sync order processor, notification service)
/// over in-memory tables, the in-memory ILocker (false when held, like nopCommerce's DistributedCacheLocker) and Moq
/// nopCommerce services (OrderManagementHarness), talking to the suite's sandbox through the real Klarna API client
/// </summary>
public sealed class ReliabilityShop
{
    private static int _nextOrderId = 70_000;

    /// <param name="client">The Klarna API client</param>
    /// <param name="locker">The ILocker (null: the harness's in-memory one, which refuses at once when a key is held)</param>
    public ReliabilityShop(IKlarnaApiClient client, Nop.Core.Caching.ILocker locker = null)
    {
        Client = client;
        Harness = new OrderManagementHarness(client, locker);
        Harness.Settings.EuropePlaygroundUsername = ReliabilityEnvironment.Username;
        Harness.Settings.EuropePlaygroundPassword = ReliabilityEnvironment.Password;
        Harness.Settings.ApiUrlOverride = ReliabilityEnvironment.Sandbox.BaseUri.ToString();
        Harness.Settings.NotificationSecret = NotificationSecret;
        Harness.Settings.LogDebug = true;
        //0: the client's per-attempt timeout applies (ClientOptions below); the settings' default 30 s would carry over every
        //request and a "delay past the timeout" would never time out
        Harness.Settings.RequestTimeoutSeconds = 0;
        Harness.EngineOptions.LockPollInterval = TimeSpan.FromMilliseconds(5);
        Harness.EngineOptions.LockWait = TimeSpan.FromSeconds(60);
        //the suite's clients: 500 ms per attempt, 10 ms backoff, at most 2 s between attempts (the lock budget follows them)
        Harness.ClientOptions.Timeout = ReliabilityEnvironment.ClientTimeout;
        Harness.ClientOptions.MaxDelay = TimeSpan.FromSeconds(2);
    }

    public const string NotificationSecret = "notif-secret-3b1f";

    public IKlarnaApiClient Client { get; }
    public OrderManagementHarness Harness { get; }
    public IKlarnaOperationExecutor Executor => Harness.Executor;
    public IKlarnaOrderReader Reader => Harness.Reader;
    public IKlarnaStatusSyncOrderProcessor SyncProcessor => Harness.SyncProcessor;
    public IKlarnaCheckoutNotificationService NotificationService => Harness.NotificationService;

    /// <summary>
    /// Shirt 2 x 25.00, Mug 3 x 10.00 - 3.00 discount, shipping 4.90: 81.90 EUR
    /// </summary>
    public static KlarnaOrderLine[] DefaultLines() =>
    [
        SandboxFixture.Line("Shirt", 2, 2500, reference: "SKU-SHIRT"),
        SandboxFixture.Line("Mug", 3, 1000, discount: 300, reference: "SKU-MUG"),
        SandboxFixture.Line("Shipping", 1, 490, type: KlarnaOrderLineType.ShippingFee, reference: "SHIPPING")
    ];

    public const long DefaultAmount = 8190;

    /// <summary>
    /// Creates an authorized order in the sandbox, and its nopCommerce order and Klarna record in the shop
    /// </summary>
    /// <param name="lines">Order lines (null: <see cref="DefaultLines"/>)</param>
    /// <param name="storeId">Store of the order</param>
    /// <param name="notificationUrl">merchant_urls.notification of the Klarna order (null: none, Klarna sends no notification)</param>
    /// <param name="fraudPending">Whether Klarna's fraud review is still pending (Klarna, the record and the payment status say so)</param>
    public async Task<(Order Order, string KlarnaOrderId)> CreateOrderAsync(KlarnaOrderLine[] lines = null, int storeId = 1, string notificationUrl = null,
        bool fraudPending = false)
    {
        lines ??= DefaultLines();
        var klarnaOrderId = await ReliabilityEnvironment.CreateSandboxOrderAsync(lines, notificationUrl: notificationUrl,
            fraudStatus: fraudPending ? KlarnaFraudStatus.Pending : null);
        var amount = lines.Sum(l => l.TotalAmount);
        var orderId = Interlocked.Increment(ref _nextOrderId);
        var order = new Order
        {
            Id = orderId,
            StoreId = storeId,
            OrderGuid = Guid.NewGuid(),
            CustomOrderNumber = orderId.ToString(),
            PaymentMethodSystemName = KlarnaDefaults.SystemName,
            CustomerCurrencyCode = "EUR",
            CurrencyRate = 1m,
            OrderTotal = KlarnaAmount.FromMinor(amount, "EUR"),
            OrderStatusId = (int)OrderStatus.Processing,
            PaymentStatusId = (int)(fraudPending ? PaymentStatus.Pending : PaymentStatus.Authorized),
            ShippingMethod = "DHL Paket",
            CreatedOnUtc = DateTime.UtcNow
        };
        Harness.Orders[orderId] = order;
        await Harness.RecordTable.InsertAsync(new KlarnaOrderRecord
        {
            OrderId = orderId,
            StoreId = storeId,
            KlarnaOrderId = klarnaOrderId,
            Region = KlarnaRegion.Europe,
            Environment = KlarnaEnvironment.Playground,
            CurrencyCode = "EUR",
            KlarnaStatus = KlarnaOrderStatus.Authorized,
            FraudStatus = fraudPending ? KlarnaFraudStatus.Pending : KlarnaFraudStatus.Accepted,
            OrderAmountMinor = amount,
            RemainingAuthorizedAmountMinor = amount,
            AppliedStatusEvents = nameof(KlarnaStatusEvent.Authorized),
            CreatedOnUtc = DateTime.UtcNow,
            UpdatedOnUtc = DateTime.UtcNow
        });

        return (order, klarnaOrderId);
    }

    public KlarnaOrderRecord Record(Order order) => Harness.RecordTable.Rows.Single(r => r.OrderId == order.Id);

    public IList<KlarnaOperation> Operations(Order order) => Harness.OperationsOf(order);

    public IList<string> Notes(Order order) => Harness.NotesOf(order);

    /// <summary>
    /// Gets what the plugin wrote to nopCommerce's ILogger (method and arguments, exceptions included)
    /// </summary>
    public IList<string> LogLines() => Harness.Logger.Invocations
        .Select(i => $"{i.Method.Name}: {string.Join(" | ", i.Arguments.Select(a => a?.ToString()))}")
        .ToList();

    /// <summary>
    /// Hands everything this shop captured to the ledger (secret scan)
    /// </summary>
    public void CaptureAll(string source)
    {
        foreach (var note in Harness.Notes)
            ReliabilityLedger.Capture($"{source}: order note", note.Note);
        foreach (var line in LogLines())
            ReliabilityLedger.Capture($"{source}: nopCommerce ILogger", line);
        foreach (var operation in Harness.OperationTable.Rows)
            ReliabilityLedger.Capture($"{source}: operation record", $"{operation.ErrorCode} {operation.ErrorMessage} {operation.InitiatedBy} {operation.LinesJson} {operation.ShippingInfoJson}");
    }

    public void CaptureResult(string source, KlarnaOperationResult result)
    {
        if (result is not null)
            ReliabilityLedger.Capture($"{source}: operation result", $"{result.ErrorCode} {Harness.TextOf(result)} {result.Operation?.ErrorMessage}");
    }
}
