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
using Nop.Plugin.Payments.Klarna.Services;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Services.Configuration;
using Nop.Services.Logging;
using Nop.Services.Orders;
using Nop.Services.ScheduleTasks;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.KlarnaStatusSync;

/// <summary>
/// The shared "database" of a simulated shop (one or several instances): orders, notes, Klarna records and operations, runs
/// </summary>
public sealed class SyncShop
{
    private readonly object _sync = new();
    private readonly Dictionary<int, KlarnaOrderRecord> _records = new();
    private readonly List<KlarnaOperation> _operations = new();
    private readonly List<KlarnaSyncRun> _runs = new();
    private int _nextId;

    public ConcurrentDictionary<int, Order> Orders { get; } = new();

    public ConcurrentQueue<OrderNote> Notes { get; } = new();

    public KlarnaSettings Settings { get; } = new() { SyncConcurrency = 4, ExpiryWarningDays = 3 };

    public InMemoryLocker Locker { get; } = new();

    /// <summary>
    /// Gets the status events that changed an order's status: (order id, event)
    /// </summary>
    public ConcurrentQueue<(int OrderId, KlarnaStatusEvent Event)> AppliedEvents { get; } = new();

    public ScheduleTask Task { get; } = new() { Id = 1, Name = KlarnaDefaults.SyncTask.Name, Type = KlarnaDefaults.SyncTask.Type, Seconds = 3600, Enabled = true };

    private static T Clone<T>(T value) => value is null ? default : JsonConvert.DeserializeObject<T>(JsonConvert.SerializeObject(value));

    private int NextId() => Interlocked.Increment(ref _nextId);

    #region Records (what om's IKlarnaOrderRecordService keeps in the database)

    public KlarnaOrderRecord GetRecord(int orderId)
    {
        lock (_sync)
            return _records.TryGetValue(orderId, out var record) ? Clone(record) : null;
    }

    public KlarnaOrderRecord GetRecordByKlarnaId(string klarnaOrderId)
    {
        lock (_sync)
            return Clone(_records.Values.FirstOrDefault(record => record.KlarnaOrderId == klarnaOrderId));
    }

    public void SaveRecord(KlarnaOrderRecord record)
    {
        lock (_sync)
        {
            if (record.Id == 0)
                record.Id = NextId();
            _records[record.OrderId] = Clone(record);
        }
    }

    public IList<KlarnaOperation> GetOperations(int orderId)
    {
        lock (_sync)
            return _operations.Where(operation => operation.OrderId == orderId).Select(Clone).ToList();
    }

    public IList<KlarnaOperation> AllOperations()
    {
        lock (_sync)
            return _operations.Select(Clone).ToList();
    }

    public KlarnaOperation GetOperationByKey(string key)
    {
        lock (_sync)
            return Clone(_operations.FirstOrDefault(operation => operation.IdempotencyKey == key));
    }

    public void InsertOperation(KlarnaOperation operation)
    {
        lock (_sync)
        {
            //the unique index on IdempotencyKey
            if (_operations.Any(existing => existing.IdempotencyKey == operation.IdempotencyKey))
                throw new InvalidOperationException($"Duplicate idempotency key {operation.IdempotencyKey}");

            operation.Id = NextId();
            _operations.Add(Clone(operation));
        }
    }

    public void UpdateOperation(KlarnaOperation operation)
    {
        lock (_sync)
        {
            var index = _operations.FindIndex(existing => existing.Id == operation.Id);
            if (index < 0)
                throw new InvalidOperationException($"No operation {operation.Id}");
            _operations[index] = Clone(operation);
        }
    }

    public IList<KlarnaOrderRecord> GetOpenRecords(int pageIndex, int pageSize)
    {
        var closed = new[] { KlarnaOrderStatus.Cancelled, KlarnaOrderStatus.Expired, KlarnaOrderStatus.Closed };
        lock (_sync)
        {
            return _records.Values
                .Where(record => record.SyncRequested || record.KlarnaStatus == null || !closed.Contains(record.KlarnaStatus)
                    || record.CapturedAmountMinor > record.RefundedAmountMinor)
                .OrderBy(record => record.Id)
                .Skip(pageIndex * pageSize).Take(pageSize)
                .Select(Clone).ToList();
        }
    }

    #endregion

    #region Runs

    public IList<KlarnaSyncRun> Runs
    {
        get
        {
            lock (_sync)
                return _runs.Select(Clone).ToList();
        }
    }

