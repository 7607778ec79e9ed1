using Newtonsoft.Json;
using Nop.Core;
using Nop.Core.Caching;
using Nop.Data;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// An in-memory IRepository that behaves like a database table: every read returns new instances (copies), and an
/// optional unique key behaves like a unique index (a duplicate insert throws)
/// </summary>
public class InMemoryRepository<TEntity> : IRepository<TEntity> where TEntity : BaseEntity
{
    private readonly object _sync = new();
    private readonly List<TEntity> _rows = new();
    private readonly Func<TEntity, object> _uniqueKey;
    private int _nextId = 1;

    public InMemoryRepository(Func<TEntity, object> uniqueKey = null)
    {
        _uniqueKey = uniqueKey;
    }

    /// <summary>
    /// Gets or sets a hook called after a row was inserted (e.g. to let time pass as a slow database would)
    /// </summary>
    public Action<TEntity> AfterInsert { get; set; }

    private static TEntity Copy(TEntity entity) => JsonConvert.DeserializeObject<TEntity>(JsonConvert.SerializeObject(entity));

    /// <summary>
    /// Gets copies of all rows
    /// </summary>
    public IList<TEntity> Rows
    {
        get
        {
            lock (_sync)
                return _rows.Select(Copy).ToList();
        }
    }

    public Task InsertAsync(IList<TEntity> entities, bool publishEvent = true)
    {
        foreach (var entity in entities)
            InsertAsync(entity, publishEvent);
        return Task.CompletedTask;
    }

    public Task InsertAsync(TEntity entity, bool publishEvent = true)
    {
        lock (_sync)
        {
            if (_uniqueKey is not null && _rows.Any(row => Equals(_uniqueKey(row), _uniqueKey(entity))))
                throw new InvalidOperationException($"Unique index violation on {typeof(TEntity).Name}: {_uniqueKey(entity)}");
            entity.Id = _nextId++;
            _rows.Add(Copy(entity));
        }

        AfterInsert?.Invoke(entity);
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
        lock (_sync)
        {
            var index = _rows.FindIndex(row => row.Id == entity.Id);
            if (index < 0)
                throw new InvalidOperationException($"{typeof(TEntity).Name} {entity.Id} does not exist");
            _rows[index] = Copy(entity);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Deletes the rows the predicate matches in one step, as one DELETE statement does
    /// </summary>
    public Task<int> DeleteAsync(System.Linq.Expressions.Expression<Func<TEntity, bool>> predicate)
    {
        var matches = predicate.Compile();
        lock (_sync)
            return Task.FromResult(_rows.RemoveAll(row => matches(row)));
    }

    public Task<IList<TEntity>> GetAllAsync(Func<IQueryable<TEntity>, IQueryable<TEntity>> func = null, Func<ICacheKeyService, CacheKey> getCacheKey = null, bool includeDeleted = true)
    {
        var rows = Rows.AsQueryable();
        return Task.FromResult<IList<TEntity>>((func is null ? rows : func(rows)).ToList());
    }

    public async Task<IList<TEntity>> GetAllAsync(Func<IQueryable<TEntity>, Task<IQueryable<TEntity>>> func = null, Func<ICacheKeyService, CacheKey> getCacheKey = null, bool includeDeleted = true)
    {
        var rows = Rows.AsQueryable();
        return (func is null ? rows : await func(rows)).ToList();
    }

    public async Task<IList<TEntity>> GetAllAsync(Func<IQueryable<TEntity>, Task<IQueryable<TEntity>>> func, Func<ICacheKeyService, Task<CacheKey>> getCacheKey, bool includeDeleted = true)
    {
        var rows = Rows.AsQueryable();
        return (func is null ? rows : await func(rows)).ToList();
    }

    public Task<IPagedList<TEntity>> GetAllPagedAsync(Func<IQueryable<TEntity>, IQueryable<TEntity>> func = null, int pageIndex = 0, int pageSize = int.MaxValue, bool getOnlyTotalCount = false, bool includeDeleted = true)
    {
        var rows = Rows.AsQueryable();
        var all = (func is null ? rows : func(rows)).ToList();
        return Task.FromResult<IPagedList<TEntity>>(new PagedList(all.Skip(pageIndex * pageSize).Take(pageSize), all.Count));
    }

    public async Task<IPagedList<TEntity>> GetAllPagedAsync(Func<IQueryable<TEntity>, Task<IQueryable<TEntity>>> func = null, int pageIndex = 0, int pageSize = int.MaxValue, bool getOnlyTotalCount = false, bool includeDeleted = true)
    {
        var rows = Rows.AsQueryable();
        var all = (func is null ? rows : await func(rows)).ToList();
        return new PagedList(all.Skip(pageIndex * pageSize).Take(pageSize), all.Count);
    }

    public Task<TEntity> GetByIdAsync(int? id, Func<ICacheKeyService, CacheKey> getCacheKey = null, bool includeDeleted = true, bool useShortTermCache = false) =>
        Task.FromResult(Rows.FirstOrDefault(row => row.Id == id));

    public IQueryable<TEntity> Table => Rows.AsQueryable();

    /// <summary>
    /// A page that is an IList, like nopCommerce's PagedList
    /// </summary>
    private class PagedList : List<TEntity>, IPagedList<TEntity>
    {
        public PagedList(IEnumerable<TEntity> items, int totalCount) : base(items)
        {
            TotalCount = totalCount;
        }

        public int TotalCount { get; }
    }
}
