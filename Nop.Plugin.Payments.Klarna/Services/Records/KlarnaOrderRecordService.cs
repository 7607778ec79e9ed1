using Nop.Data;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.Records;

/// <summary>
/// The plugin's records of Klarna orders and operations (IRepository, no cache: records change with every operation)
/// </summary>
public class KlarnaOrderRecordService : IKlarnaOrderRecordService
{
    #region Fields

    protected readonly IRepository<KlarnaOperation> _operationRepository;
    protected readonly IRepository<KlarnaOrderRecord> _recordRepository;

    #endregion

    #region Ctor

    public KlarnaOrderRecordService(IRepository<KlarnaOperation> operationRepository,
        IRepository<KlarnaOrderRecord> recordRepository)
    {
        _operationRepository = operationRepository;
        _recordRepository = recordRepository;
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaOrderRecord> GetByOrderIdAsync(int orderId)
    {
        if (orderId <= 0)
            return null;

        var records = await _recordRepository.GetAllAsync(query => query.Where(record => record.OrderId == orderId).OrderBy(record => record.Id));
        return records.FirstOrDefault();
    }

    /// <inheritdoc />
    public virtual async Task<IList<KlarnaOrderRecord>> GetByOrderIdsAsync(IList<int> orderIds)
    {
        var ids = orderIds?.Where(id => id > 0).Distinct().ToArray() ?? Array.Empty<int>();
        if (ids.Length == 0)
            return new List<KlarnaOrderRecord>();

        return await _recordRepository.GetAllAsync(query => query.Where(record => ids.Contains(record.OrderId)).OrderBy(record => record.Id));
    }

    /// <inheritdoc />
    public virtual async Task<KlarnaOrderRecord> GetByKlarnaOrderIdAsync(string klarnaOrderId)
    {
        if (string.IsNullOrWhiteSpace(klarnaOrderId))
            return null;

        var records = await _recordRepository.GetAllAsync(query => query.Where(record => record.KlarnaOrderId == klarnaOrderId).OrderBy(record => record.Id));
        return records.FirstOrDefault();
    }

    /// <inheritdoc />
    public virtual async Task InsertAsync(KlarnaOrderRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);

        var now = DateTime.UtcNow;
        if (record.CreatedOnUtc == default)
            record.CreatedOnUtc = now;
        record.UpdatedOnUtc = now;
        await _recordRepository.InsertAsync(record, false);
    }

    /// <inheritdoc />
    public virtual async Task UpdateAsync(KlarnaOrderRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);

        record.UpdatedOnUtc = DateTime.UtcNow;
        await _recordRepository.UpdateAsync(record, false);
    }

    /// <inheritdoc />
    public virtual async Task<IList<KlarnaOperation>> GetOperationsAsync(int orderId)
    {
        return await _operationRepository.GetAllAsync(query => query
            .Where(operation => operation.OrderId == orderId)
            .OrderBy(operation => operation.CreatedOnUtc).ThenBy(operation => operation.Id));
    }

    /// <inheritdoc />
    public virtual async Task<KlarnaOperation> GetOperationByIdempotencyKeyAsync(string key)
    {
        if (string.IsNullOrEmpty(key))
            return null;

        var operations = await _operationRepository.GetAllAsync(query => query.Where(operation => operation.IdempotencyKey == key));
        return operations.FirstOrDefault();
    }

    /// <inheritdoc />
    public virtual async Task InsertOperationAsync(KlarnaOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (string.IsNullOrEmpty(operation.IdempotencyKey))
            throw new ArgumentException("An operation needs its idempotency key before it is recorded", nameof(operation));

        //the unique index is the last guard; this check gives a clear error before it
        if (await GetOperationByIdempotencyKeyAsync(operation.IdempotencyKey) is not null)
            throw new InvalidOperationException($"A Klarna operation with idempotency key {operation.IdempotencyKey} is already recorded");

        var now = DateTime.UtcNow;
        if (operation.CreatedOnUtc == default)
            operation.CreatedOnUtc = now;
        operation.UpdatedOnUtc = now;
        await _operationRepository.InsertAsync(operation, false);
    }

    /// <inheritdoc />
    public virtual async Task UpdateOperationAsync(KlarnaOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);

        operation.UpdatedOnUtc = DateTime.UtcNow;
        await _operationRepository.UpdateAsync(operation, false);
    }

    /// <inheritdoc />
    public virtual async Task<IList<KlarnaOrderRecord>> GetOpenRecordsAsync(int pageIndex, int pageSize)
    {
        var closed = new[] { KlarnaOrderStatus.Cancelled, KlarnaOrderStatus.Expired, KlarnaOrderStatus.Closed };
        var page = await _recordRepository.GetAllPagedAsync(query => query
            //final = CANCELLED, EXPIRED or CLOSED with nothing left to refund (a refund in the Merchant Portal can still come)
            .Where(record => record.SyncRequested || record.KlarnaStatus == null || !closed.Contains(record.KlarnaStatus)
                || record.CapturedAmountMinor > record.RefundedAmountMinor)
            .OrderBy(record => record.Id), pageIndex, pageSize);

        //nopCommerce's IPagedList<T> is an IList<T>
        return page as IList<KlarnaOrderRecord> ?? new List<KlarnaOrderRecord>();
    }

    #endregion
}
