using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// A lost answer is not a failure: what may hide an executed write stays pending
/// </summary>
[TestFixture]
public class KlarnaOperationResultTests
{
    [TestCase(0, true)]
    [TestCase(408, true)]
    [TestCase(409, true)]
    [TestCase(429, true)]
    [TestCase(500, true)]
    [TestCase(503, true)]
    [TestCase(400, false)]
    [TestCase(403, false)]
    [TestCase(404, false)]
    public void The_outcome_of_a_write_is_unknown_without_an_answer_and_on_answers_that_may_hide_an_executed_write(int status, bool unknown)
    {
        var failure = KlarnaFailure.Of(new KlarnaApiException(status, status == 0 ? "TIMEOUT" : "ERR", new[] { "m" }, "corr"));

        Assert.That(failure.OutcomeUnknown, Is.EqualTo(unknown));
        Assert.That((failure.StatusCode, failure.ErrorCode, failure.CorrelationId), Is.EqualTo((status, status == 0 ? "TIMEOUT" : "ERR", "corr")));
    }

    [Test]
    public void An_exception_that_is_not_klarnas_is_no_answer()
    {
        var failure = KlarnaFailure.Of(new HttpRequestException("reset"));

        Assert.That(failure.OutcomeUnknown, Is.True);
        Assert.That(failure.ErrorCode, Is.EqualTo("NO_ANSWER"));
        Assert.That(failure.Messages, Is.Empty, "the exception's own text is not Klarna's: it goes to the log only");
    }

    [Test]
    public void A_refused_result_carries_its_code_and_is_never_outcome_unknown_even_with_a_failed_read()
    {
        var result = new KlarnaOperationResult
        {
            Refusal = new KlarnaRefusal(KlarnaRefusalCode.KlarnaUnreadable),
            KlarnaError = new KlarnaFailure { ErrorCode = "TIMEOUT", OutcomeUnknown = true }
        };

        Assert.That(result.OutcomeUnknown, Is.False);
        Assert.That(result.ErrorCode, Is.EqualTo("TIMEOUT"), "Klarna's code first");
        Assert.That(KlarnaOperationResult.Refused(KlarnaRefusalCode.NothingToRefund).ErrorCode, Is.EqualTo("NothingToRefund"));
        Assert.That(KlarnaOperationResult.Refused(KlarnaRefusalCode.NothingToRefund).NothingToDo, Is.True);
    }

    [Test]
    public void A_failed_write_whose_outcome_is_unknown_says_so()
    {
        var result = KlarnaOperationResult.Failed(new KlarnaOperation { Status = KlarnaOperationStatus.Pending }, new KlarnaFailure { OutcomeUnknown = true, CorrelationId = "c" });

        Assert.That(result.Success, Is.False);
        Assert.That(result.OutcomeUnknown, Is.True);
        Assert.That(result.CorrelationId, Is.EqualTo("c"));
    }
}
