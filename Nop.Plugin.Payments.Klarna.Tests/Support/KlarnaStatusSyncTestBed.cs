using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Newtonsoft.Json;
using Nop.Core.Caching;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Core.Domain.ScheduleTasks;
using Nop.Data;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Services.Configuration;
using Nop.Services.Logging;
using Nop.Services.Orders;
using Nop.Services.ScheduleTasks;
using Nop.Core.Events;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// The shared "database" of a simulated shop (one or several instances): orders, notes, Klarna records and operations, runs
/// </summary>
public sealed class SyncShop
{
    public SyncShop()
    {
        RecordService = new KlarnaOrderRecordService(OperationTable, RecordTable);
    }

    public InMemoryRepository<KlarnaOrderRecord> RecordTable { get; } = new(record => record.OrderId);

    public InMemoryRepository<KlarnaOperation> OperationTable { get; } = new(operation => operation.IdempotencyKey);

    public InMemoryRepository<KlarnaSyncRun> RunTable { get; } = new();

    public InMemoryRepository<KlarnaOrderClaim> ClaimTable { get; } = new(claim => claim.OrderId);

    /// <summary>
    /// Gets order management's record service over the tables
    /// </summary>
    public KlarnaOrderRecordService RecordService { get; }

    public ConcurrentDictionary<int, Order> Orders { get; } = new();

    public ConcurrentQueue<OrderNote> Notes { get; } = new();

    public KlarnaSettings Settings { get; } = new() { SyncConcurrency = 4, ExpiryWarningDays = 3 };

    public InMemoryLocker Locker { get; } = new();

    /// <summary>
    /// Gets the status events that changed an order's status: (order id, event)
    /// </summary>
    public ConcurrentQueue<(int OrderId, KlarnaStatusEvent Event)> AppliedEvents { get; } = new();

    public ScheduleTask Task { get; } = new() { Id = 1, Name = KlarnaDefaults.SyncTask.Name, Type = KlarnaDefaults.SyncTask.Type, Seconds = 3600, Enabled = true };

    public KlarnaOrderRecord GetRecord(int orderId) => RecordService.GetByOrderIdAsync(orderId).GetAwaiter().GetResult();

    public void SaveRecord(KlarnaOrderRecord record)
    {
        if (record.Id == 0)
            RecordTable.InsertAsync(record).GetAwaiter().GetResult();
        else
            RecordTable.UpdateAsync(record).GetAwaiter().GetResult();
    }

    public IList<KlarnaOperation> GetOperations(int orderId) => RecordService.GetOperationsAsync(orderId).GetAwaiter().GetResult();

    public IList<KlarnaOperation> AllOperations() => OperationTable.Rows;

    public void InsertOperation(KlarnaOperation operation) => OperationTable.InsertAsync(operation).GetAwaiter().GetResult();

    public IList<KlarnaSyncRun> Runs => RunTable.Rows;

    public IOrderService CreateOrderService()
    {
        var orderService = new Mock<IOrderService>();
        orderService.Setup(s => s.GetOrderByIdAsync(It.IsAny<int>())).ReturnsAsync((int id) => Orders.TryGetValue(id, out var order) ? order : null);
        orderService.Setup(s => s.UpdateOrderAsync(It.IsAny<Order>())).Returns(System.Threading.Tasks.Task.CompletedTask);
        orderService.Setup(s => s.InsertOrderNoteAsync(It.IsAny<OrderNote>())).Returns((OrderNote note) =>
        {
            Notes.Enqueue(note);
            return System.Threading.Tasks.Task.CompletedTask;
        });
        return orderService.Object;
    }

    public IList<OrderNote> NotesOf(int orderId) => Notes.Where(note => note.OrderId == orderId).ToList();
}

/// <summary>
/// A stand-in of the status mapping's order side (the policy and the engine claim each event once per order on the record):
/// it sets the mapped status and remembers which events changed an order's status
/// </summary>
public sealed class ContractOrderStatusService : IKlarnaOrderStatusService
{
    private readonly SyncShop _shop;

    public ContractOrderStatusService(SyncShop shop) => _shop = shop;

