using Nop.Plugin.Payments.Klarna.Services.Api;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Api;

/// <summary>
/// The longest a request can take through the client: what the pipeline's total timeout and the order lock are computed from
/// </summary>
[TestFixture]
public class KlarnaRequestBudgetTests
{
    [Test]
    public void The_per_attempt_timeout_is_the_requested_one_else_the_default_and_never_above_60_seconds()
    {
        var options = new KlarnaApiClientOptions { Timeout = TimeSpan.FromSeconds(25) };

        Assert.Multiple(() =>
        {
            Assert.That(KlarnaRequestBudget.PerAttempt(TimeSpan.FromSeconds(10), options), Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(KlarnaRequestBudget.PerAttempt(null, options), Is.EqualTo(TimeSpan.FromSeconds(25)));
            Assert.That(KlarnaRequestBudget.PerAttempt(TimeSpan.Zero, options), Is.EqualTo(TimeSpan.FromSeconds(25)));
            Assert.That(KlarnaRequestBudget.PerAttempt(TimeSpan.FromMinutes(5), options), Is.EqualTo(KlarnaRequestBudget.MaxPerAttemptTimeout));
            Assert.That(KlarnaRequestBudget.PerAttempt(null, new KlarnaApiClientOptions { Timeout = TimeSpan.FromMinutes(10) }), Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(KlarnaRequestBudget.PerAttempt(null, new KlarnaApiClientOptions { Timeout = TimeSpan.Zero }), Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
    }

    [Test]
    public void The_worst_case_is_every_attempt_at_its_timeout_plus_every_wait_at_its_cap()
    {
        var options = new KlarnaApiClientOptions { MaxRetries = 3, MaxDelay = TimeSpan.FromSeconds(30) };

        Assert.That(KlarnaRequestBudget.WorstCase(TimeSpan.FromSeconds(60), options), Is.EqualTo(TimeSpan.FromSeconds(4 * 60 + 3 * 30)));
    }

    [Test]
    public void Without_retries_the_worst_case_is_one_attempt()
    {
        var options = new KlarnaApiClientOptions { MaxRetries = 0, MaxDelay = TimeSpan.FromSeconds(30) };

        Assert.That(KlarnaRequestBudget.WorstCase(TimeSpan.FromSeconds(7), options), Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(KlarnaRequestBudget.WorstCase(TimeSpan.FromSeconds(7), new KlarnaApiClientOptions { MaxRetries = -2 }), Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    [Test]
    public void A_negative_longest_wait_counts_as_no_wait()
    {
        var options = new KlarnaApiClientOptions { MaxRetries = 2, MaxDelay = TimeSpan.FromSeconds(-5) };

        Assert.That(KlarnaRequestBudget.WorstCase(TimeSpan.FromSeconds(7), options), Is.EqualTo(TimeSpan.FromSeconds(21)));
    }
}
