using Nop.Core.Domain.Orders;
using Nop.Core.Events;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Configuration;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// The real status service; the event it returns gets its Order the way nopCommerce's constructor sets it (the reference
/// assemblies the tests build against have no behaviour)
/// </summary>
public sealed class TestOrderStatusService : KlarnaOrderStatusService
{
    public TestOrderStatusService(IEventPublisher eventPublisher, KlarnaOrderNotes notes, IKlarnaOrderRecordService recordService,
        IOrderService orderService, ISettingService settingService)
        : base(eventPublisher, notes, recordService, orderService, settingService)
    {
    }

    public override async Task<KlarnaOrderStatusMappedEvent> SetStatusAsync(Order order, KlarnaStatusChange change)
    {
        var mapped = await base.SetStatusAsync(order, change);
        if (mapped is not null)
        {
            NopEvents.Fill<OrderStatusChangedEvent>(mapped, nameof(OrderStatusChangedEvent.Order), order);
            mapped.PreviousOrderStatus = change.PreviousStatus;
        }

        return mapped;
    }
}
