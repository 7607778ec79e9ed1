using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

[TestFixture]
public class KlarnaWritePlanTests
{
    [Test]
    public void A_refusing_plan_carries_the_typed_refusal_and_no_request()
    {
        var plan = KlarnaWritePlan.Refuse(KlarnaRefusalCode.CaptureAmountTooHigh, new KlarnaMoney(5001, "EUR"), new KlarnaMoney(5000, "EUR"));

        Assert.That(plan.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.CaptureAmountTooHigh));
        Assert.That(plan.Refusal.Args, Is.EqualTo(new object[] { new KlarnaMoney(5001, "EUR"), new KlarnaMoney(5000, "EUR") }));
        Assert.That(plan.AmountMinor, Is.Zero);
        Assert.That(plan.Lines, Is.Null);
    }
}
