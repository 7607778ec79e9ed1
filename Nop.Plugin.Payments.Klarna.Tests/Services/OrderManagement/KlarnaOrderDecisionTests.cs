using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

[TestFixture]
public class KlarnaOrderDecisionTests
{
    [Test]
    public void An_allowance_is_allowed_up_to_a_limit_or_refused_with_a_reason_never_both()
    {
        var allowed = KlarnaAllowance.Allow(4200);
        var refused = KlarnaAllowance.Refuse(KlarnaRefusalCode.FraudPending);

        Assert.That((allowed.Allowed, allowed.LimitMinor, allowed.Refusal), Is.EqualTo((true, 4200L, (KlarnaRefusal)null)));
        Assert.That((refused.Allowed, refused.LimitMinor, refused.Refusal.Code), Is.EqualTo((false, 0L, KlarnaRefusalCode.FraudPending)));
    }

    [Test]
    public void A_new_decision_lists_no_lines_and_no_operations()
    {
        var decision = new KlarnaOrderDecision();

        Assert.That(decision.Lines, Is.Empty);
        Assert.That(decision.Pending, Is.Empty);
        Assert.That(decision.NeedsAttention, Is.Empty);
    }
}
