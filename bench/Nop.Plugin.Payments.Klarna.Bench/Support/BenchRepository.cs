using System.Reflection;
using Nop.Core;
using Nop.Core.Caching;
using Nop.Data;

namespace Nop.Plugin.Payments.Klarna.Bench.Support;

/// <summary>
/// An in-memory IRepository that behaves like a table: reads return copies (shallow, as a data reader materializes new
/// instances), writes store copies. Cheap on purpose (no serialization), so that the benchmark measures the plugin and
/// not the fake; counts the reads and writes so that N+1 patterns show in the figures
/// </summary>
public sealed class BenchRepository<TEntity> : IRepository<TEntity> where TEntity : BaseEntity
{
    private static readonly Func<object, object> _clone = (Func<object, object>)typeof(object)
        .GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!
        .CreateDelegate(typeof(Func<object, object>));

    private readonly object _sync = new();
    private readonly List<TEntity> _rows = new();
    private int _nextId = 1;
    private long _reads;
    private long _writes;

    private static TEntity Copy(TEntity entity) => (TEntity)_clone(entity);

    public long Reads => Interlocked.Read(ref _reads);

    public long Writes => Interlocked.Read(ref _writes);

    public int Count
    {
        get
        {
            lock (_sync)
                return _rows.Count;
        }
    }

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _writes, 0);
    }

    public void Clear()
    {
        lock (_sync)
            _rows.Clear();
    }

    /// <summary>
    /// Runs the query over the rows (call under the lock)
    /// </summary>
    private IEnumerable<TEntity> Evaluate(Func<IQueryable<TEntity>, IQueryable<TEntity>> func)
    {
        if (func is null)
            return _rows;
        var source = _rows.AsQueryable();
        return CompiledQuery<TEntity>.Run(func(source), source, _rows);
    }

    private IList<TEntity> Query(Func<IQueryable<TEntity>, IQueryable<TEntity>> func)
    {
        Interlocked.Increment(ref _reads);
        lock (_sync)
            return Evaluate(func).Select(Copy).ToList();
    }

    public Task InsertAsync(IList<TEntity> entities, bool publishEvent = true)
    {
        foreach (var entity in entities)
            InsertAsync(entity, publishEvent);
        return Task.CompletedTask;
    }

    public Task InsertAsync(TEntity entity, bool publishEvent = true)
    {
        Interlocked.Increment(ref _writes);
        lock (_sync)
        {
            entity.Id = _nextId++;
            _rows.Add(Copy(entity));
        }

        return Task.CompletedTask;
    }

    public Task UpdateAsync(IList<TEntity> entities, bool publishEvent = true)
    {
        foreach (var entity in entities)
            UpdateAsync(entity, publishEvent);
        return Task.CompletedTask;
    }

    public Task UpdateAsync(TEntity entity, bool publishEvent = true)
    {
        Interlocked.Increment(ref _writes);
        lock (_sync)
        {
            var index = _rows.FindIndex(row => row.Id == entity.Id);
            if (index < 0)
                throw new InvalidOperationException($"{typeof(TEntity).Name} {entity.Id} does not exist");
            _rows[index] = Copy(entity);
        }

        return Task.CompletedTask;
    }

    public Task<int> DeleteAsync(System.Linq.Expressions.Expression<Func<TEntity, bool>> predicate)
    {
        Interlocked.Increment(ref _writes);
        //interpreted, not compiled: a provider translates a delete's shape once, the fake should not pay a compilation per call
        var matches = predicate.Compile(preferInterpretation: true);
        lock (_sync)
            return Task.FromResult(_rows.RemoveAll(row => matches(row)));
    }

    public Task<IList<TEntity>> GetAllAsync(Func<IQueryable<TEntity>, IQueryable<TEntity>> func = null, Func<ICacheKeyService, CacheKey> getCacheKey = null, bool includeDeleted = true) =>
        Task.FromResult(Query(func));

    public async Task<IList<TEntity>> GetAllAsync(Func<IQueryable<TEntity>, Task<IQueryable<TEntity>>> func = null, Func<ICacheKeyService, CacheKey> getCacheKey = null, bool includeDeleted = true)
    {
        if (func is null)
            return Query(null);
        IQueryable<TEntity> query;
        lock (_sync)
            query = _rows.ToList().AsQueryable();
        Interlocked.Increment(ref _reads);
        return (await func(query)).AsEnumerable().Select(Copy).ToList();
    }

    public Task<IList<TEntity>> GetAllAsync(Func<IQueryable<TEntity>, Task<IQueryable<TEntity>>> func, Func<ICacheKeyService, Task<CacheKey>> getCacheKey, bool includeDeleted = true) =>
        GetAllAsync(func, (Func<ICacheKeyService, CacheKey>)null, includeDeleted);

    public Task<IPagedList<TEntity>> GetAllPagedAsync(Func<IQueryable<TEntity>, IQueryable<TEntity>> func = null, int pageIndex = 0, int pageSize = int.MaxValue, bool getOnlyTotalCount = false, bool includeDeleted = true)
    {
        Interlocked.Increment(ref _reads);
        lock (_sync)
        {
            var all = Evaluate(func).ToList();
            var page = all.Skip(pageIndex * pageSize).Take(pageSize).Select(Copy);
            return Task.FromResult<IPagedList<TEntity>>(new PagedList(page, all.Count));
        }
    }

    public async Task<IPagedList<TEntity>> GetAllPagedAsync(Func<IQueryable<TEntity>, Task<IQueryable<TEntity>>> func = null, int pageIndex = 0, int pageSize = int.MaxValue, bool getOnlyTotalCount = false, bool includeDeleted = true)
    {
        IQueryable<TEntity> rows;
        lock (_sync)
            rows = _rows.ToList().AsQueryable();
        Interlocked.Increment(ref _reads);
        var query = func is null ? rows : await func(rows);
        var total = query.Count();
        return new PagedList(query.Skip(pageIndex * pageSize).Take(pageSize).AsEnumerable().Select(Copy), total);
    }

    public Task<TEntity> GetByIdAsync(int? id, Func<ICacheKeyService, CacheKey> getCacheKey = null, bool includeDeleted = true, bool useShortTermCache = false)
    {
        Interlocked.Increment(ref _reads);
        lock (_sync)
        {
            var row = _rows.FirstOrDefault(r => r.Id == id);
            return Task.FromResult(row is null ? null : Copy(row));
        }
    }

    public IQueryable<TEntity> Table
    {
        get
        {
            lock (_sync)
                return _rows.Select(Copy).ToList().AsQueryable();
        }
    }

    private sealed class PagedList : List<TEntity>, IPagedList<TEntity>
    {
        public PagedList(IEnumerable<TEntity> items, int totalCount) : base(items)
        {
            TotalCount = totalCount;
        }

        public int TotalCount { get; }
    }
}
