using Moq;
using Nop.Core.Domain.Common;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Directory;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

[TestFixture]
public class KlarnaCustomerDataBuilderTests
{
    private CheckoutHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new CheckoutHarness { CountryCode = "US" };
        _harness.StateProvinces.Setup(s => s.GetStateProvinceByIdAsync(7)).ReturnsAsync(new StateProvince { Id = 7, Name = "California", Abbreviation = "CA" });
        _harness.StateProvinces.Setup(s => s.GetStateProvinceByIdAsync(8)).ReturnsAsync(new StateProvince { Id = 8, Name = "Tirol" });
    }

    [Test]
    public async Task BuildAsync_maps_every_address_field_klarna_knows()
    {
        // Arrange
        _harness.BillingAddress = new Address
        {
            FirstName = " John ", LastName = "Doe", Email = "john@example.com", PhoneNumber = "+1 310 555 0100", Address1 = "Lombard St 10",
            Address2 = "Apt 214", ZipPostalCode = "90210", City = "Beverly Hills", StateProvinceId = 7, CountryId = 1, Company = "Doe Inc."
        };

        // Act
        var data = await _harness.CustomerDataBuilder().BuildAsync(_harness.Customer, shipped: true);

        // Assert
        var billing = data.BillingAddress;
        Assert.That((billing.GivenName, billing.FamilyName, billing.Email, billing.Phone), Is.EqualTo(("John", "Doe", "john@example.com", "+1 310 555 0100")));
        Assert.That((billing.StreetAddress, billing.StreetAddress2, billing.PostalCode, billing.City), Is.EqualTo(("Lombard St 10", "Apt 214", "90210", "Beverly Hills")));
        Assert.That((billing.Region, billing.Country, billing.OrganizationName), Is.EqualTo(("CA", "US", "Doe Inc.")));
        Assert.That(data.ShippingAddress.GivenName, Is.EqualTo("Max"));
        Assert.That(data.ShippingAddress.StreetAddress2, Is.EqualTo("3. OG"));
    }

    [Test]
    public async Task BuildAsync_takes_email_phone_and_names_from_the_customer_when_the_address_has_none()
    {
        // Arrange
        _harness.Customer.Email = "customer@example.com";
        _harness.Customer.Phone = "+43 512 123";
        _harness.Customer.FirstName = "Anna";
        _harness.BillingAddress = new Address { CountryId = 1, StateProvinceId = 8, Address1 = "Maria-Theresien-Strasse 1", City = "Innsbruck" };

        // Act
        var billing = (await _harness.CustomerDataBuilder().BuildAsync(_harness.Customer, shipped: false)).BillingAddress;

        // Assert
        Assert.That((billing.Email, billing.Phone, billing.GivenName), Is.EqualTo(("customer@example.com", "+43 512 123", "Anna")));
        Assert.That(billing.Region, Is.EqualTo("Tirol"), "the state's name when it has no abbreviation");
        Assert.That(billing.StreetAddress2, Is.Null);
    }

    [Test]
    public async Task BuildAsync_sends_no_shipping_address_when_nothing_is_shipped_or_it_is_picked_up_in_store()
    {
        // Act
        var notShipped = await _harness.CustomerDataBuilder().BuildAsync(_harness.Customer, shipped: false);
        _harness.ShippingAddress = null; // nopCommerce keeps no shipping address for a pickup in store
        var pickup = await _harness.CustomerDataBuilder().BuildAsync(_harness.Customer, shipped: true);

        // Assert
        Assert.That(notShipped.ShippingAddress, Is.Null);
        Assert.That(pickup.ShippingAddress, Is.Null);
        Assert.That(pickup.BillingAddress, Is.Not.Null);
    }

    [Test]
    public async Task BuildAsync_gives_no_billing_address_before_the_customer_entered_one()
    {
        // Arrange
        _harness.CountryCode = null;

        // Act
        var data = await _harness.CustomerDataBuilder().BuildAsync(new Customer { Id = 9 }, shipped: true);

        // Assert
        Assert.That(data.BillingAddress, Is.Null);
    }
}
