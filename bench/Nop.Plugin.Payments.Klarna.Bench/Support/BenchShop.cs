using System.Collections.Concurrent;
using Klarna.Sandbox;
using Klarna.Sandbox.Models;
using Microsoft.Extensions.DependencyInjection;
using Nop.Core.Caching;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Core.Events;
using Nop.Data;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Infrastructure;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Services.Catalog;
using Nop.Services.Configuration;
using Nop.Services.Logging;
using Nop.Services.Orders;
using Nop.Services.ScheduleTasks;
using Nop.Services.Shipping;

namespace Nop.Plugin.Payments.Klarna.Bench.Support;

/// <summary>
/// A simulated shop: the plugin's real services (DI registrations, typed Klarna client with its resilience pipeline) over
/// in-memory tables, a nopCommerce-like ILocker and settings service, cheap fakes of the other nopCommerce services, and the
/// Klarna sandbox started in-process on 127.0.0.1
/// </summary>
public sealed class BenchShop : IAsyncDisposable
{
    public const string Username = "bench_user";
    public const string Password = "bench_password";

    private int _nextOrderId;
    private readonly ServiceProvider _provider;

    private BenchShop(KlarnaSandboxHost sandbox, Action<KlarnaSettings> configure)
    {
        Sandbox = sandbox;
        Settings = new KlarnaSettings
        {
            EuropePlaygroundUsername = Username,
            EuropePlaygroundPassword = Password,
            ApiUrlOverride = sandbox.BaseUri.ToString(),
            SyncConcurrency = 4,
            ExpiryWarningDays = 3
        };
        configure?.Invoke(Settings);
        SettingService = new BenchSettingService(Settings);

        OrderService = NopFake<IOrderService>.Create(new Dictionary<string, Func<object[], object>>
        {
            [nameof(IOrderService.GetOrderByIdAsync)] = args =>
            {
                Interlocked.Increment(ref OrderLoads);
                return Task.FromResult(Orders.GetValueOrDefault((int)args[0]));
            },
            [nameof(IOrderService.GetOrderItemsAsync)] = _ => Task.FromResult<IList<OrderItem>>(new List<OrderItem>())
        });

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKlarnaApiClient().AddHttpMessageHandler(() => new CountingHandler(this));
        services.AddKlarnaPluginServices();
        services.AddSingleton<IRepository<KlarnaOrderRecord>>(RecordTable);
        services.AddSingleton<IRepository<KlarnaOperation>>(OperationTable);
        services.AddSingleton<IRepository<KlarnaSyncRun>>(RunTable);
        services.AddSingleton<IRepository<KlarnaOrderClaim>>(ClaimTable);
        services.AddSingleton<ISettingService>(SettingService);
        //like nopCommerce's DI: an ISettings class is loaded once per scope that needs it
        services.AddScoped(provider => provider.GetRequiredService<ISettingService>().LoadSettingAsync<KlarnaSettings>().GetAwaiter().GetResult());
        services.AddSingleton<ILocker>(Locker);
        services.AddSingleton(OrderService);
        services.AddSingleton(NopFake<ILogger>.Create());
        services.AddSingleton(NopFake<IEventPublisher>.Create());
        services.AddSingleton(NopFake<IPriceFormatter>.Create());
        services.AddSingleton(NopFake<IShipmentService>.Create());
        services.AddSingleton(NopFake<IProductService>.Create());
        services.AddSingleton(NopFake<IScheduleTaskService>.Create());
        services.AddSingleton(NopFake<Nop.Core.IStoreContext>.Create());
        //what the admin controller and the order block need (texts come back as their resource names)
        services.AddSingleton(NopFake<Nop.Services.Localization.ILocalizationService>.Create());
        services.AddSingleton(NopFake<Nop.Core.IWorkContext>.Create());
        services.AddSingleton(NopFake<Nop.Services.Helpers.IDateTimeHelper>.Create());
        services.AddSingleton(NopFake<Nop.Services.Security.IPermissionService>.Create());
        services.AddSingleton(NopFake<Nop.Web.Framework.Mvc.Routing.INopUrlHelper>.Create());
        _provider = services.BuildServiceProvider();
    }

    public KlarnaSandboxHost Sandbox { get; }

    public KlarnaSettings Settings { get; }

    public BenchSettingService SettingService { get; }

    public BenchRepository<KlarnaOrderRecord> RecordTable { get; } = new();

    public BenchRepository<KlarnaOperation> OperationTable { get; } = new();

    public BenchRepository<KlarnaSyncRun> RunTable { get; } = new();

