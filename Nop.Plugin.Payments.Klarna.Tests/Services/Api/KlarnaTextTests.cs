using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Api;

[TestFixture]
public class KlarnaTextTests
{
    [TestCase(null, 5, null)]
    [TestCase("   ", 5, null)]
    [TestCase(" abc ", 5, "abc")]
    [TestCase("abcdefgh", 5, "abcde")]
    [TestCase("  abcdefgh", 5, "abcde")]
    [TestCase("abcde", 5, "abcde")]
    public void Truncate_trims_and_cuts_to_the_limit_and_makes_a_blank_text_null(string value, int length, string expected)
    {
        Assert.That(KlarnaText.Truncate(value, length), Is.EqualTo(expected));
    }
}
