using System.Collections.Concurrent;
using Moq;
using Nop.Core.Domain.Catalog;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Core.Domain.Shipping;
using Nop.Core.Events;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Infrastructure;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Core;
using Nop.Core.Caching;
using Nop.Core.Domain.Localization;
using Nop.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nop.Services.Localization;
using Nop.Services.Catalog;
using Nop.Services.Configuration;
using Nop.Services.Logging;
using Nop.Services.Orders;
using Nop.Services.Shipping;
using Nop.Services.Shipping.Tracking;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// Builds the order engine with the plugin's own registrations (AddKlarnaOrderManagement, records, connection, status sync,
/// notifications) over in-memory tables, an in-memory Klarna (or the sandbox's client), an in-memory ILocker and Moq mocks
/// of nopCommerce's services. Fresh per test.
/// </summary>
public class OrderManagementHarness : IDisposable
{
    private int _nextOrderId = 100;
    private int _nextItemId = 1000;
    private int _nextShipmentId = 500;
    private readonly ServiceProvider _provider;
    private readonly IServiceScope _scope;

    public FakeKlarnaApiClient Klarna { get; } = new();
    public InMemoryRepository<KlarnaOrderRecord> RecordTable { get; } = new(record => record.OrderId);
    public InMemoryRepository<KlarnaOperation> OperationTable { get; } = new(operation => operation.IdempotencyKey);
    public InMemoryRepository<KlarnaOrderClaim> ClaimTable { get; } = new(claim => claim.OrderId);
    public InMemoryLocker Locker { get; } = new();
    public TestTimeProvider Time { get; } = new();
    public KlarnaSettings Settings { get; } = new()
    {
        EuropePlaygroundUsername = "user",
        EuropePlaygroundPassword = "secret",
        ApiUrlOverride = "http://127.0.0.1:5099/"
    };

    /// <summary>
    /// Gets the API client options the lock budget is computed from (the client of the tests: 30 s per attempt, 3 retries)
    /// </summary>
    public KlarnaApiClientOptions ClientOptions { get; } = new();

    public KlarnaEngineOptions EngineOptions { get; } = new() { LockPollInterval = TimeSpan.FromMilliseconds(2), LockWait = TimeSpan.FromSeconds(60) };

