using System.Collections.Concurrent;
using System.Reflection;

namespace Nop.Plugin.Payments.Klarna.Bench.Support;

/// <summary>
/// A cheap fake of a nopCommerce service interface (a DispatchProxy: no setup matching per call as with Moq, whose own
/// cost would be counted as the plugin's): the methods given a handler run it, the others return a completed task or the
/// default value
/// </summary>
public class NopFake<T> : DispatchProxy where T : class
{
    private static readonly ConcurrentDictionary<Type, object> _completed = new();
    private Dictionary<string, Func<object[], object>> _handlers;

    public static T Create(Dictionary<string, Func<object[], object>> handlers = null)
    {
        var proxy = Create<T, NopFake<T>>();
        ((NopFake<T>)(object)proxy)._handlers = handlers ?? new Dictionary<string, Func<object[], object>>();
        return proxy;
    }

    protected override object Invoke(MethodInfo targetMethod, object[] args)
    {
        if (_handlers.TryGetValue(targetMethod.Name, out var handler))
            return handler(args);

        var type = targetMethod.ReturnType;
        if (type == typeof(Task))
            return Task.CompletedTask;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return _completed.GetOrAdd(type, t =>
            {
                var result = t.GetGenericArguments()[0];
                return typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(result)
                    .Invoke(null, [result.IsValueType ? Activator.CreateInstance(result) : null]);
            });
        }

        return type.IsValueType && type != typeof(void) ? Activator.CreateInstance(type) : null;
    }
}
