using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Why the plugin does not (or cannot) do what was asked. Each code has one locale resource,
/// Plugins.Payments.Klarna.Refusal.{code} (<see cref="KlarnaRefusal.ResourceKey"/>), whose {0}, {1}... are the refusal's arguments
/// </summary>
public enum KlarnaRefusalCode
{
    //the order and the engine
    NotKlarnaOrder = 1,
    NoCredentials = 2,
    KlarnaUnreadable = 3,
    OrderBusy = 4,
    LockTimeTooShort = 5,
    OperationPending = 6,
    EarlierOperationCompleted = 7,
    IdempotencyKeyInUse = 8,
    CurrencyMismatch = 9,
    OrderChanged = 10,
    Unexpected = 11,

    //capture
    NothingToCapture = 20,
    CaptureNotAllowed = 21,
    FraudPending = 22,
    FraudRejected = 23,
    FraudStopped = 24,
    AuthorizationExpired = 25,
    CaptureAmountTooHigh = 26,

    //input of a capture or refund
    AmountNotPositive = 30,
    LinesAndAmount = 31,
    UnknownLine = 32,
    LineQuantityNotPositive = 33,
    LineQuantityTooHigh = 34,
    LinesAddUpToNothing = 35,

    //refund
    NothingCaptured = 40,
    NothingToRefund = 41,
    RefundNotAllowed = 42,
    RefundAmountTooHigh = 43,

    //cancel, release, extension
    AlreadyCancelled = 50,
    CancelNotAllowedAfterCapture = 51,
    CancelNotAllowed = 52,
    ReleaseWithoutCapture = 53,
    NothingToRelease = 54,
    ExtendNotAllowed = 55,
    ExtendTooLate = 56,

    //shipments
    ShipmentNotInOrder = 60,
    ShipmentAlreadyCaptured = 61,
    ShipmentLinesUnmatched = 62,
    NothingInShipment = 63,
    NoCaptureForShipment = 64,
    NoTrackingNumber = 65,
    TrackingAlreadySent = 66,

    //why a line is left out of the capture or refund modal
    LineFullyCaptured = 70,
    LineNotCaptured = 71,
    LineFullyRefunded = 72,
    LineExceedsRemaining = 73,
    LineExceedsRefundable = 74,
    LineLimitedByRemaining = 75,
    LineLimitedByRefundable = 76,

    //an amount typed by the admin (read in the admin's working culture)
    AmountRequired = 80,
    AmountMalformed = 81,
    AmountTooManyDecimals = 82,
    AmountAmbiguous = 83,

    //a request of the order block or the Configure page
    VendorNotAllowed = 90,
    OrderNotFound = 91,
    IdempotencyKeyInvalid = 92,
    DescriptionTooLong = 93,
    ModeUnknown = 94,
    NoLinesSelected = 95,
    RecurringNotSupported = 96,
    ConnectionRegionInvalid = 97,
    ConnectionCredentialsMissing = 98,
    ConnectionUrlInvalid = 99,
    ConnectionRefused = 100,
    ConnectionPasswordRequired = 101,
    ConnectionUrlNotForProduction = 102
}

/// <summary>
/// How the admin side answers a refusal
/// </summary>
public enum KlarnaRefusalKind
{
    /// <summary>
    /// The request is wrong whatever happens at Klarna (HTTP 400)
    /// </summary>
    Invalid = 1,

    /// <summary>
    /// The order's state does not allow it now (HTTP 409)
    /// </summary>
    Conflict = 2,

    /// <summary>
    /// There is nothing to do (an automatic trigger leaves no note for it)
    /// </summary>
    NothingToDo = 3
}

/// <summary>
/// An amount in minor units of a currency, as an argument of a refusal or a note (formatted with nopCommerce's price formatter)
/// </summary>
/// <param name="Minor">Amount in minor units</param>
/// <param name="CurrencyCode">Currency (ISO 4217)</param>
public readonly record struct KlarnaMoney(long Minor, string CurrencyCode);

/// <summary>
/// A typed refusal: a code and its arguments (amounts as <see cref="KlarnaMoney"/>, dates as UTC <see cref="DateTime"/>,
/// operation kinds as enums); no text is built where the refusal is made
/// </summary>
public sealed class KlarnaRefusal
{
    #region Ctor

    public KlarnaRefusal(KlarnaRefusalCode code, params object[] args)
    {
        Code = code;
        Args = args ?? Array.Empty<object>();
    }

    #endregion

    #region Properties

    /// <summary>
    /// Gets the code
    /// </summary>
    public KlarnaRefusalCode Code { get; }