    public ConcurrentDictionary<int, Order> Orders { get; } = new();
    public ConcurrentQueue<OrderNote> Notes { get; } = new();
    public ConcurrentQueue<object> PublishedEvents { get; } = new();
    public List<OrderItem> OrderItems { get; } = new();
    public Dictionary<int, Product> Products { get; } = new();
    public List<Shipment> Shipments { get; } = new();
    public List<ShipmentItem> ShipmentItems { get; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether published events reach the plugin's event consumer (as nopCommerce dispatches them)
    /// </summary>
    public bool DispatchEvents { get; set; }

    /// <summary>
    /// Gets the number of times a nopCommerce order was loaded
    /// </summary>
    public int OrderLoads;

    public Mock<IOrderService> OrderService { get; } = new();
    public Mock<ISettingService> SettingService { get; } = new();
    public Mock<IEventPublisher> EventPublisher { get; } = new();
    public Mock<ILogger> Logger { get; } = new();
    public Mock<IPriceFormatter> PriceFormatter { get; } = new();
    public Mock<IShipmentService> ShipmentService { get; } = new();
    public Mock<IProductService> ProductService { get; } = new();
    public Mock<IShipmentTracker> ShipmentTracker { get; } = new();
    public Mock<ILocalizationService> Localization { get; } = new();
    public Mock<IWorkContext> WorkContext { get; } = new();

    public IServiceProvider Services => _scope.ServiceProvider;
    public IKlarnaCredentialsProvider CredentialsProvider => Services.GetRequiredService<IKlarnaCredentialsProvider>();
    public IKlarnaOrderRecordService RecordService => Services.GetRequiredService<IKlarnaOrderRecordService>();
    public IKlarnaOrderStatusService StatusService => Services.GetRequiredService<IKlarnaOrderStatusService>();
    public IKlarnaShipmentTrackingService TrackingService => Services.GetRequiredService<IKlarnaShipmentTrackingService>();
    public IKlarnaOperationExecutor Executor => Services.GetRequiredService<IKlarnaOperationExecutor>();
    public IKlarnaOrderReader Reader => Services.GetRequiredService<IKlarnaOrderReader>();
    public KlarnaTexts Texts => Services.GetRequiredService<KlarnaTexts>();
    public KlarnaMoneyFormatter MoneyFormatter => Services.GetRequiredService<KlarnaMoneyFormatter>();
    public IKlarnaNopPaymentOperations NopOperations => Services.GetRequiredService<IKlarnaNopPaymentOperations>();
    public IKlarnaStatusSyncOrderProcessor SyncProcessor => Services.GetRequiredService<IKlarnaStatusSyncOrderProcessor>();
    public IKlarnaCheckoutNotificationService NotificationService => Services.GetRequiredService<IKlarnaCheckoutNotificationService>();
    public EventConsumer Consumer { get; }

    /// <param name="apiClient">The Klarna client (the sandbox's); null for the in-memory Klarna</param>
    /// <param name="lockerOverride">The ILocker; null for <see cref="Locker"/></param>
    /// <param name="configureServices">Changes the registrations last (e.g. a decorator of a service)</param>
    public OrderManagementHarness(IKlarnaApiClient apiClient = null, ILocker lockerOverride = null, Action<IServiceCollection> configureServices = null)
    {
        OrderService.Setup(s => s.GetOrderByIdAsync(It.IsAny<int>())).ReturnsAsync((int id) =>
        {
            Interlocked.Increment(ref OrderLoads);
            return Orders.GetValueOrDefault(id);
        });
        OrderService.Setup(s => s.UpdateOrderAsync(It.IsAny<Order>())).Returns(Task.CompletedTask);
        OrderService.Setup(s => s.InsertOrderNoteAsync(It.IsAny<OrderNote>())).Callback((OrderNote note) => Notes.Enqueue(note)).Returns(Task.CompletedTask);
        OrderService.Setup(s => s.GetOrderItemsAsync(It.IsAny<int>(), It.IsAny<bool?>(), It.IsAny<bool?>(), It.IsAny<int>()))
            .ReturnsAsync((int orderId, bool? _, bool? _, int _) => (IList<OrderItem>)OrderItems.Where(item => item.OrderId == orderId).ToList());

        SettingService.Setup(s => s.LoadSettingAsync<KlarnaSettings>(It.IsAny<int>())).ReturnsAsync(() => Settings);

        EventPublisher.Setup(p => p.PublishAsync(It.IsAny<OrderStatusChangedEvent>())).Returns(async (OrderStatusChangedEvent e) =>
        {
            PublishedEvents.Enqueue(e);
            if (!DispatchEvents)
                return;
            try
            {
                //nopCommerce's EventPublisher catches and logs a consumer's exception
                await Consumer.HandleEventAsync(e);
            }
            catch
            {
                // ignored like nopCommerce does
            }
        });
        EventPublisher.Setup(p => p.PublishAsync(It.IsAny<OrderPaidEvent>())).Callback((OrderPaidEvent e) => PublishedEvents.Enqueue(e)).Returns(Task.CompletedTask);

        PriceFormatter.Setup(f => f.FormatPriceAsync(It.IsAny<decimal>(), It.IsAny<bool>(), It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<int>()))
            .ReturnsAsync((decimal price, bool _, string code, bool _, int _) => $"{price.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} {code}");

        var resources = KlarnaLocaleResources.GetAll();
        Localization.Setup(l => l.GetResourceAsync(It.IsAny<string>())).ReturnsAsync((string key) => resources.TryGetValue(key, out var value) ? value : key);
        Localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<KlarnaOperationKind>(), It.IsAny<int?>())).ReturnsAsync((KlarnaOperationKind v, int? _) => v.ToString());
        Localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<KlarnaOperationStatus>(), It.IsAny<int?>())).ReturnsAsync((KlarnaOperationStatus v, int? _) => v.ToString());
        Localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<KlarnaStatusEvent>(), It.IsAny<int?>())).ReturnsAsync((KlarnaStatusEvent v, int? _) => v.ToString());
        Localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<OrderStatus>(), It.IsAny<int?>())).ReturnsAsync((OrderStatus v, int? _) => v.ToString());
        Localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<PaymentStatus>(), It.IsAny<int?>())).ReturnsAsync((PaymentStatus v, int? _) => v.ToString());
        WorkContext.Setup(w => w.GetWorkingLanguageAsync()).ReturnsAsync(new Language { Id = 1 });

        ShipmentService.Setup(s => s.GetShipmentByIdAsync(It.IsAny<int>())).ReturnsAsync((int id) => Shipments.FirstOrDefault(s => s.Id == id));
        ShipmentService.Setup(s => s.GetShipmentsByOrderIdAsync(It.IsAny<int>(), It.IsAny<bool?>(), It.IsAny<bool?>(), It.IsAny<int>()))
            .ReturnsAsync((int orderId, bool? shipped, bool? _, int _) => (IList<Shipment>)Shipments
                .Where(s => s.OrderId == orderId && (shipped != true || s.ShippedDateUtc.HasValue)).ToList());
        ShipmentService.Setup(s => s.GetShipmentItemsByShipmentIdAsync(It.IsAny<int>()))
            .ReturnsAsync((int id) => (IList<ShipmentItem>)ShipmentItems.Where(i => i.ShipmentId == id).ToList());
        ShipmentService.Setup(s => s.GetShipmentTrackerAsync(It.IsAny<Shipment>())).ReturnsAsync(ShipmentTracker.Object);
        ShipmentTracker.Setup(t => t.GetUrlAsync(It.IsAny<string>(), It.IsAny<Shipment>()))
            .ReturnsAsync((string number, Shipment _) => $"https://tracking.example/{number}");
        ProductService.Setup(s => s.GetProductByIdAsync(It.IsAny<int>())).ReturnsAsync((int id) => Products.GetValueOrDefault(id));

        var services = new ServiceCollection();
        services.AddKlarnaConnection().AddKlarnaOrderManagement().AddKlarnaRecords().AddKlarnaStatusSync();
        services.AddScoped<IKlarnaCheckoutNotificationService, KlarnaCheckoutNotificationService>();
        services.AddScoped<IKlarnaOrderStatusService, TestOrderStatusService>();
        services.AddSingleton<IKlarnaApiClient>(apiClient ?? Klarna);
        services.AddSingleton<IRepository<KlarnaOrderRecord>>(RecordTable);
        services.AddSingleton<IRepository<KlarnaOperation>>(OperationTable);
        services.AddSingleton<IRepository<KlarnaOrderClaim>>(ClaimTable);
        services.AddSingleton(lockerOverride ?? Locker);
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(Options.Create(ClientOptions));
        services.AddSingleton(Options.Create(EngineOptions));
        services.AddSingleton(OrderService.Object);
        services.AddSingleton(SettingService.Object);
        services.AddSingleton(EventPublisher.Object);
        services.AddSingleton(Logger.Object);
        services.AddSingleton(PriceFormatter.Object);
        services.AddSingleton(ShipmentService.Object);
        services.AddSingleton(ProductService.Object);
        services.AddSingleton(Localization.Object);
        services.AddSingleton(WorkContext.Object);
        services.AddSingleton(new Mock<IStoreContext>().Object);
        configureServices?.Invoke(services);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        _scope = _provider.CreateScope();

        Consumer = new EventConsumer(new Mock<IKlarnaCheckoutService>().Object, Executor, Logger.Object, OrderService.Object, SettingService.Object);
    }

    public void Dispose()
    {
        _scope.Dispose();
        _provider.Dispose();
    }

    /// <summary>
    /// Gets the text of a result, as the admin sees it
    /// </summary>
    public string TextOf(KlarnaOperationResult result) => Texts.ResultAsync(result).GetAwaiter().GetResult();

    /// <summary>
    /// A Klarna order line in minor units (total = quantity * unit price - discount; tax from the rate in basis points)
    /// </summary>
    public static KlarnaOrderLine Line(string reference, long quantity, long unitPrice, long discount = 0, string type = KlarnaOrderLineType.Physical, int taxRate = 2500)
    {
        var total = quantity * unitPrice - discount;
        return new KlarnaOrderLine
        {
            Type = type,
            Reference = reference,
            Name = $"Item {reference}",
            Quantity = quantity,
            UnitPrice = unitPrice,
            TotalDiscountAmount = discount,
            TotalAmount = total,
            TaxRate = taxRate,
            TotalTaxAmount = total - total * 10000 / (10000 + taxRate)
        };
    }

    /// <summary>
    /// Creates a nopCommerce order paid with Klarna (authorized), its record and Klarna's order
    /// </summary>
    public Order CreateOrder(params KlarnaOrderLine[] lines) => CreateOrder("EUR", 1m, lines);

    public Order CreateOrder(string currency, decimal currencyRate, params KlarnaOrderLine[] lines)
    {
        var orderId = Interlocked.Increment(ref _nextOrderId);
        var amount = lines.Sum(line => line.TotalAmount);
        var klarnaOrderId = $"klarna-{orderId}";
        Klarna.AddOrder(new KlarnaOrder
        {
            OrderId = klarnaOrderId,
            Status = KlarnaOrderStatus.Authorized,
            FraudStatus = KlarnaFraudStatus.Accepted,
            OrderAmount = amount,
            OriginalOrderAmount = amount,
            RemainingAuthorizedAmount = amount,
            PurchaseCurrency = currency,
            PurchaseCountry = "DE",
            KlarnaReference = $"K{orderId}",
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(20),
            CreatedAt = DateTimeOffset.UtcNow,
            OrderLines = lines.ToList(),
            Captures = new List<KlarnaCapture>(),
            Refunds = new List<KlarnaRefund>()
        });

        return AddNopOrder(orderId, klarnaOrderId, amount, currency, currencyRate);
    }

    /// <summary>
    /// Creates the nopCommerce order and its record for a Klarna order that exists elsewhere (e.g. in the sandbox)
    /// </summary>
    public Order CreateOrderFor(string klarnaOrderId, long amount, string currency = "EUR", decimal currencyRate = 1m) =>
        AddNopOrder(Interlocked.Increment(ref _nextOrderId), klarnaOrderId, amount, currency, currencyRate);

    private Order AddNopOrder(int orderId, string klarnaOrderId, long amount, string currency, decimal currencyRate)
    {
        var order = new Order
        {
            Id = orderId,
            StoreId = 1,
            OrderGuid = Guid.NewGuid(),
            CustomOrderNumber = orderId.ToString(),
            PaymentMethodSystemName = KlarnaDefaults.SystemName,
            CustomerCurrencyCode = currency,
            CurrencyRate = currencyRate,
            OrderTotal = Math.Round(KlarnaAmount.FromMinor(amount, currency) / currencyRate, 2),
            OrderStatusId = (int)OrderStatus.Processing,
            PaymentStatusId = (int)PaymentStatus.Authorized,
            ShippingMethod = "DHL Paket",
            CreatedOnUtc = DateTime.UtcNow
        };
        Orders[orderId] = order;

        RecordTable.InsertAsync(new KlarnaOrderRecord
        {
            OrderId = orderId,
            StoreId = 1,
            KlarnaOrderId = klarnaOrderId,
            KlarnaReference = $"K{orderId}",
            Region = KlarnaRegion.Europe,
            Environment = KlarnaEnvironment.Playground,
            CurrencyCode = currency,
            KlarnaStatus = KlarnaOrderStatus.Authorized,
            FraudStatus = KlarnaFraudStatus.Accepted,
            OrderAmountMinor = amount,
            RemainingAuthorizedAmountMinor = amount,
            AppliedStatusEvents = nameof(KlarnaStatusEvent.Authorized),
            CreatedOnUtc = DateTime.UtcNow,
            UpdatedOnUtc = DateTime.UtcNow
        }).GetAwaiter().GetResult();

        return order;
    }

    public string KlarnaOrderId(Order order) => $"klarna-{order.Id}";

    public KlarnaOrder KlarnaOrderOf(Order order) => Klarna.Snapshot(KlarnaOrderId(order));

    public IList<KlarnaOperation> OperationsOf(Order order) => OperationTable.Rows.Where(op => op.OrderId == order.Id).ToList();

    public IList<string> NotesOf(Order order) => Notes.Where(n => n.OrderId == order.Id).Select(n => n.Note).ToList();

    public OrderItem AddOrderItem(Order order, Guid guid, int quantity, int productId = 1, string sku = null)
    {
        if (sku is not null)
            Products[productId] = new Product { Id = productId, Sku = sku, Name = sku };
        var item = new OrderItem { Id = Interlocked.Increment(ref _nextItemId), OrderId = order.Id, OrderItemGuid = guid, Quantity = quantity, ProductId = productId };
        OrderItems.Add(item);
        return item;
    }

    public Shipment AddShipment(Order order, string trackingNumber, bool shipped, params (OrderItem Item, int Quantity)[] items)
    {
        var shipment = new Shipment
        {
            Id = Interlocked.Increment(ref _nextShipmentId),
            OrderId = order.Id,
            TrackingNumber = trackingNumber,
            ShippedDateUtc = shipped ? DateTime.UtcNow : null,
            CreatedOnUtc = DateTime.UtcNow
        };
        Shipments.Add(shipment);
        foreach (var (item, quantity) in items)
            ShipmentItems.Add(new ShipmentItem { Id = Interlocked.Increment(ref _nextItemId), ShipmentId = shipment.Id, OrderItemId = item.Id, Quantity = quantity });
        return shipment;
    }
}
