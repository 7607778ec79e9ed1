using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Services.Records;

/// <summary>
/// The plugin's records of Klarna orders and operations (uncached: they change with every operation)
/// </summary>
public interface IKlarnaOrderRecordService
{
    /// <summary>
    /// Gets the record of a nopCommerce order
    /// </summary>
    /// <param name="orderId">nopCommerce order identifier</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the record or null</returns>
    Task<KlarnaOrderRecord> GetByOrderIdAsync(int orderId);

    /// <summary>
    /// Gets the record of a Klarna order
    /// </summary>
    /// <param name="klarnaOrderId">Klarna's order id</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the record or null</returns>
    Task<KlarnaOrderRecord> GetByKlarnaOrderIdAsync(string klarnaOrderId);

    /// <summary>
    /// Inserts a record
    /// </summary>
    /// <param name="record">Record</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task InsertAsync(KlarnaOrderRecord record);

    /// <summary>
    /// Updates a record
    /// </summary>
    /// <param name="record">Record</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task UpdateAsync(KlarnaOrderRecord record);

    /// <summary>
    /// Gets the operations of an order, oldest first
    /// </summary>
    /// <param name="orderId">nopCommerce order identifier</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the operations</returns>
    Task<IList<KlarnaOperation>> GetOperationsAsync(int orderId);

    /// <summary>
    /// Gets an operation by its idempotency key
    /// </summary>
    /// <param name="key">Idempotency key</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the operation or null</returns>
    Task<KlarnaOperation> GetOperationByIdempotencyKeyAsync(string key);

    /// <summary>
    /// Inserts an operation
    /// </summary>
    /// <param name="operation">Operation</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task InsertOperationAsync(KlarnaOperation operation);

    /// <summary>
    /// Updates an operation
    /// </summary>
    /// <param name="operation">Operation</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task UpdateOperationAsync(KlarnaOperation operation);

    /// <summary>
    /// Gets the records of orders that may still change (not cancelled, expired or closed, or marked for a sync)
    /// </summary>
    /// <param name="pageIndex">Page index</param>
    /// <param name="pageSize">Page size</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the records</returns>
    Task<IList<KlarnaOrderRecord>> GetOpenRecordsAsync(int pageIndex, int pageSize);

    /// <summary>
    /// Gets the records of several orders with one read (bulk work such as the status sync: no read per order)
    /// </summary>
    /// <param name="orderIds">nopCommerce order identifiers</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the records found (any order)</returns>
    async Task<IList<KlarnaOrderRecord>> GetByOrderIdsAsync(IList<int> orderIds)
    {
        //fallback for implementations without a bulk read
        var records = new List<KlarnaOrderRecord>();
        foreach (var orderId in orderIds ?? new List<int>())
        {
            if (await GetByOrderIdAsync(orderId) is { } record)
                records.Add(record);
        }

        return records;
    }
}
