using CsCheck;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased;

/// <summary>
/// CsCheck generators of model sequences: a shop set-up, then 2 to 10 steps of one action or 2 to 4 actors at once, each
/// step with a fault drawn for its requests about a third of the time. Smaller sequences have smaller sizes, so a failure
/// shrinks to a short sequence
/// </summary>
public static class ModelGenerators
{
    /// <summary>
    /// The lines of each line set: reference, quantity, unit price, discount (minor units), shipping fee or not
    /// </summary>
    public static readonly (string Reference, int Quantity, long UnitPrice, long Discount, bool Shipping)[][] LineSets =
    [
        [("SKU-SHIRT", 2, 2500, 0, false), ("SKU-MUG", 3, 1000, 300, false), ("SHIPPING", 1, 490, 0, true)],
        [("SKU-BOOK", 1, 3999, 0, false)]
    ];

    private static readonly long[] _amounts = [100, 1234, 2500, 3999, 5000, 8190, 9000];

    private static Gen<ModelOrderSpec> OrderSpec { get; } =
        Gen.Select(Gen.Frequency((4, Gen.Const(0)), (1, Gen.Const(1))), Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true))),
            (lineSet, fraudPending) => new ModelOrderSpec(lineSet, fraudPending));

    public static Gen<ModelConfig> Config { get; } =
        from locker in Gen.OneOfConst(ModelLocker.Expiring, ModelLocker.Refusing)
        from retries in Gen.OneOfConst(0, 2)
        from lag in Gen.Frequency((3, Gen.Const(0)), (1, Gen.Const(40)))
        from mode in Gen.Frequency((2, Gen.Const(KlarnaCaptureUponFulfillmentMode.Off)), (1, Gen.Const(KlarnaCaptureUponFulfillmentMode.OnOrderStatus)),
            (1, Gen.Const(KlarnaCaptureUponFulfillmentMode.PerShipment)))
        from count in Gen.Frequency((3, Gen.Const(1)), (1, Gen.Const(2)))
        from orders in OrderSpec.Array[count, count]
        select new ModelConfig(locker, retries, lag, mode, orders);

    private static Gen<(string, int)[]> Lines(ModelOrderSpec order)
    {
        var lines = LineSets[order.LineSet];
        return Gen.Select(Gen.Int[1, (1 << lines.Length) - 1], Gen.Int[1, 3], (mask, quantity) => lines
            .Where((_, index) => (mask & (1 << index)) != 0)
            .Select(line => (line.Reference, Math.Min(line.Quantity, quantity)))
            .ToArray());
    }

    private static Gen<ModelAction> Money(ModelActionKind kind, int order, ModelOrderSpec spec) =>
        Gen.Frequency(
            (2, Gen.Const(new ModelAction(kind, order))),
            (2, Lines(spec).Select(lines => new ModelAction(kind, order, ModelMoneyMode.Lines, Lines: lines))),
            (3, Gen.OneOfConst(_amounts).Select(amount => new ModelAction(kind, order, ModelMoneyMode.Amount, amount))));

    private static Gen<ModelAction> Simple(ModelActionKind kind, int order) => Gen.Const(new ModelAction(kind, order));

    /// <summary>
    /// An action on one order; <paramref name="concurrent"/>: one of a group of actors
    /// </summary>
    public static Gen<ModelAction> Action(ModelConfig config, int order, bool concurrent)
    {
        var spec = config.Orders[order];
        var choices = new List<(int, IGen<ModelAction>)>
        {
            (14, Money(ModelActionKind.AdminCapture, order, spec)),
            (9, Money(ModelActionKind.AdminRefund, order, spec)),
            (4, Simple(ModelActionKind.AdminCancel, order)),
            (3, Simple(ModelActionKind.AdminRelease, order)),
            (4, Simple(ModelActionKind.AdminRepeat, order)),
            (4, Simple(ModelActionKind.NopCapture, order)),
            (2, Simple(ModelActionKind.NopRefund, order)),
            (3, Gen.OneOfConst(_amounts).Select(amount => new ModelAction(ModelActionKind.NopPartialRefund, order, ModelMoneyMode.Amount, amount))),
            (3, Simple(ModelActionKind.NopVoid, order)),
            (3, Simple(ModelActionKind.StatusToComplete, order)),
            (8, Simple(ModelActionKind.SyncRun, order)),
            (7, Simple(ModelActionKind.BlockRead, order)),
            (3, Gen.OneOfConst(_amounts).Select(amount => new ModelAction(ModelActionKind.PortalCapture, order, ModelMoneyMode.Amount, amount))),
            (2, Gen.OneOfConst(_amounts).Select(amount => new ModelAction(ModelActionKind.PortalRefund, order, ModelMoneyMode.Amount, amount))),
            (1, Simple(ModelActionKind.PortalCancel, order)),
            (1, Simple(ModelActionKind.PortalRelease, order)),
            (3, Gen.OneOfConst("ACCEPTED", "REJECTED", "STOPPED").Select(fraud => new ModelAction(ModelActionKind.FraudDecision, order, Fraud: fraud))),
            (1, Simple(ModelActionKind.NotificationRepeat, order)),
            (1, Gen.OneOfConst("ACCEPTED", "REJECTED", "STOPPED").Select(fraud => new ModelAction(ModelActionKind.NotificationStale, order, Fraud: fraud))),
            (1, Simple(ModelActionKind.Expire, order))
        };
        //one actor at a time: new modals, shipments (nopCommerce's shipment lists), the clock, waiting
        if (!concurrent)
        {
            choices.Add((4, Lines(spec).Select(lines => new ModelAction(ModelActionKind.ShipmentSent, order, ModelMoneyMode.Lines, Lines: lines))));
            choices.Add((3, Simple(ModelActionKind.AddTracking, order)));
            choices.Add((4, Simple(ModelActionKind.AdminReclick, order)));
            choices.Add((2, Simple(ModelActionKind.ClockPast24Hours, order)));
            choices.Add((3, Gen.OneOfConst(50, 200, 600).Select(ms => new ModelAction(ModelActionKind.Wait, order, Ms: ms))));
        }

        return Gen.Frequency(choices.ToArray());
    }

    public static Gen<ModelFault> Fault { get; } =
        from target in Gen.Frequency((12, Gen.Const(ModelFaultTarget.Write)), (5, Gen.Const(ModelFaultTarget.Read)), (3, Gen.Const(ModelFaultTarget.Any)))
        from kind in Gen.Enum<ModelFaultKind>()
        from times in Gen.Frequency((6, Gen.Const(1)), (1, Gen.Const(2)))
        from extra in Gen.Int[80, 400]
        from retryAfter in Gen.OneOfConst(0, 1)
        select new ModelFault(target, kind, times, extra, retryAfter);

    private static Gen<ModelStep> Step(ModelConfig config)
    {
        var orderIndex = Gen.Int[0, config.Orders.Length - 1];
        var single = from order in orderIndex from action in Action(config, order, false) select new[] { action };
        var several =
            from order in orderIndex
            from actors in Gen.Int[2, 4]
            from actions in (from other in Gen.Frequency((3, Gen.Const(order)), (1, orderIndex)) from action in Action(config, other, true) select action).Array[actors, actors]
            select actions;

        return from actions in Gen.Frequency((3, single), (1, several))
               from fault in Gen.Frequency((2, Gen.Const((ModelFault)null)), (1, Fault))
               select new ModelStep(actions, fault);
    }

    /// <summary>
    /// Whole sequences
    /// </summary>
    public static Gen<ModelSequence> Sequence { get; } =
        from config in Config
        from steps in Step(config).Array[2, 10]
        select new ModelSequence(config, steps);
}