    public Task<KlarnaOrderStatusMappedEvent> SetStatusAsync(Order order, KlarnaStatusChange change)
    {
        if (change is null)
            return Task.FromResult<KlarnaOrderStatusMappedEvent>(null);

        order.OrderStatusId = (int)change.NewStatus;
        _shop.AppliedEvents.Enqueue((order.Id, change.StatusEvent));
        return Task.FromResult(new KlarnaOrderStatusMappedEvent(order, change.PreviousStatus, change.StatusEvent));
    }

    public Task ApplyEventAsync(Order order, KlarnaStatusEvent statusEvent) => throw new NotSupportedException("the checkout's entry: not used by the sync");
}

/// <summary>
/// Wraps an IKlarnaApiClient and counts the Klarna calls in flight (the highest number ever observed)
/// </summary>
public class CountingKlarnaApiClient : DispatchProxy
{
    private IKlarnaApiClient _target;
    private ConcurrencyCounter _counter;

    public static IKlarnaApiClient Create(IKlarnaApiClient target, ConcurrencyCounter counter)
    {
        var proxy = Create<IKlarnaApiClient, CountingKlarnaApiClient>();
        var counting = (CountingKlarnaApiClient)(object)proxy;
        counting._target = target;
        counting._counter = counter;
        return proxy;
    }

    private static readonly MethodInfo WrapGenericMethod = typeof(CountingKlarnaApiClient).GetMethod(nameof(WrapGeneric), BindingFlags.NonPublic | BindingFlags.Static);

    private static async Task<T> WrapGeneric<T>(Task<T> task, ConcurrencyCounter counter)
    {
        try
        {
            return await task;
        }
        finally
        {
            counter.Exit();
        }
    }

    private static async Task Wrap(Task task, ConcurrencyCounter counter)
    {
        try
        {
            await task;
        }
        finally
        {
            counter.Exit();
        }
    }

    protected override object Invoke(MethodInfo targetMethod, object[] args)
    {
        _counter.Enter();
        object result;
        try
        {
            result = targetMethod.Invoke(_target, args);
        }
        catch (TargetInvocationException exception)
        {
            _counter.Exit();
            throw exception.InnerException!;
        }

        if (targetMethod.ReturnType.IsGenericType && targetMethod.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
            return WrapGenericMethod.MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0]).Invoke(null, [result, _counter]);

        return Wrap((Task)result, _counter);
    }
}

public sealed class ConcurrencyCounter
{
    private int _current;
    private int _max;
    private int _total;

    public int Max => Volatile.Read(ref _max);

    public int Total => Volatile.Read(ref _total);

    public void Enter()
    {
        Interlocked.Increment(ref _total);
        var current = Interlocked.Increment(ref _current);
        int max;
        while (current > (max = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, current, max) != max)
        {
        }
    }

    public void Exit() => Interlocked.Decrement(ref _current);
}

