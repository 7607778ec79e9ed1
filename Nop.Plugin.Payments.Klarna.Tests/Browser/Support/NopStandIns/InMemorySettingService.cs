using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Nop.Core.Configuration;
using Nop.Services.Configuration;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser.Support.NopStandIns;

/// <summary>
/// Test stand-in for nopCommerce's SettingService with its multi-store semantics: a setting is stored per key
/// ("klarnasettings.apiurloverride") and store (0 = all stores); loading for a store takes the store's value and falls back
/// to the value for all stores, then to the class default; saving "overridable per store" in a store's scope stores the
/// value for that store when the override is ticked and deletes the store's value otherwise
/// </summary>
public sealed class InMemorySettingService : ISettingService
{
    private readonly ConcurrentDictionary<(string Key, int StoreId), object> _values = new();

    private static string Key<T>(PropertyInfo property) => $"{typeof(T).Name}.{property.Name}".ToLowerInvariant();

    private static PropertyInfo Property<T, TPropType>(Expression<Func<T, TPropType>> keySelector) =>
        (PropertyInfo)((MemberExpression)keySelector.Body).Member;

    /// <summary>
    /// Gets whether a value is stored for the key and store
    /// </summary>
    public bool Has(string key, int storeId) => _values.ContainsKey((key.ToLowerInvariant(), storeId));

    /// <summary>
    /// Gets the stored value of the key and store
    /// </summary>
    public object Get(string key, int storeId) => _values.GetValueOrDefault((key.ToLowerInvariant(), storeId));

    public T GetSettingByKey<T>(string key, T defaultValue = default, int storeId = 0, bool loadSharedValueIfNotFound = false)
    {
        if (_values.TryGetValue((key.ToLowerInvariant(), storeId), out var value)
            || (loadSharedValueIfNotFound && storeId > 0 && _values.TryGetValue((key.ToLowerInvariant(), 0), out value)))
            return (T)value;
        return defaultValue;
    }

    public Task ClearCacheAsync() => Task.CompletedTask;

    public Task DeleteSettingAsync<T, TPropType>(T settings, Expression<Func<T, TPropType>> keySelector, int storeId = 0) where T : ISettings, new()
    {
        _values.TryRemove((Key<T>(Property(keySelector)), storeId), out _);
        return Task.CompletedTask;
    }

    public Task DeleteSettingAsync<T>() where T : ISettings, new()
    {
        foreach (var key in _values.Keys.Where(k => k.Key.StartsWith(typeof(T).Name.ToLowerInvariant() + ".", StringComparison.Ordinal)))
            _values.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    public Task SaveSettingAsync<T, TPropType>(T settings, Expression<Func<T, TPropType>> keySelector, int storeId = 0, bool clearCache = true) where T : ISettings, new()
    {
        var property = Property(keySelector);
        _values[(Key<T>(property), storeId)] = property.GetValue(settings);
        return Task.CompletedTask;
    }

    public Task SaveSettingAsync<T>(T settings, int storeId = 0) where T : ISettings, new()
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.CanRead && p.CanWrite))
            _values[(Key<T>(property), storeId)] = property.GetValue(settings);
        return Task.CompletedTask;
    }

    public Task SaveSettingOverridablePerStoreAsync<T, TPropType>(T settings, Expression<Func<T, TPropType>> keySelector, bool overrideForStore, int storeId = 0,
        bool clearCache = true) where T : ISettings, new()
    {
        return overrideForStore || storeId == 0
            ? SaveSettingAsync(settings, keySelector, storeId, clearCache)
            : DeleteSettingAsync(settings, keySelector, storeId);
    }

    public async Task<ISettings> LoadSettingAsync(Type type, int storeId = 0)
    {
        var method = typeof(InMemorySettingService).GetMethods().Single(m => m.Name == nameof(LoadSettingAsync) && m.IsGenericMethodDefinition);
        var task = (Task)method.MakeGenericMethod(type).Invoke(this, new object[] { storeId })!;
        await task;
        return (ISettings)task.GetType().GetProperty("Result")!.GetValue(task);
    }

    public Task<T> LoadSettingAsync<T>(int storeId = 0) where T : ISettings, new()
    {
        var settings = new T();
        foreach (var property in typeof(T).GetProperties().Where(p => p.CanRead && p.CanWrite))
        {
            if (_values.TryGetValue((Key<T>(property), storeId), out var value) || (storeId > 0 && _values.TryGetValue((Key<T>(property), 0), out value)))
                property.SetValue(settings, value);
        }
        return Task.FromResult(settings);
    }

    public Task<bool> SettingExistsAsync<T, TPropType>(T settings, Expression<Func<T, TPropType>> keySelector, int storeId = 0) where T : ISettings, new() =>
        Task.FromResult(_values.ContainsKey((Key<T>(Property(keySelector)), storeId)));

    public IList<Nop.Core.Domain.Configuration.Setting> GetAllSettings() =>
        _values.Select(pair => new Nop.Core.Domain.Configuration.Setting { Name = pair.Key.Key, Value = pair.Value?.ToString(), StoreId = pair.Key.StoreId }).ToList();

    public void DeleteSetting(Nop.Core.Domain.Configuration.Setting setting) => _values.TryRemove((setting.Name.ToLowerInvariant(), setting.StoreId), out _);

    public void SetSetting<T>(string key, T value, int storeId = 0, bool clearCache = true) => _values[(key.Trim().ToLowerInvariant(), storeId)] = value;

    public void ClearCache()
    {
    }
}
