using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Core.Domain.Common;
using Nop.Core.Domain.Customers;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Services.Customers;
using Nop.Services.Directory;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Builds the customer's addresses for Klarna (billing and shipping: name, email, phone, street, postal code, city,
/// region, country, organization). Klarna's GDPR advice: no personal data in the session; the browser passes them to
/// authorize / finalize, and create order sends the same
/// </summary>
public interface IKlarnaCustomerDataBuilder
{
    /// <summary>
    /// Builds the customer's addresses
    /// </summary>
    /// <param name="customer">Customer</param>
    /// <param name="shipped">Whether the cart is shipped (a shipping address is sent only then, and not for a pickup in store)</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the addresses (the billing address null when the customer has none yet)</returns>
    Task<KlarnaCustomerData> BuildAsync(Customer customer, bool shipped);
}

/// <summary>
/// Represents the default <see cref="IKlarnaCustomerDataBuilder"/>
/// </summary>
public class KlarnaCustomerDataBuilder : IKlarnaCustomerDataBuilder
{
    #region Fields

    protected readonly ICountryService _countryService;
    protected readonly ICustomerService _customerService;
    protected readonly IStateProvinceService _stateProvinceService;

    #endregion

    #region Ctor

    public KlarnaCustomerDataBuilder(ICountryService countryService,
        ICustomerService customerService,
        IStateProvinceService stateProvinceService)
    {
        _countryService = countryService;
        _customerService = customerService;
        _stateProvinceService = stateProvinceService;
    }

    #endregion

    #region Utilities

    private static string Text(string value, string fallback = null)
    {
        var text = string.IsNullOrWhiteSpace(value) ? fallback : value;
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>
    /// Maps a nopCommerce address; email and phone fall back to the customer's own
    /// </summary>
    /// <param name="address">Address</param>
    /// <param name="customer">Customer</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains Klarna's address</returns>
    protected virtual async Task<KlarnaAddress> MapAsync(Address address, Customer customer)
    {
        var country = address.CountryId is int countryId && countryId > 0 ? await _countryService.GetCountryByIdAsync(countryId) : null;
        var state = address.StateProvinceId is int stateId && stateId > 0 ? await _stateProvinceService.GetStateProvinceByIdAsync(stateId) : null;

        return new KlarnaAddress
        {
            GivenName = Text(address.FirstName, customer?.FirstName),
            FamilyName = Text(address.LastName, customer?.LastName),
            Email = Text(address.Email, customer?.Email),
            Phone = Text(address.PhoneNumber, customer?.Phone),
            StreetAddress = Text(address.Address1),
            StreetAddress2 = Text(address.Address2),
            PostalCode = Text(address.ZipPostalCode),
            City = Text(address.City),
            Region = Text(state?.Abbreviation, state?.Name),
            Country = Text(country?.TwoLetterIsoCode)?.ToUpperInvariant(),
            OrganizationName = Text(address.Company)
        };
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaCustomerData> BuildAsync(Customer customer, bool shipped)
    {
        ArgumentNullException.ThrowIfNull(customer);

        var billing = await _customerService.GetCustomerBillingAddressAsync(customer);
        var shipping = shipped ? await _customerService.GetCustomerShippingAddressAsync(customer) : null;

        return new KlarnaCustomerData
        {
            BillingAddress = billing is null ? null : await MapAsync(billing, customer),
            ShippingAddress = shipping is null ? null : await MapAsync(shipping, customer)
        };
    }

    #endregion
}