/// <summary>
/// One shop instance: the plugin's real sync services over the shared shop "database", with their own DI container
/// </summary>
public sealed class SyncInstance : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public SyncInstance(SyncShop shop, IKlarnaApiClient apiClient, KlarnaCredentials credentials, ConcurrencyCounter counter = null,
        bool realStatusService = false)
    {
        Counter = counter ?? new ConcurrencyCounter();
        Logger = new Mock<ILogger>();
        ScheduleTaskService = new Mock<IScheduleTaskService>();
        ScheduleTaskService.Setup(s => s.GetTaskByTypeAsync(KlarnaDefaults.SyncTask.Type)).ReturnsAsync(shop.Task);
        ScheduleTaskService.Setup(s => s.UpdateTaskAsync(It.IsAny<ScheduleTask>())).Returns(Task.CompletedTask);

        var settingService = new Mock<ISettingService>();
        settingService.Setup(s => s.LoadSettingAsync<KlarnaSettings>(It.IsAny<int>())).ReturnsAsync(shop.Settings);

        var credentialsProvider = new Mock<IKlarnaCredentialsProvider>();
        credentialsProvider.Setup(p => p.GetCredentialsAsync(It.IsAny<int>(), It.IsAny<KlarnaRegion>(), It.IsAny<KlarnaEnvironment>())).ReturnsAsync(credentials);
        credentialsProvider.Setup(p => p.GetCredentialsAsync(It.IsAny<int>())).ReturnsAsync(credentials);
        credentialsProvider.Setup(p => p.GetCredentials(It.IsAny<KlarnaSettings>(), It.IsAny<KlarnaRegion>(), It.IsAny<KlarnaEnvironment>())).Returns(credentials);

        var services = new ServiceCollection();
        //the plugin's own registrations first; the fakes of nopCommerce registered after them win
        Nop.Plugin.Payments.Klarna.Infrastructure.KlarnaServiceCollectionExtensions.AddKlarnaPluginServices(services);
        services.AddSingleton<IKlarnaOrderRecordService>(shop.RecordService);
        services.AddSingleton(settingService.Object);
        services.AddSingleton(credentialsProvider.Object);
        var orderService = shop.CreateOrderService();
        services.AddSingleton(orderService);
        EventPublisher = new Mock<IEventPublisher>();
        services.AddSingleton(EventPublisher.Object);
        if (realStatusService)
            services.AddScoped<IKlarnaOrderStatusService, TestOrderStatusService>();
        else
            services.AddSingleton<IKlarnaOrderStatusService>(new ContractOrderStatusService(shop));
        var resources = Nop.Plugin.Payments.Klarna.Localization.KlarnaLocaleResources.GetAll();
        var localization = new Mock<Nop.Services.Localization.ILocalizationService>();
        localization.Setup(l => l.GetResourceAsync(It.IsAny<string>())).ReturnsAsync((string key) => resources.TryGetValue(key, out var value) ? value : key);
        localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<KlarnaOperationKind>(), It.IsAny<int?>())).ReturnsAsync((KlarnaOperationKind v, int? _) => v.ToString());
        localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<PaymentStatus>(), It.IsAny<int?>())).ReturnsAsync((PaymentStatus v, int? _) => v.ToString());
        localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<OrderStatus>(), It.IsAny<int?>())).ReturnsAsync((OrderStatus v, int? _) => v.ToString());
        localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<KlarnaStatusEvent>(), It.IsAny<int?>())).ReturnsAsync((KlarnaStatusEvent v, int? _) => v.ToString());
        services.AddSingleton(localization.Object);
        var priceFormatter = new Mock<Nop.Services.Catalog.IPriceFormatter>();
        priceFormatter.Setup(f => f.FormatPriceAsync(It.IsAny<decimal>(), It.IsAny<bool>(), It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<int>()))
            .ReturnsAsync((decimal price, bool _, string code, bool _, int _) => $"{price.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} {code}");
        services.AddSingleton(priceFormatter.Object);
        services.AddSingleton(new Mock<Nop.Core.IWorkContext>().Object);
        services.AddSingleton(new Mock<Nop.Services.Shipping.IShipmentService>().Object);
        services.AddSingleton(new Mock<Nop.Services.Catalog.IProductService>().Object);
        services.AddSingleton<ILocker>(shop.Locker);
        services.AddSingleton(Logger.Object);
        services.AddSingleton(ScheduleTaskService.Object);
        services.AddSingleton<IRepository<KlarnaSyncRun>>(shop.RunTable);
        services.AddSingleton<IRepository<KlarnaOrderClaim>>(shop.ClaimTable);
        services.AddSingleton(CountingKlarnaApiClient.Create(apiClient, Counter));
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        Scope = _provider.CreateScope();
        SyncService = (KlarnaStatusSyncService)Scope.ServiceProvider.GetRequiredService<IKlarnaStatusSyncService>();
        SyncService.RateLimitPause = TimeSpan.FromMilliseconds(200);
        SyncService.MaxRateLimitPause = TimeSpan.FromSeconds(2);
    }

    public IServiceScope Scope { get; }

    public KlarnaStatusSyncService SyncService { get; }

    public ConcurrencyCounter Counter { get; }

    public Mock<ILogger> Logger { get; }

    public Mock<IScheduleTaskService> ScheduleTaskService { get; }

    public Mock<IEventPublisher> EventPublisher { get; private set; }

    public async ValueTask DisposeAsync()
    {
        Scope.Dispose();
        await _provider.DisposeAsync();
    }
}
