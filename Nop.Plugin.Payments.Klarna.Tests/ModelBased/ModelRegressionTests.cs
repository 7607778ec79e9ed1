using Nop.Plugin.Payments.Klarna.Domain;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased;

/// <summary>
/// Sequences the model-based suite once found breaking a rule, written down so that each runs on every test run (several
/// times: they depend on timing) and must keep every invariant
/// </summary>
[TestFixture]
[Category("ModelBased")]
[NonParallelizable]
public class ModelRegressionTests
{
    private const int Repeats = 6;

    private static readonly ModelOrderSpec Shirts = new(0, false);

    private static ModelStep Step(ModelAction action, ModelFault fault = null) => new(new[] { action }, fault);

    private static ModelStep AtOnce(ModelFault fault, params ModelAction[] actions) => new(actions, fault);

    private static async Task AssertKeepsEveryInvariantAsync(ModelSequence sequence)
    {
        await using var suite = new ModelSuite();
        var runner = new ModelRunner(suite);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Repeats).Select(_ => Task.Run(() => runner.RunAsync(sequence))));

        var broken = outcomes.FirstOrDefault(outcome => outcome.Violations.Count > 0);
        Assert.That(broken, Is.Null, broken?.Describe());
        Assert.That(runner.Sequences, Is.EqualTo(Repeats));
    }

    [Test]
    public Task A_cancel_answered_500_is_settled_by_its_replay_and_a_lagging_read_right_after_does_not_undo_it() =>
        AssertKeepsEveryInvariantAsync(new ModelSequence(
            new ModelConfig(ModelLocker.Expiring, 0, 40, KlarnaCaptureUponFulfillmentMode.Off, new[] { Shirts, Shirts }),
            new[]
            {
                Step(new ModelAction(ModelActionKind.AdminCancel, 1), new ModelFault(ModelFaultTarget.Write, ModelFaultKind.Status500, 1, 0, 0))
            }));

    [Test]
    public Task A_capture_and_a_void_at_once_with_503_then_a_release_send_every_write_under_the_senders_own_lock() =>
        AssertKeepsEveryInvariantAsync(new ModelSequence(
            new ModelConfig(ModelLocker.Expiring, 0, 0, KlarnaCaptureUponFulfillmentMode.Off, new[] { Shirts }),
            new[]
            {
                AtOnce(new ModelFault(ModelFaultTarget.Write, ModelFaultKind.Status503, 1, 0, 0),
                    new ModelAction(ModelActionKind.AdminCapture, 0, ModelMoneyMode.Lines, Lines: new[] { ("SKU-MUG", 1) }),
                    new ModelAction(ModelActionKind.NopVoid, 0)),
                Step(new ModelAction(ModelActionKind.AdminRelease, 0))
            }));

    [Test]
    public Task A_new_modal_while_a_capture_was_unsettled_then_its_repeat_after_another_flow_settled_it_captures_nothing_twice() =>
        AssertKeepsEveryInvariantAsync(new ModelSequence(
            new ModelConfig(ModelLocker.Expiring, 0, 40, KlarnaCaptureUponFulfillmentMode.OnOrderStatus, new[] { Shirts }),
            new[]
            {
                Step(new ModelAction(ModelActionKind.AdminCapture, 0, ModelMoneyMode.Amount, 1234),
                    new ModelFault(ModelFaultTarget.Write, ModelFaultKind.SlowInFlight, 1, 194, 0)),
                Step(new ModelAction(ModelActionKind.StatusToComplete, 0)),
                Step(new ModelAction(ModelActionKind.AdminReclick, 0)),
                AtOnce(null,
                    new ModelAction(ModelActionKind.NotificationRepeat, 0),
                    new ModelAction(ModelActionKind.BlockRead, 0),
                    new ModelAction(ModelActionKind.AdminRepeat, 0),
                    new ModelAction(ModelActionKind.NopCapture, 0))
            }));
}
