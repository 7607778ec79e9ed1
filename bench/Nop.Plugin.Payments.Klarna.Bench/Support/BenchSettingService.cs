using System.Linq.Expressions;
using System.Reflection;
using Nop.Core.Configuration;
using Nop.Core.Domain.Configuration;
using Nop.Services.Configuration;

namespace Nop.Plugin.Payments.Klarna.Bench.Support;

/// <summary>
/// An ISettingService whose LoadSettingAsync builds a new settings object property by property each time, as nopCommerce's
/// SettingService does (from its cached dictionary), so repeated loads cost what they cost there; counts the loads
/// </summary>
public sealed class BenchSettingService : ISettingService
{
    private readonly KlarnaSettings _settings;
    private static readonly PropertyInfo[] _properties = typeof(KlarnaSettings).GetProperties(BindingFlags.Instance | BindingFlags.Public)
        .Where(p => p.CanRead && p.CanWrite).ToArray();
    private readonly Dictionary<string, string> _values;
    private long _loads;

    public BenchSettingService(KlarnaSettings settings)
    {
        _settings = settings;
        _values = _properties.ToDictionary(p => $"{nameof(KlarnaSettings)}.{p.Name}".ToLowerInvariant(),
            p => System.ComponentModel.TypeDescriptor.GetConverter(p.PropertyType).ConvertToInvariantString(p.GetValue(settings)));
    }

    public long Loads => Interlocked.Read(ref _loads);

    public void ResetCounters() => Interlocked.Exchange(ref _loads, 0);

    public Task<T> LoadSettingAsync<T>(int storeId = 0) where T : ISettings, new()
    {
        Interlocked.Increment(ref _loads);
        if (typeof(T) != typeof(KlarnaSettings))
            return Task.FromResult(new T());

        //like nopCommerce: a new instance, each property converted from its stored string
        var settings = new T();
        foreach (var property in _properties)
        {
            if (!_values.TryGetValue($"{typeof(T).Name}.{property.Name}".ToLowerInvariant(), out var value) || value is null)
                continue;
            var converter = System.ComponentModel.TypeDescriptor.GetConverter(property.PropertyType);
            if (!converter.CanConvertFrom(typeof(string)))
                continue;
            property.SetValue(settings, converter.ConvertFromInvariantString(value));
        }

        return Task.FromResult(settings);
    }

    public async Task<ISettings> LoadSettingAsync(Type type, int storeId = 0) => await LoadSettingAsync<KlarnaSettings>(storeId);

    //like nopCommerce: one value from the cached settings (keys are stored lower-case)
    public T GetSettingByKey<T>(string key, T defaultValue = default, int storeId = 0, bool loadSharedValueIfNotFound = false)
    {
        if (!_values.TryGetValue(key.Trim().ToLowerInvariant(), out var value) || value is null)
            return defaultValue;

        return (T)System.ComponentModel.TypeDescriptor.GetConverter(typeof(T)).ConvertFromInvariantString(value);
    }

    public Task ClearCacheAsync() => Task.CompletedTask;

    public void ClearCache()
    {
    }

    public void DeleteSetting(Setting setting) => throw new NotSupportedException();

    public IList<Setting> GetAllSettings() => throw new NotSupportedException();

    public void SetSetting<T>(string key, T value, int storeId = 0, bool clearCache = true) => throw new NotSupportedException();

    public Task DeleteSettingAsync<T, TPropType>(T settings, Expression<Func<T, TPropType>> keySelector, int storeId = 0) where T : ISettings, new() => throw new NotSupportedException();

    public Task DeleteSettingAsync<T>() where T : ISettings, new() => throw new NotSupportedException();

    public Task SaveSettingAsync<T, TPropType>(T settings, Expression<Func<T, TPropType>> keySelector, int storeId = 0, bool clearCache = true) where T : ISettings, new() => throw new NotSupportedException();

    public Task SaveSettingAsync<T>(T settings, int storeId = 0) where T : ISettings, new() => throw new NotSupportedException();

    public Task SaveSettingOverridablePerStoreAsync<T, TPropType>(T settings, Expression<Func<T, TPropType>> keySelector, bool overrideForStore, int storeId = 0, bool clearCache = true) where T : ISettings, new() => throw new NotSupportedException();

    public Task<bool> SettingExistsAsync<T, TPropType>(T settings, Expression<Func<T, TPropType>> keySelector, int storeId = 0) where T : ISettings, new() => throw new NotSupportedException();
}
