using System.Reflection;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// Wraps the real Klarna API client: after a write (any method taking an idempotency key) the next order read(s) fail
/// like a dropped connection, so that a write whose answer was lost cannot be settled at once and stays pending for the
/// next read or the next sync run. Everything else goes to the real client unchanged.
/// </summary>
public class LostReadClient : DispatchProxy
{
    private IKlarnaApiClient _inner;
    private int _readsToFail;

    public int ReadsToFailAfterWrite { get; set; } = 1;

    public bool Armed { get; set; } = true;

    public static IKlarnaApiClient Wrap(IKlarnaApiClient inner, out LostReadClient control)
    {
        var proxy = Create<IKlarnaApiClient, LostReadClient>();
        control = (LostReadClient)(object)proxy;
        control._inner = inner;
        return proxy;
    }

    protected override object Invoke(MethodInfo targetMethod, object[] args)
    {
        if (targetMethod!.Name == nameof(IKlarnaApiClient.GetOrderAsync) && Interlocked.Decrement(ref _readsToFail) >= 0)
            return Task.FromException<KlarnaOrder>(new KlarnaApiException(0, "TRANSPORT_ERROR", new[] { "Connection to Klarna failed: the read was lost" }, null));

        var result = targetMethod.Invoke(_inner, args);
        if (Armed && targetMethod.GetParameters().Any(p => p.Name == "idempotencyKey") && result is Task task)
        {
            return targetMethod.ReturnType.IsGenericType
                ? typeof(LostReadClient).GetMethod(nameof(ContinueGeneric), BindingFlags.Instance | BindingFlags.NonPublic)!
                    .MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0]).Invoke(this, new object[] { task })
                : Continue(task);
        }

        return result;
    }

    private async Task Continue(Task task)
    {
        try
        {
            await task;
        }
        finally
        {
            LoseNextReads();
        }
    }

    private async Task<T> ContinueGeneric<T>(Task<T> task)
    {
        try
        {
            return await task;
        }
        finally
        {
            LoseNextReads();
        }
    }

    private void LoseNextReads()
    {
        if (!Armed)
            return;
        Armed = false;
        Interlocked.Exchange(ref _readsToFail, ReadsToFailAfterWrite);
    }
}
