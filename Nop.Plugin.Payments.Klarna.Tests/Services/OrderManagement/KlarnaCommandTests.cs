using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// What every command has, and the context it plans with
/// </summary>
[TestFixture]
public class KlarnaCommandTests
{
    private sealed class Probe : KlarnaCommand
    {
        public override KlarnaOperationKind Kind => KlarnaOperationKind.Capture;

        public override Task<KlarnaWritePlan> PlanAsync(KlarnaCommandContext context) => Task.FromResult(new KlarnaWritePlan());
    }

    [Test]
    public void A_command_is_an_admins_with_a_new_key_unless_told_otherwise()
    {
        var command = new Probe();

        Assert.That(command.Initiator, Is.EqualTo(KlarnaInitiator.Admin));
        Assert.That(command.IdempotencyKey, Is.Null);
        Assert.That(command.Order, Is.Null);
    }


    [Test]
    public void The_context_uses_klarnas_currency_and_formats_amounts_in_it()
    {
        var session = new KlarnaOrderSession(new Order { Id = 1 }, new KlarnaSettings(), KlarnaInitiator.Admin)
        {
            Record = new KlarnaOrderRecord { CurrencyCode = "SEK" },
            KlarnaOrder = new KlarnaOrder { PurchaseCurrency = "eur" }
        };
        var withCurrency = new KlarnaCommandContext(session, new KlarnaOrderDecision { CurrencyCode = "EUR" }, null);
        var withoutCurrency = new KlarnaCommandContext(session, new KlarnaOrderDecision(), null);

        Assert.That(withCurrency.Money(1234), Is.EqualTo(new KlarnaMoney(1234, "EUR")));
        Assert.That(withoutCurrency.CurrencyCode, Is.EqualTo("SEK"), "the record's currency when Klarna's is unknown");
        Assert.That(withCurrency.Order, Is.SameAs(session.Order));
    }
}
