using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

[TestFixture]
public class KlarnaOperationFamilyTests
{
    [TestCase(KlarnaOperationKind.Capture, KlarnaOperationFamily.Authorization)]
    [TestCase(KlarnaOperationKind.Cancel, KlarnaOperationFamily.Authorization)]
    [TestCase(KlarnaOperationKind.Release, KlarnaOperationFamily.Authorization)]
    [TestCase(KlarnaOperationKind.Refund, KlarnaOperationFamily.Refund)]
    [TestCase(KlarnaOperationKind.ExtendAuthorization, KlarnaOperationFamily.Extension)]
    [TestCase(KlarnaOperationKind.ShippingInfo, KlarnaOperationFamily.ShippingInfo)]
    [TestCase(KlarnaOperationKind.Authorize, KlarnaOperationFamily.None)]
    public void Operations_that_use_up_the_authorization_share_one_family(KlarnaOperationKind kind, KlarnaOperationFamily expected)
    {
        Assert.That(KlarnaOperationFamilies.Of(kind), Is.EqualTo(expected));
    }

    [Test]
    public void Every_kind_has_a_family_entry()
    {
        var families = Enum.GetValues<KlarnaOperationKind>().Select(KlarnaOperationFamilies.Of).ToList();

        Assert.That(families.Count(f => f == KlarnaOperationFamily.None), Is.EqualTo(1), "only the checkout's authorization is not serialized");
    }

    [TestCase(KlarnaOperationStatus.Pending, true)]
    [TestCase(KlarnaOperationStatus.NeedsAttention, true)]
    [TestCase(KlarnaOperationStatus.Succeeded, false)]
    [TestCase(KlarnaOperationStatus.Failed, false)]
    public void Pending_and_needs_attention_operations_are_unsettled(KlarnaOperationStatus status, bool expected)
    {
        Assert.That(KlarnaOperationFamilies.IsUnsettled(new KlarnaOperation { Status = status }), Is.EqualTo(expected));
    }
}