    public IRepository<KlarnaSyncRun> CreateRunRepository()
    {
        var repository = new Mock<IRepository<KlarnaSyncRun>>();
        repository.Setup(r => r.InsertAsync(It.IsAny<KlarnaSyncRun>(), It.IsAny<bool>())).Returns((KlarnaSyncRun run, bool _) =>
        {
            lock (_sync)
            {
                run.Id = NextId();
                _runs.Add(Clone(run));
            }
            return System.Threading.Tasks.Task.CompletedTask;
        });
        repository.Setup(r => r.UpdateAsync(It.IsAny<KlarnaSyncRun>(), It.IsAny<bool>())).Returns((KlarnaSyncRun run, bool _) =>
        {
            lock (_sync)
                _runs[_runs.FindIndex(existing => existing.Id == run.Id)] = Clone(run);
            return System.Threading.Tasks.Task.CompletedTask;
        });
        repository.Setup(r => r.GetAllAsync(It.IsAny<Func<IQueryable<KlarnaSyncRun>, IQueryable<KlarnaSyncRun>>>(), It.IsAny<Func<ICacheKeyService, CacheKey>>(), It.IsAny<bool>()))
            .Returns((Func<IQueryable<KlarnaSyncRun>, IQueryable<KlarnaSyncRun>> func, Func<ICacheKeyService, CacheKey> _, bool _) =>
            {
                lock (_sync)
                {
                    var query = _runs.Select(Clone).AsQueryable();
                    return System.Threading.Tasks.Task.FromResult<IList<KlarnaSyncRun>>((func is null ? query : func(query)).ToList());
                }
            });
        return repository.Object;
    }

    #endregion

    #region Orders

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

    #endregion
}

/// <summary>
/// An in-memory ILocker that behaves like nopCommerce's: PerformActionWithLockAsync returns false while the key is held,
/// releases the key even when the action throws
/// </summary>
public sealed class InMemoryLocker : ILocker
{
    private readonly ConcurrentDictionary<string, byte> _held = new();

    public int Refused;

    public async Task<bool> PerformActionWithLockAsync(string resource, TimeSpan expirationTime, Func<Task> action)
    {
        if (!_held.TryAdd(resource, 0))
        {
            Interlocked.Increment(ref Refused);
            return false;
        }

        try
        {
            await action();
            return true;
        }
        finally
        {
            _held.TryRemove(resource, out _);
        }
    }

    public bool IsHeld(string resource) => _held.ContainsKey(resource);

    public bool Hold(string resource) => _held.TryAdd(resource, 0);

    public void Free(string resource) => _held.TryRemove(resource, out _);

    public Task CancelTaskAsync(string key, TimeSpan expirationTime) => throw new NotSupportedException();

    public Task RunWithHeartbeatAsync(string key, TimeSpan expirationTime, TimeSpan heartbeatInterval, Func<CancellationToken, Task> action,
        CancellationTokenSource cancellationTokenSource = default) => throw new NotSupportedException();

    public Task<bool> IsTaskRunningAsync(string key) => throw new NotSupportedException();
}

/// <summary>
/// The contract of om's IKlarnaOrderStatusService: each event at most once per order (AppliedStatusEvents on the record),
/// mapped through the settings; with EnableAutomaticOrderStatusChange off only the initial events apply
/// </summary>
public sealed class ContractOrderStatusService : IKlarnaOrderStatusService
{
    private readonly SyncShop _shop;

    public ContractOrderStatusService(SyncShop shop) => _shop = shop;

    public static int MappedStatusId(KlarnaSettings settings, KlarnaStatusEvent statusEvent) => statusEvent switch
    {
        KlarnaStatusEvent.Authorized => settings.OrderStatusAfterAuthorizeId,
        KlarnaStatusEvent.FraudPending => settings.OrderStatusFraudPendingId,
        KlarnaStatusEvent.PartiallyCaptured => settings.OrderStatusAfterPartialCaptureId,
        KlarnaStatusEvent.Captured => settings.OrderStatusAfterCaptureId,
        KlarnaStatusEvent.Cancelled => settings.OrderStatusAfterCancelId,
        KlarnaStatusEvent.PartiallyRefunded => settings.OrderStatusAfterPartialRefundId,
        KlarnaStatusEvent.Refunded => settings.OrderStatusAfterRefundId,
        KlarnaStatusEvent.Expired => settings.OrderStatusAfterExpiryId,
        _ => 0
    };

