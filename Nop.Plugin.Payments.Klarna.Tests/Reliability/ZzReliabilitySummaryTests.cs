using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// Runs after the suite's other fixtures (NUnit orders fixtures of a namespace by name): prints the one summary line
/// (test output, stdout, reliability-summary.txt in the test work directory) and fails unless the zeros hold
/// </summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public class ZzReliabilitySummaryTests
{
    [Test]
    public void Summary_shows_no_double_or_lost_operation_all_bad_inputs_refused_and_no_secret_leak()
    {
        var line = ReliabilityLedger.WriteSummary();
        var leaks = ReliabilityLedger.FindSecretLeaks();

        Assert.Multiple(() =>
        {
            Assert.That(ReliabilityLedger.DoubleOperations, Is.Empty, "double operations");
            Assert.That(ReliabilityLedger.LostOperations, Is.Empty, "lost operations");
            Assert.That(ReliabilityLedger.SilentFailures, Is.Empty, "failures without an order note and a log entry");
            Assert.That(ReliabilityLedger.AcceptedBadInputs, Is.Empty, "bad inputs not refused");
            Assert.That(ReliabilityLedger.BadInputsRefused, Is.EqualTo(ReliabilityLedger.BadInputs), line);
            Assert.That(leaks, Is.Empty, "secret leaks");
        });
    }
}
