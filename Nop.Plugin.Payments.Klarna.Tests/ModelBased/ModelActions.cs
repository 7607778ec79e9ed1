using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Newtonsoft.Json;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Shipping;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Responses;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Reliability;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased;

/// <summary>
/// Carries out the actions of a sequence the way they happen in a shop: admin clicks through the real admin controller
/// (one idempotency key per modal), nopCommerce's own buttons around the payment method's operations, nopCommerce's events
/// to the plugin's event consumer, the status sync, the order block, Klarna's notifications through the real public
/// controller, and the Merchant Portal, the fraud review, expiry and the clock in the sandbox
/// </summary>
public static class ModelActions
{
    /// <summary>
    /// Runs one step: its fault injected, its actions (at once when there are several), its fault cleared
    /// </summary>
    public static async Task RunStepAsync(ModelWorld world, ModelStep step)
    {
        world.InjectFault(step);
        if (step.Actions.Length == 1)
            await RunAsync(world, step.Actions[0]);
        else
            await Task.WhenAll(step.Actions.Select(action => Task.Run(() => RunAsync(world, action))));
        world.Sandbox.State.ClearFaults();
    }

    /// <summary>
    /// Runs one action; an exception out of the plugin is a violation
    /// </summary>
    public static async Task RunAsync(ModelWorld world, ModelAction action)
    {
        try
        {
            await RunActionAsync(world, action, world.OrderAt(action.Order));
        }
        catch (Exception exception)
        {
            world.Violations.Enqueue($"'{action}' threw {exception.GetType().Name}: {exception.Message}");
        }
    }

    private static TestableOrderAdminController OrderController(ModelWorld world) =>
        new(world.Harness.Executor, world.Admin.OrderDetailsFactory, world.Harness.MoneyFormatter, world.Harness.OrderService.Object, world.Harness.Texts,
            world.Admin.WorkContext.Object)
        {
            ControllerContext = new ControllerContext { HttpContext = new DefaultHttpContext() }
        };

    private static KlarnaActionRequestModel Request(ModelOrder order, ModelAction action, string key, string unsettled) => new()
    {
        OrderId = order.Order.Id,
        Mode = action.Mode switch { ModelMoneyMode.Lines => "lines", ModelMoneyMode.Amount => "amount", _ => "full" },
        Amount = action.Mode == ModelMoneyMode.Amount ? (action.Amount / 100m).ToString("0.00", CultureInfo.InvariantCulture) : null,
        LinesJson = action.Mode == ModelMoneyMode.Lines
            ? JsonConvert.SerializeObject((action.Lines ?? Array.Empty<(string, int)>()).Select(line => new { reference = line.Reference, quantity = line.Quantity }))
            : null,
        IdempotencyKey = key,
        Unsettled = unsettled
    };

    /// <summary>
    /// The operations the order block shows without an outcome right now, as the block's script posts them with a click
    /// </summary>
    private static string UnsettledShown(ModelWorld world, ModelOrder order) =>
        string.Join(",", world.Harness.OperationTable.Rows.Where(op => op.OrderId == order.Order.Id && KlarnaOperationFamilies.IsUnsettled(op)).Select(op => op.Id));

    /// <summary>
    /// An admin click through the controller; returns whether the admin saw a success
    /// </summary>
    private static async Task<bool> ClickAsync(ModelWorld world, ModelOrder order, ModelAction action, string key, string unsettled)
    {
        var controller = OrderController(world);
        var request = Request(order, action, key, unsettled);
        var result = action.Kind switch
        {
            ModelActionKind.AdminCapture => await controller.Capture(request),
            ModelActionKind.AdminRefund => await controller.Refund(request),
            ModelActionKind.AdminCancel => await controller.Cancel(request),
            _ => await controller.Release(request)
        };
        return ReliabilityAdmin.Read(result).Status == StatusCodes.Status200OK;
    }

    private static async Task AdminAsync(ModelWorld world, ModelOrder order, ModelAction action)
    {
        var key = Guid.NewGuid().ToString();
        var intent = new List<string> { key };
        lock (world.Intents)
            world.Intents.Add(intent);
        var unsettled = UnsettledShown(world, order);
        order.LastClick = new ModelClick(action, key, intent, unsettled);
        await ClickAsync(world, order, action, key, unsettled);
    }