    public BenchRepository<KlarnaOrderClaim> ClaimTable { get; } = new();

    public BenchLocker Locker { get; } = new();

    public IOrderService OrderService { get; }

    public ConcurrentDictionary<int, Order> Orders { get; } = new();

    /// <summary>
    /// Gets the number of HTTP requests the plugin's Klarna client sent (every attempt)
    /// </summary>
    public long KlarnaRequests;

    /// <summary>
    /// Gets the number of times a nopCommerce order was loaded
    /// </summary>
    public long OrderLoads;

    public static async Task<BenchShop> StartAsync(Action<KlarnaSettings> configure = null)
    {
        var sandbox = await KlarnaSandboxHost.StartAsync(new SandboxOptions { Username = Username, Password = Password });
        return new BenchShop(sandbox, configure);
    }

    public IServiceScope CreateScope() => _provider.CreateScope();

    /// <summary>
    /// Gets the lines of a typical order: two products and shipping (EUR, 19 % VAT)
    /// </summary>
    public static List<SandboxOrderLine> TypicalLines()
    {
        SandboxOrderLine line(string type, string reference, string name, long quantity, long unitPrice)
        {
            var total = quantity * unitPrice;
            return new SandboxOrderLine
            {
                Type = type, Reference = reference, Name = name, Quantity = quantity, QuantityUnit = "pcs", UnitPrice = unitPrice,
                TaxRate = 1900, TotalAmount = total, TotalDiscountAmount = 0, TotalTaxAmount = KlarnaLineRules.TaxOf(total, 1900)
            };
        }

        return new List<SandboxOrderLine>
        {
            line("physical", "SKU-SHIRT-M", "T-shirt (Size: M)", 2, 1999),
            line("physical", "SKU-MUG", "Mug", 1, 1250),
            line("shipping_fee", "shipping", "Shipping", 1, 490)
        };
    }

    /// <summary>
    /// Creates an authorized Klarna order in the sandbox, the nopCommerce order and the plugin's record
    /// </summary>
    /// <returns>The nopCommerce order id and the Klarna order id</returns>
    public (int OrderId, string KlarnaOrderId) CreateOrder()
    {
        var lines = TypicalLines();
        var amount = lines.Sum(l => l.TotalAmount!.Value);
        var (klarnaOrder, failure) = Sandbox.State.CreateOrderDirect(new SandboxCart
        {
            PurchaseCountry = "DE",
            PurchaseCurrency = "EUR",
            Locale = "de-DE",
            OrderAmount = amount,
            OrderTaxAmount = lines.Sum(l => l.TotalTaxAmount!.Value),
            OrderLines = lines,
            MerchantReference1 = "bench"
        });
        if (failure is not null)
            throw new InvalidOperationException($"sandbox refused the order: {failure.ErrorCode} {failure.Message}");

        var orderId = Interlocked.Increment(ref _nextOrderId);
        Orders[orderId] = new Order
        {
            Id = orderId,
            StoreId = 0,
            OrderGuid = Guid.NewGuid(),
            CustomOrderNumber = orderId.ToString(),
            PaymentMethodSystemName = KlarnaDefaults.SystemName,
            CustomerCurrencyCode = "EUR",
            CurrencyRate = 1m,
            OrderTotal = KlarnaAmount.FromMinor(amount, "EUR"),
            OrderStatusId = (int)OrderStatus.Processing,
            PaymentStatusId = (int)PaymentStatus.Authorized,
            CreatedOnUtc = DateTime.UtcNow
        };

        RecordTable.InsertAsync(new KlarnaOrderRecord
        {
            OrderId = orderId,
            StoreId = 0,
            KlarnaOrderId = klarnaOrder.OrderId,
            Region = KlarnaRegion.Europe,
            Environment = KlarnaEnvironment.Playground,
            CurrencyCode = "EUR",
            KlarnaStatus = KlarnaOrderStatus.Authorized,
            FraudStatus = KlarnaFraudStatus.Accepted,
            OrderAmountMinor = amount,
            RemainingAuthorizedAmountMinor = amount,
            ExpiresAtUtc = klarnaOrder.ExpiresAt.UtcDateTime,
            AppliedStatusEvents = nameof(KlarnaStatusEvent.Authorized),
            CreatedOnUtc = DateTime.UtcNow,
            UpdatedOnUtc = DateTime.UtcNow
        }).GetAwaiter().GetResult();

        return (orderId, klarnaOrder.OrderId);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private readonly BenchShop _shop;

        public CountingHandler(BenchShop shop) => _shop = shop;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _shop.KlarnaRequests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