    public Task ApplyEventAsync(Order order, KlarnaStatusEvent statusEvent)
    {
        var record = _shop.GetRecord(order.Id);
        var applied = (record.AppliedStatusEvents ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        if (!applied.Add(statusEvent.ToString()))
            return Task.CompletedTask;
        if (!_shop.Settings.EnableAutomaticOrderStatusChange && statusEvent is not (KlarnaStatusEvent.Authorized or KlarnaStatusEvent.FraudPending))
            return Task.CompletedTask;

        record.AppliedStatusEvents = string.Join(",", applied);
        _shop.SaveRecord(record);
        var statusId = MappedStatusId(_shop.Settings, statusEvent);
        if (statusId != 0)
            order.OrderStatus = (OrderStatus)statusId; // the reference Order keeps OrderStatus and OrderStatusId apart
        _shop.AppliedEvents.Enqueue((order.Id, statusEvent));
        return Task.CompletedTask;
    }
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
        IKlarnaOrderManagementService orderManagementService = null)
    {
        Counter = counter ?? new ConcurrencyCounter();
        Logger = new Mock<ILogger>();
        ScheduleTaskService = new Mock<IScheduleTaskService>();
        ScheduleTaskService.Setup(s => s.GetTaskByTypeAsync(KlarnaDefaults.SyncTask.Type)).ReturnsAsync(shop.Task);
        ScheduleTaskService.Setup(s => s.UpdateTaskAsync(It.IsAny<ScheduleTask>())).Returns(Task.CompletedTask);

        var recordService = new Mock<IKlarnaOrderRecordService>();
        recordService.Setup(s => s.GetByOrderIdAsync(It.IsAny<int>())).ReturnsAsync((int id) => shop.GetRecord(id));
        recordService.Setup(s => s.GetByKlarnaOrderIdAsync(It.IsAny<string>())).ReturnsAsync((string id) => shop.GetRecordByKlarnaId(id));
        recordService.Setup(s => s.InsertAsync(It.IsAny<KlarnaOrderRecord>())).Returns((KlarnaOrderRecord record) => { shop.SaveRecord(record); return Task.CompletedTask; });
        recordService.Setup(s => s.UpdateAsync(It.IsAny<KlarnaOrderRecord>())).Returns((KlarnaOrderRecord record) => { shop.SaveRecord(record); return Task.CompletedTask; });
        recordService.Setup(s => s.GetOperationsAsync(It.IsAny<int>())).ReturnsAsync((int id) => shop.GetOperations(id));
        recordService.Setup(s => s.GetOperationByIdempotencyKeyAsync(It.IsAny<string>())).ReturnsAsync((string key) => shop.GetOperationByKey(key));
        recordService.Setup(s => s.InsertOperationAsync(It.IsAny<KlarnaOperation>())).Returns((KlarnaOperation operation) => { shop.InsertOperation(operation); return Task.CompletedTask; });
        recordService.Setup(s => s.UpdateOperationAsync(It.IsAny<KlarnaOperation>())).Returns((KlarnaOperation operation) => { shop.UpdateOperation(operation); return Task.CompletedTask; });
        recordService.Setup(s => s.GetOpenRecordsAsync(It.IsAny<int>(), It.IsAny<int>())).ReturnsAsync((int pageIndex, int pageSize) => shop.GetOpenRecords(pageIndex, pageSize));

        var settingService = new Mock<ISettingService>();
        settingService.Setup(s => s.LoadSettingAsync<KlarnaSettings>(It.IsAny<int>())).ReturnsAsync(shop.Settings);

        var credentialsProvider = new Mock<IKlarnaCredentialsProvider>();
        credentialsProvider.Setup(p => p.GetCredentialsAsync(It.IsAny<int>(), It.IsAny<KlarnaRegion>(), It.IsAny<KlarnaEnvironment>())).ReturnsAsync(credentials);
        credentialsProvider.Setup(p => p.GetCredentialsAsync(It.IsAny<int>())).ReturnsAsync(credentials);

        OrderManagement = new Mock<IKlarnaOrderManagementService>();
        var services = new ServiceCollection();
        //the plugin's own registrations first; the fakes of nopCommerce and of the other features registered after them win
        Nop.Plugin.Payments.Klarna.Infrastructure.KlarnaServiceCollectionExtensions.AddKlarnaPluginServices(services);
        services.AddSingleton(recordService.Object);
        services.AddSingleton(settingService.Object);
        services.AddSingleton(credentialsProvider.Object);
        services.AddSingleton(orderManagementService ?? OrderManagement.Object);
        services.AddSingleton<IKlarnaOrderStatusService>(new ContractOrderStatusService(shop));
        services.AddSingleton(shop.CreateOrderService());
        services.AddSingleton<ILocker>(shop.Locker);
        services.AddSingleton(Logger.Object);
        services.AddSingleton(ScheduleTaskService.Object);
        services.AddSingleton(shop.CreateRunRepository());
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

    public Mock<IKlarnaOrderManagementService> OrderManagement { get; }

    public async ValueTask DisposeAsync()
    {
        Scope.Dispose();
        await _provider.DisposeAsync();
    }
}
