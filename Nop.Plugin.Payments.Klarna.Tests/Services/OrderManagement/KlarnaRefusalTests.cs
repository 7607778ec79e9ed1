using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// Typed refusals: one locale resource per code, its placeholders filled by its arguments, and how the admin side answers it
/// </summary>
[TestFixture]
public class KlarnaRefusalTests
{
    private static readonly IDictionary<string, string> Resources = KlarnaLocaleResources.GetAll();

    [Test]
    public void Every_refusal_code_has_an_english_resource()
    {
        var missing = Enum.GetValues<KlarnaRefusalCode>().Select(KlarnaRefusal.ResourceKeyOf).Where(key => !Resources.ContainsKey(key)).ToList();

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Every_refusal_resource_belongs_to_a_code()
    {
        var codes = Enum.GetValues<KlarnaRefusalCode>().Select(KlarnaRefusal.ResourceKeyOf).ToHashSet();

        Assert.That(Resources.Keys.Where(key => key.StartsWith("Plugins.Payments.Klarna.Refusal.")).Where(key => !codes.Contains(key)), Is.Empty);
    }

    [Test]
    public void The_resource_key_is_the_code_under_the_refusal_area()
    {
        Assert.That(new KlarnaRefusal(KlarnaRefusalCode.FraudStopped).ResourceKey, Is.EqualTo("Plugins.Payments.Klarna.Refusal.FraudStopped"));
    }

    [TestCase(KlarnaRefusalCode.CaptureAmountTooHigh, KlarnaRefusalKind.Invalid)]
    [TestCase(KlarnaRefusalCode.RefundAmountTooHigh, KlarnaRefusalKind.Invalid)]
    [TestCase(KlarnaRefusalCode.UnknownLine, KlarnaRefusalKind.Invalid)]
    [TestCase(KlarnaRefusalCode.IdempotencyKeyInUse, KlarnaRefusalKind.Invalid)]
    [TestCase(KlarnaRefusalCode.OrderBusy, KlarnaRefusalKind.Conflict)]
    [TestCase(KlarnaRefusalCode.OperationPending, KlarnaRefusalKind.Conflict)]
    [TestCase(KlarnaRefusalCode.FraudPending, KlarnaRefusalKind.Conflict)]
    [TestCase(KlarnaRefusalCode.NothingCaptured, KlarnaRefusalKind.Conflict)]
    [TestCase(KlarnaRefusalCode.NothingToCapture, KlarnaRefusalKind.NothingToDo)]
    [TestCase(KlarnaRefusalCode.AlreadyCancelled, KlarnaRefusalKind.NothingToDo)]
    [TestCase(KlarnaRefusalCode.TrackingAlreadySent, KlarnaRefusalKind.NothingToDo)]
    public void Bad_input_is_invalid_a_state_that_does_not_allow_it_a_conflict_and_nothing_left_nothing_to_do(KlarnaRefusalCode code, KlarnaRefusalKind expected)
    {
        var refusal = new KlarnaRefusal(code);

        Assert.That(refusal.Kind, Is.EqualTo(expected));
        Assert.That(refusal.IsNothingToDo, Is.EqualTo(expected == KlarnaRefusalKind.NothingToDo));
    }

    [Test]
    public void Every_placeholder_of_a_refusal_text_is_a_number_and_the_texts_are_sentences()
    {
        foreach (var key in Enum.GetValues<KlarnaRefusalCode>().Select(KlarnaRefusal.ResourceKeyOf))
        {
            var text = Resources[key];
            Assert.That(() => string.Format(text, Enumerable.Repeat<object>("x", 5).ToArray()), Throws.Nothing, key);
            Assert.That(text, Does.EndWith("."), key);
        }
    }

    [Test]
    public void A_refusal_without_arguments_has_an_empty_argument_list_and_prints_its_code()
    {
        var refusal = new KlarnaRefusal(KlarnaRefusalCode.LinesAndAmount, null);

        Assert.That(refusal.Args, Is.Empty);
        Assert.That(refusal.ToString(), Is.EqualTo("LinesAndAmount"));
        Assert.That(new KlarnaRefusal(KlarnaRefusalCode.UnknownLine, "sku").ToString(), Is.EqualTo("UnknownLine(sku)"));
    }
}