    /// <summary>
    /// Gets the arguments of the text
    /// </summary>
    public IReadOnlyList<object> Args { get; }

    /// <summary>
    /// Gets how the admin side answers it
    /// </summary>
    public KlarnaRefusalKind Kind => KindOf(Code);

    /// <summary>
    /// Gets a value indicating whether there was simply nothing to do
    /// </summary>
    public bool IsNothingToDo => Kind == KlarnaRefusalKind.NothingToDo;

    /// <summary>
    /// Gets the locale resource of the text
    /// </summary>
    public string ResourceKey => ResourceKeyOf(Code);

    #endregion

    #region Methods

    /// <summary>
    /// Gets the locale resource of a refusal code: the one place codes become resources
    /// </summary>
    /// <param name="code">Code</param>
    /// <returns>Resource name</returns>
    public static string ResourceKeyOf(KlarnaRefusalCode code) => KlarnaDefaults.Locale.Refusal + code;

    /// <summary>
    /// Gets how the admin side answers a refusal code
    /// </summary>
    /// <param name="code">Code</param>
    /// <returns>Kind</returns>
    public static KlarnaRefusalKind KindOf(KlarnaRefusalCode code) => code switch
    {
        KlarnaRefusalCode.NothingToCapture or KlarnaRefusalCode.NothingToRefund or KlarnaRefusalCode.AlreadyCancelled
            or KlarnaRefusalCode.NothingToRelease or KlarnaRefusalCode.ShipmentAlreadyCaptured or KlarnaRefusalCode.NothingInShipment
            or KlarnaRefusalCode.NoCaptureForShipment or KlarnaRefusalCode.NoTrackingNumber or KlarnaRefusalCode.TrackingAlreadySent
            => KlarnaRefusalKind.NothingToDo,
        KlarnaRefusalCode.NotKlarnaOrder or KlarnaRefusalCode.IdempotencyKeyInUse or KlarnaRefusalCode.CurrencyMismatch
            or KlarnaRefusalCode.AmountNotPositive or KlarnaRefusalCode.LinesAndAmount or KlarnaRefusalCode.UnknownLine
            or KlarnaRefusalCode.LineQuantityNotPositive or KlarnaRefusalCode.LineQuantityTooHigh or KlarnaRefusalCode.LinesAddUpToNothing
            or KlarnaRefusalCode.CaptureAmountTooHigh or KlarnaRefusalCode.RefundAmountTooHigh or KlarnaRefusalCode.ShipmentNotInOrder
            or KlarnaRefusalCode.AmountRequired or KlarnaRefusalCode.AmountMalformed or KlarnaRefusalCode.AmountTooManyDecimals
            or KlarnaRefusalCode.AmountAmbiguous or KlarnaRefusalCode.IdempotencyKeyInvalid or KlarnaRefusalCode.DescriptionTooLong
            or KlarnaRefusalCode.ModeUnknown or KlarnaRefusalCode.NoLinesSelected or KlarnaRefusalCode.ConnectionRegionInvalid
            or KlarnaRefusalCode.ConnectionCredentialsMissing or KlarnaRefusalCode.ConnectionUrlInvalid
            or KlarnaRefusalCode.ConnectionPasswordRequired or KlarnaRefusalCode.ConnectionUrlNotForProduction
            => KlarnaRefusalKind.Invalid,
        _ => KlarnaRefusalKind.Conflict
    };

    /// <summary>
    /// Gets the refusal that stopped an operation before it was sent (recorded as failed with the refusal's code, the
    /// engine's own codes being never one of Klarna's UPPER_SNAKE error codes), or null for any other operation
    /// </summary>
    /// <param name="operation">Operation</param>
    /// <returns>The refusal, or null</returns>
    public static KlarnaRefusal OfUnsent(KlarnaOperation operation) =>
        operation?.Status == KlarnaOperationStatus.Failed && operation.ErrorCode is KlarnaUnsentCodes.LockTimeTooShort or KlarnaUnsentCodes.OrderChanged
            ? new KlarnaRefusal(Enum.Parse<KlarnaRefusalCode>(operation.ErrorCode))
            : null;

    /// <inheritdoc />
    public override string ToString() => Args.Count == 0 ? Code.ToString() : $"{Code}({string.Join(", ", Args)})";

    #endregion
}

/// <summary>
/// The refusal codes an operation is recorded with when it was stopped before it was sent
/// </summary>
public static class KlarnaUnsentCodes
{
    public const string LockTimeTooShort = nameof(KlarnaRefusalCode.LockTimeTooShort);

    public const string OrderChanged = nameof(KlarnaRefusalCode.OrderChanged);
}
