using Nop.Core.Domain.Orders;
using Nop.Services.Events;

namespace Nop.Plugin.Payments.Klarna.Services;

/// <summary>
/// Records a Klarna order as soon as nopCommerce saved it (OrderPlacedEvent), so the record exists even when the
/// checkout does not reach PostProcessPayment
/// </summary>
public class KlarnaCheckoutEventConsumer : IConsumer<OrderPlacedEvent>
{
    #region Fields

    protected readonly KlarnaCheckoutService _checkoutService;

    #endregion

    #region Ctor

    public KlarnaCheckoutEventConsumer(KlarnaCheckoutService checkoutService)
    {
        _checkoutService = checkoutService;
    }

    #endregion

    #region Methods

    /// <summary>
    /// Handle the order placed event
    /// </summary>
    /// <param name="eventMessage">Event message</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    public async Task HandleEventAsync(OrderPlacedEvent eventMessage)
    {
        if (eventMessage?.Order is Order order && string.Equals(order.PaymentMethodSystemName, KlarnaDefaults.SystemName, StringComparison.OrdinalIgnoreCase))
            await _checkoutService.RecordPlacedOrderAsync(order);
    }

    #endregion
}
