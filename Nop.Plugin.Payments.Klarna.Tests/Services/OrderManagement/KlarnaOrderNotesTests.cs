using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using Microsoft.Extensions.DependencyInjection;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// Order notes from typed codes: one locale resource per code, several parts in one note
/// </summary>
[TestFixture]
public class KlarnaOrderNotesTests
{
    private OrderManagementHarness _harness;
    private KlarnaOrderNotes _notes;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
        _notes = _harness.Services.GetRequiredService<KlarnaOrderNotes>();
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public void Every_note_code_has_an_english_resource()
    {
        var resources = KlarnaLocaleResources.GetAll();

        Assert.That(Enum.GetValues<KlarnaNoteCode>().Select(KlarnaOrderNotes.ResourceKeyOf).Where(key => !resources.ContainsKey(key)), Is.Empty);
    }

    [Test]
    public async Task A_note_is_the_codes_text_with_its_arguments_formatted_and_hidden_from_the_customer()
    {
        await _notes.AddAsync(5, KlarnaNoteCode.Captured, new KlarnaMoney(10490, "EUR"), "cap-1", "T-1");

        var note = _harness.Notes.Single();
        Assert.That(note.Note, Is.EqualTo("Klarna: captured 104.90 EUR (capture id cap-1; tracking T-1)."));
        Assert.That(note.OrderId, Is.EqualTo(5));
        Assert.That(note.DisplayToCustomer, Is.False);
    }

    [Test]
    public async Task Several_parts_make_one_note()
    {
        await _notes.AddAsync(5, new List<(KlarnaNoteCode, object[])>
        {
            (KlarnaNoteCode.KlarnaStatusChanged, new object[] { "AUTHORIZED", "CAPTURED" }),
            (KlarnaNoteCode.PaymentStatusFollows, new object[] { PaymentStatus.Authorized, PaymentStatus.Paid })
        });

        Assert.That(_harness.Notes.Single().Note, Is.EqualTo("Klarna: Klarna's order status changed from AUTHORIZED to CAPTURED. Payment status: Authorized to Paid."));
    }

    [Test]
    public async Task No_parts_make_no_note()
    {
        await _notes.AddAsync(5, new List<(KlarnaNoteCode, object[])>());

        Assert.That(_harness.Notes, Is.Empty);
    }
}