    private static async Task RepeatAsync(ModelWorld world, ModelOrder order, bool newModal)
    {
        if (order.LastClick is not { } last)
            return;

        if (!newModal)
        {
            await ClickAsync(world, order, last.Action, last.Key, last.Unsettled);
            return;
        }

        //a new modal for the same intent while the earlier click is still unsettled in the records (the block shows it so):
        //Klarna must not execute both; once it is settled, a new modal is a new intent
        var unsettled = UnsettledShown(world, order);
        var earlier = world.Harness.OperationTable.Rows.FirstOrDefault(op => op.IdempotencyKey == last.Key);
        var key = Guid.NewGuid().ToString();
        var intent = earlier is not null && KlarnaOperationFamilies.IsUnsettled(earlier) ? last.Intent : new List<string>();
        lock (world.Intents)
        {
            intent.Add(key);
            if (intent.Count == 1)
                world.Intents.Add(intent);
        }
        order.LastClick = new ModelClick(last.Action, key, intent, unsettled);
        await ClickAsync(world, order, last.Action, key, unsettled);
    }

    private static async Task ShipAsync(ModelWorld world, ModelOrder order, ModelAction action)
    {
        var items = (action.Lines ?? Array.Empty<(string, int)>())
            .Where(line => order.Items.ContainsKey(line.Reference))
            .Select(line => (order.Items[line.Reference], Math.Min(line.Quantity, order.Items[line.Reference].Quantity)))
            .ToArray();
        //every second shipment leaves with its tracking number, the others get it later (AddTracking)
        var number = order.Shipments.Count + 1;
        var shipment = world.Harness.AddShipment(order.Order, number % 2 == 0 ? $"00340434{order.Order.Id}{number:D3}" : null, true, items);
        order.Shipments.Add(shipment);
        await world.Harness.Consumer.HandleEventAsync(NopEvents.ShipmentSent(shipment));
    }

    private static async Task AddTrackingAsync(ModelWorld world, ModelOrder order)
    {
        if (order.Shipments.LastOrDefault(s => string.IsNullOrEmpty(s.TrackingNumber)) is not { } shipment)
            return;

        shipment.TrackingNumber = $"00340435{order.Order.Id}{shipment.Id}";
        await world.Harness.Consumer.HandleEventAsync(NopEvents.TrackingNumberSet(shipment));
    }

    private static async Task StatusToCompleteAsync(ModelWorld world, ModelOrder order)
    {
        var previous = (OrderStatus)order.Order.OrderStatusId;
        if (previous == OrderStatus.Complete)
            return;

        order.Order.OrderStatusId = (int)OrderStatus.Complete;
        await world.Harness.Consumer.HandleEventAsync(NopEvents.OrderStatusChanged(order.Order, previous));
    }

