using Nop.Core.Domain.Orders;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// What the order engine tells the admin in an order note. Each code has one locale resource,
/// Plugins.Payments.Klarna.Note.{code}, whose {0}, {1}... are the note's arguments
/// </summary>
public enum KlarnaNoteCode
{
    //the plugin's own writes
    Captured = 1,
    Refunded = 2,
    Cancelled = 3,
    Released = 4,
    Extended = 5,
    ShippingInfoAdded = 6,
    WriteRefused = 7,
    WriteOutcomeUnknown = 8,
    NotDone = 9,
    ReadFailed = 10,

    //settlement of pending operations
    SettledFromKlarna = 20,
    SettledByReplay = 21,
    RefusedOnReplay = 22,
    NeedsAttention = 23,
    NeedsAttentionUnattributed = 24,

    //changes made outside the plugin
    ExternalCapture = 30,
    ExternalRefund = 31,
    ExternalCancel = 32,
    ExternalRelease = 33,

    //Klarna's state
    KlarnaStatusChanged = 40,
    PaymentStatusChanged = 41,
    PaymentStatusFollows = 47,
    FraudStatusChanged = 42,
    FraudStopped = 43,
    FraudRejected = 44,
    AuthorizationExpired = 45,
    OrderStatusMapped = 46,

    //the checkout's record of a placed order
    Authorized = 50,
    AuthorizationExpires = 51,
    MerchantReferenceNotSet = 52,
    NotReadBack = 53
}

/// <summary>
/// Writes the order engine's order notes (hidden from the customer), their text from locale resources (<see cref="KlarnaTexts"/>)
/// </summary>
public class KlarnaOrderNotes
{
    #region Fields

    protected readonly IOrderService _orderService;
    protected readonly KlarnaTexts _texts;

    #endregion

    #region Ctor

    public KlarnaOrderNotes(IOrderService orderService, KlarnaTexts texts)
    {
        _orderService = orderService;
        _texts = texts;
    }

    #endregion

    #region Methods

    /// <summary>
    /// Gets the locale resource of a note code
    /// </summary>
    /// <param name="code">Code</param>
    /// <returns>Resource name</returns>
    public static string ResourceKeyOf(KlarnaNoteCode code) => KlarnaDefaults.Locale.Note + code;

    /// <summary>
    /// Adds one note made of several parts (a change at Klarna and its consequences are told in the same note)
    /// </summary>
    /// <param name="orderId">Order identifier</param>
    /// <param name="parts">The parts, in order</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    public virtual async Task AddAsync(int orderId, IReadOnlyList<(KlarnaNoteCode Code, object[] Args)> parts)
    {
        if (parts is null || parts.Count == 0)
            return;

        var texts = new List<string>();
        foreach (var (code, args) in parts)
            texts.Add(await _texts.FormatAsync(ResourceKeyOf(code), args));

        await _orderService.InsertOrderNoteAsync(new OrderNote
        {
            OrderId = orderId,
            Note = string.Join(" ", texts),
            DisplayToCustomer = false,
            CreatedOnUtc = DateTime.UtcNow
        });
    }

    /// <summary>
    /// Adds a note to an order
    /// </summary>
    /// <param name="orderId">Order identifier</param>
    /// <param name="code">What happened</param>
    /// <param name="args">Its arguments (amounts as <see cref="KlarnaMoney"/>)</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    public virtual Task AddAsync(int orderId, KlarnaNoteCode code, params object[] args) =>
        AddAsync(orderId, new List<(KlarnaNoteCode, object[])> { (code, args) });

    #endregion
}
