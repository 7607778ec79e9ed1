using System.Reflection;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased;

/// <summary>
/// Wraps the real Klarna API client of a sequence: every write (a method taking an idempotency key) is checked as it is
/// sent (<see cref="ModelWorld.BeforeWrite"/>); everything goes to the real client unchanged
/// </summary>
public class ObservingKlarnaClient : DispatchProxy
{
    private IKlarnaApiClient _inner;
    private ModelWorld _world;

    public static IKlarnaApiClient Wrap(IKlarnaApiClient inner, ModelWorld world)
    {
        var proxy = Create<IKlarnaApiClient, ObservingKlarnaClient>();
        var observer = (ObservingKlarnaClient)(object)proxy;
        observer._inner = inner;
        observer._world = world;
        return proxy;
    }

    protected override object Invoke(MethodInfo targetMethod, object[] args)
    {
        var parameters = targetMethod!.GetParameters();
        var keyIndex = Array.FindIndex(parameters, p => p.Name == "idempotencyKey");
        var orderIndex = Array.FindIndex(parameters, p => p.Name == "orderId");
        if (keyIndex < 0 || orderIndex < 0)
            return targetMethod.Invoke(_inner, args);

        var klarnaOrderId = (string)args[orderIndex];
        var key = (string)args[keyIndex];
        _world.BeforeWrite(targetMethod.Name, klarnaOrderId, key);
        Task task;
        try
        {
            task = (Task)targetMethod.Invoke(_inner, args);
        }
        catch
        {
            _world.AfterWrite(klarnaOrderId, key);
            throw;
        }

        return targetMethod.ReturnType.IsGenericType
            ? typeof(ObservingKlarnaClient).GetMethod(nameof(AfterGeneric), BindingFlags.Instance | BindingFlags.NonPublic)!
                .MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0]).Invoke(this, new object[] { task, klarnaOrderId, key })
            : After(task, klarnaOrderId, key);
    }

    private async Task After(Task task, string klarnaOrderId, string key)
    {
        try
        {
            await task;
        }
        finally
        {
            _world.AfterWrite(klarnaOrderId, key);
        }
    }

    private async Task<T> AfterGeneric<T>(Task<T> task, string klarnaOrderId, string key)
    {
        try
        {
            return await task;
        }
        finally
        {
            _world.AfterWrite(klarnaOrderId, key);
        }
    }
}

/// <summary>
/// The real executor, with every result handed to the sequence's world (who asked, which order, what came of it)
/// </summary>
public sealed class RecordingExecutor : IKlarnaOperationExecutor
{
    private readonly IKlarnaOperationExecutor _inner;
    private readonly ModelWorld _world;

    public RecordingExecutor(IKlarnaOperationExecutor inner, ModelWorld world)
    {
        _inner = inner;
        _world = world;
    }

    public async Task<KlarnaOperationResult> ExecuteAsync(IKlarnaCommand command, CancellationToken cancellationToken = default)
    {
        var result = await _inner.ExecuteAsync(command, cancellationToken);
        _world.Record(command.Initiator, command.Order?.Id ?? command.OrderId, result);
        return result;
    }

    public async Task<KlarnaOperationResult> ReconcileAsync(KlarnaReconcileRequest request, CancellationToken cancellationToken = default)
    {
        var result = await _inner.ReconcileAsync(request, cancellationToken);
        _world.Record(request.Initiator, request.Order?.Id ?? request.OrderId, result);
        return result;
    }
}