    /// <summary>
    /// Delivers a notification as Klarna does: sent again (here up to three times) until it is answered 200
    /// </summary>
    private static async Task NotifyAsync(ModelWorld world, ModelOrder order, string eventType)
    {
        var body = $"{{\"order_id\":\"{order.KlarnaOrderId}\",\"event_type\":\"{eventType}\"}}";
        order.LastNotification = eventType;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (ReliabilityAdmin.Read(await world.Admin.NotificationController(body).Notification(ModelWorld.NotificationSecret)).Status == StatusCodes.Status200OK)
                return;
        }
    }

    private static async Task FraudDecisionAsync(ModelWorld world, ModelOrder order, string decision)
    {
        //Klarna decides once out of PENDING; a stop request may hit any order
        if (world.Sandbox.State.GetOrder(order.KlarnaOrderId)?.FraudStatus != KlarnaFraudStatus.Pending && decision != KlarnaFraudStatus.Stopped)
            return;

        await PostAsync(world, $"_sandbox/orders/{order.KlarnaOrderId}/fraud-decision", $"{{\"fraud_status\":\"{decision}\",\"notify\":false}}");
        await NotifyAsync(world, order, $"FRAUD_RISK_{decision}");
    }

    private static async Task PostAsync(ModelWorld world, string path, string json)
    {
        using var response = await world.Control.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        await response.Content.ReadAsStringAsync();
    }

    private static async Task RunActionAsync(ModelWorld world, ModelAction action, ModelOrder order)
    {
        var nop = world.Harness.NopOperations;
        var portal = $"_sandbox/orders/{order.KlarnaOrderId}/portal";
        switch (action.Kind)
        {
            case ModelActionKind.AdminCapture or ModelActionKind.AdminRefund or ModelActionKind.AdminCancel or ModelActionKind.AdminRelease:
                await AdminAsync(world, order, action);
                break;
            case ModelActionKind.AdminRepeat or ModelActionKind.AdminReclick:
                await RepeatAsync(world, order, action.Kind == ModelActionKind.AdminReclick);
                break;
            case ModelActionKind.NopCapture:
                await NopOrderProcessing.CaptureAsync(nop.CaptureAsync, order.Order);
                break;
            case ModelActionKind.NopRefund:
                await NopOrderProcessing.RefundAsync(nop.RefundAsync, order.Order);
                break;
            case ModelActionKind.NopPartialRefund:
                if (NopOrderProcessing.CanPartiallyRefund(order.Order, KlarnaAmount.FromMinor(action.Amount, "EUR")))
                    await NopOrderProcessing.PartiallyRefundAsync(nop.RefundAsync, order.Order, KlarnaAmount.FromMinor(action.Amount, "EUR"));
                break;
            case ModelActionKind.NopVoid:
                await NopOrderProcessing.VoidAsync(nop.VoidAsync, order.Order);
                break;
            case ModelActionKind.ShipmentSent:
                await ShipAsync(world, order, action);
                break;
            case ModelActionKind.AddTracking:
                await AddTrackingAsync(world, order);
                break;
            case ModelActionKind.StatusToComplete:
                await StatusToCompleteAsync(world, order);
                break;
            case ModelActionKind.SyncRun:
                await world.Harness.SyncProcessor.SyncOrderAsync(order.Order.Id);
                break;
            case ModelActionKind.BlockRead:
                await world.Admin.OrderDetailsFactory.PrepareOrderDetailsModelAsync(order.Order);
                break;
            case ModelActionKind.PortalCapture:
                await PostAsync(world, $"{portal}/capture", $"{{\"captured_amount\":{action.Amount}}}");
                break;
            case ModelActionKind.PortalRefund:
                await PostAsync(world, $"{portal}/refund", $"{{\"refunded_amount\":{action.Amount}}}");
                break;
            case ModelActionKind.PortalCancel:
                await PostAsync(world, $"{portal}/cancel", "{}");
                break;
            case ModelActionKind.PortalRelease:
                await PostAsync(world, $"{portal}/release", "{}");
                break;
            case ModelActionKind.FraudDecision:
                await FraudDecisionAsync(world, order, action.Fraud);
                break;
            case ModelActionKind.NotificationRepeat:
                if (order.LastNotification is not null)
                    await NotifyAsync(world, order, order.LastNotification);
                break;
            case ModelActionKind.NotificationStale:
                await NotifyAsync(world, order, $"FRAUD_RISK_{action.Fraud}");
                break;
            case ModelActionKind.Expire:
                await PostAsync(world, $"_sandbox/orders/{order.KlarnaOrderId}/expire", "{}");
                break;
            case ModelActionKind.ClockPast24Hours:
                //a day cannot pass while a request of a few hundred milliseconds is in flight: a delayed write lands first
                //(else it would reach Klarna after its key's 24-hour replay window and be executed a second time)
                await world.WaitQuietAsync();
                var by = TimeSpan.FromMinutes(24 * 60 + 1);
                world.Sandbox.State.AdvanceClock(by);
                world.Harness.Time.Advance(by);
                world.ClockMoved = true;
                break;
            case ModelActionKind.Wait:
                await Task.Delay(action.Ms);
                break;
        }
    }
}
