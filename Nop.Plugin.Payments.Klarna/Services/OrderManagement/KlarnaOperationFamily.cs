using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Operations that must not run side by side on one order: while one of a family is unsettled, no other of that family starts
/// </summary>
public enum KlarnaOperationFamily
{
    /// <summary>
    /// Not serialized (the authorization recorded at checkout)
    /// </summary>
    None = 0,

    /// <summary>
    /// What uses up the authorization: capture, cancel, release
    /// </summary>
    Authorization = 1,

    /// <summary>
    /// Refunds
    /// </summary>
    Refund = 2,

    /// <summary>
    /// Extensions of the authorization time
    /// </summary>
    Extension = 3,

    /// <summary>
    /// Shipping info added to a capture
    /// </summary>
    ShippingInfo = 4
}

/// <summary>
/// Maps operation kinds to their family
/// </summary>
public static class KlarnaOperationFamilies
{
    /// <summary>
    /// Gets the family of an operation kind
    /// </summary>
    /// <param name="kind">Kind</param>
    /// <returns>Family</returns>
    public static KlarnaOperationFamily Of(KlarnaOperationKind kind) => kind switch
    {
        KlarnaOperationKind.Capture or KlarnaOperationKind.Cancel or KlarnaOperationKind.Release => KlarnaOperationFamily.Authorization,
        KlarnaOperationKind.Refund => KlarnaOperationFamily.Refund,
        KlarnaOperationKind.ExtendAuthorization => KlarnaOperationFamily.Extension,
        KlarnaOperationKind.ShippingInfo => KlarnaOperationFamily.ShippingInfo,
        _ => KlarnaOperationFamily.None
    };

    /// <summary>
    /// Gets a value indicating whether an operation is not settled yet (pending, or waiting for a person)
    /// </summary>
    /// <param name="operation">Operation</param>
    /// <returns>True when unsettled</returns>
    public static bool IsUnsettled(KlarnaOperation operation) =>
        operation.Status is KlarnaOperationStatus.Pending or KlarnaOperationStatus.NeedsAttention;
}
