using System.Reflection;
using Klarna.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moq;
using Nop.Core;
using Nop.Core.Caching;
using Nop.Core.Configuration;
using Nop.Core.Domain.Catalog;
using Nop.Core.Domain.Common;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Directory;
using Nop.Core.Domain.Discounts;
using Nop.Core.Domain.Localization;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Core.Domain.Stores;
using Nop.Data;
using Nop.Plugin.Payments.Klarna.Infrastructure;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Services.Catalog;
using Nop.Services.Common;
using Nop.Services.Configuration;
using Nop.Services.Customers;
using Nop.Services.Directory;
using Nop.Services.Localization;
using Nop.Services.Orders;
using Nop.Services.Payments;
using Nop.Services.Tax;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// Represents a market of the end-to-end checkout tests: the customer's country, currency, language and address, the
/// Klarna region, and a cart as nopCommerce prices it (prices excluding tax, one rate per product, shipping)
/// </summary>
public sealed record KlarnaMarket(string Name, string Country, string Currency, string LanguageCulture, KlarnaRegion Region,
    string City, string PostalCode, string State, (string Sku, int Quantity, decimal UnitExclTax, decimal TaxRate)[] Items,
    decimal ShippingExclTax, decimal ShippingTaxRate)
{
    public override string ToString() => Name;
}

/// <summary>
/// The whole plugin as nopCommerce runs it, built from its own DI registrations (AddKlarnaPluginServices, AddKlarnaApiClient
/// pointed at the Klarna sandbox), with nopCommerce's services as in-memory fakes for one customer with one cart in one
/// market; every other nopCommerce service a constructor asks for is a loose Moq mock. The payment goes through
/// nopCommerce's entry points only (IPaymentMethod, the payment info form, the checkout's payment request), so the test
/// follows the plugin's inside as it changes.
/// </summary>
public sealed class MarketShop : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly Dictionary<string, string> _attributes = new();

    public Customer Customer { get; } = new() { Id = 7, Email = "anna@example.com", FirstName = "Anna", LastName = "Lind" };
    public KlarnaMarket Market { get; }
    public KlarnaSettings Settings { get; } = new() { NotificationSecret = "s3cret" };
    public List<Order> Orders { get; } = new();
    public ProcessPaymentRequest PaymentRequest { get; set; }
    public IServiceScope Scope { get; }
    public decimal OrderTotal { get; private set; }

    public MarketShop(KlarnaSandboxHost sandbox, KlarnaMarket market)
    {
        Market = market;
        Settings.Region = market.Region;
        Settings.Environment = KlarnaEnvironment.Playground;
        Settings.ApiUrlOverride = sandbox.BaseUri.ToString();
        Settings.EuropePlaygroundUsername = Settings.NorthAmericaPlaygroundUsername = Settings.OceaniaPlaygroundUsername = "sandbox_user";
        Settings.EuropePlaygroundPassword = Settings.NorthAmericaPlaygroundPassword = Settings.OceaniaPlaygroundPassword = "sandbox_password";

        var services = new ServiceCollection();
        services.AddLogging(builder => builder.SetMinimumLevel(LogLevel.Warning));
        services.AddKlarnaPluginServices();
        services.AddKlarnaApiClient();
        services.Configure<KlarnaApiClientOptions>(options =>
        {
            options.Timeout = TimeSpan.FromSeconds(10);
            options.BaseDelay = TimeSpan.FromMilliseconds(10);
        });
        services.AddTransient<IPaymentMethod, KlarnaPaymentMethod>();
        RegisterNopCommerce(services);
        MockTheRest(services);

        _provider = services.BuildServiceProvider();
        Scope = _provider.CreateScope();
    }

    public T Get<T>() => Scope.ServiceProvider.GetRequiredService<T>();

    #region nopCommerce

    private static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private void RegisterNopCommerce(IServiceCollection services)
    {
        var market = Market;
        var store = new Store { Id = 1, Name = "Shop", Url = "http://shop.test/" };
        var country = new Country { Id = 1, TwoLetterIsoCode = market.Country };
        var currency = new Currency { Id = 1, CurrencyCode = market.Currency, Rate = 1m };
        var billing = new Address
        {
            Id = 11, CountryId = 1, StateProvinceId = market.State is null ? null : 5, FirstName = "Anna", LastName = "Lind", Email = "anna@example.com",
            PhoneNumber = "+1 555 0100", Address1 = "Main street 1", ZipPostalCode = market.PostalCode, City = market.City
        };
        var shipping = new Address
        {
            Id = 12, CountryId = 1, StateProvinceId = billing.StateProvinceId, FirstName = "Erik", LastName = "Lind", Address1 = "Harbour road 9",
            Address2 = "c/o Office", ZipPostalCode = market.PostalCode, City = market.City, Company = "Lind & Co"
        };

        services.AddSingleton(new CurrencySettings { PrimaryStoreCurrencyId = 1 });
        services.AddSingleton(new PaymentSettings());
        services.AddSingleton(new Nop.Core.Domain.Cms.WidgetSettings());
        services.AddSingleton<ILocker>(new InMemoryLocker());
        foreach (var entity in typeof(KlarnaSettings).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(BaseEntity)) && !t.IsAbstract))
            services.AddSingleton(typeof(IRepository<>).MakeGenericType(entity), Activator.CreateInstance(typeof(InMemoryRepository<>).MakeGenericType(entity), new object[] { null })!);

        var settings = new Mock<ISettingService>();
        settings.Setup(s => s.LoadSettingAsync<KlarnaSettings>(It.IsAny<int>())).ReturnsAsync(() => Settings);
        services.AddSingleton(settings.Object);

        var work = new Mock<IWorkContext>();
        work.Setup(w => w.GetCurrentCustomerAsync()).ReturnsAsync(Customer);
        work.Setup(w => w.GetWorkingCurrencyAsync()).ReturnsAsync(currency);
        work.Setup(w => w.GetWorkingLanguageAsync()).ReturnsAsync(new Language { Id = 1, LanguageCulture = market.LanguageCulture });
        services.AddSingleton(work.Object);
        var storeContext = new Mock<IStoreContext>();
        storeContext.Setup(s => s.GetCurrentStoreAsync()).ReturnsAsync(store);
        storeContext.Setup(s => s.GetCurrentStore()).Returns(store);
        services.AddSingleton(storeContext.Object);
        var web = new Mock<IWebHelper>();
        web.Setup(w => w.GetStoreLocation(It.IsAny<bool?>())).Returns("http://shop.test/");
        services.AddSingleton(web.Object);

        var customers = new Mock<ICustomerService>();
        customers.Setup(c => c.GetCustomerByIdAsync(Customer.Id)).ReturnsAsync(Customer);
        customers.Setup(c => c.GetCustomerBillingAddressAsync(Customer)).ReturnsAsync(billing);
        customers.Setup(c => c.GetCustomerShippingAddressAsync(Customer)).ReturnsAsync(shipping);
        services.AddSingleton(customers.Object);
        var countries = new Mock<ICountryService>();
        countries.Setup(c => c.GetCountryByIdAsync(1)).ReturnsAsync(country);
        services.AddSingleton(countries.Object);
        var states = new Mock<IStateProvinceService>();
        states.Setup(s => s.GetStateProvinceByIdAsync(5)).ReturnsAsync(new Nop.Core.Domain.Directory.StateProvince { Id = 5, CountryId = 1, Abbreviation = market.State, Name = market.State });
        services.AddSingleton(states.Object);
        var currencies = new Mock<ICurrencyService>();
        currencies.Setup(c => c.GetCurrencyByIdAsync(1)).ReturnsAsync(currency);
        services.AddSingleton(currencies.Object);

        var resources = KlarnaLocaleResources.GetAll();
        var localization = new Mock<ILocalizationService>();
        localization.Setup(l => l.GetResourceAsync(It.IsAny<string>())).ReturnsAsync((string key) => resources.TryGetValue(key, out var value) ? value : key);
        services.AddSingleton(localization.Object);

        var attributes = new Mock<IGenericAttributeService>();
        attributes.Setup(g => g.GetAttributeAsync<string>(It.IsAny<BaseEntity>(), It.IsAny<string>(), It.IsAny<int>(), It.IsAny<string>()))
            .ReturnsAsync((BaseEntity _, string key, int _, string _) => _attributes.GetValueOrDefault(key));
        attributes.Setup(g => g.SaveAttributeAsync(It.IsAny<BaseEntity>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<int>()))
            .Callback((BaseEntity _, string key, string value, int _) => { if (value is null) _attributes.Remove(key); else _attributes[key] = value; })
            .Returns(Task.CompletedTask);
        services.AddSingleton(attributes.Object);

        var orders = new Mock<IOrderService>();
        orders.Setup(o => o.GetOrderByIdAsync(It.IsAny<int>())).ReturnsAsync((int id) => Orders.FirstOrDefault(o => o.Id == id));
        orders.Setup(o => o.GetOrderByGuidAsync(It.IsAny<Guid>())).ReturnsAsync((Guid guid) => Orders.FirstOrDefault(o => o.OrderGuid == guid));
        orders.Setup(o => o.GetOrderItemsAsync(It.IsAny<int>(), It.IsAny<bool?>(), It.IsAny<bool?>(), It.IsAny<int>())).ReturnsAsync(new List<OrderItem>());
        services.AddSingleton(orders.Object);
        var processing = new Mock<IOrderProcessingService>();
        processing.Setup(o => o.GetProcessPaymentRequestAsync()).ReturnsAsync(() => PaymentRequest);
        processing.Setup(o => o.SetProcessPaymentRequestAsync(It.IsAny<ProcessPaymentRequest>(), It.IsAny<bool>()))
            .Callback((ProcessPaymentRequest request, bool _) => PaymentRequest = request).Returns(Task.CompletedTask);
        services.AddSingleton(processing.Object);

        RegisterCart(services, market);
    }

    /// <summary>
    /// nopCommerce's pricing of the cart: item prices and totals including and excluding tax, shipping, tax, total (for the
    /// United States the store is tax-exclusive and the tax is one sum, as a US store shows it)
    /// </summary>
    private void RegisterCart(IServiceCollection services, KlarnaMarket market)
    {
        var cart = market.Items.Select((item, n) => new ShoppingCartItem { Id = n + 1, ProductId = 100 + n, Quantity = item.Quantity, CustomerId = Customer.Id }).ToList();
        var products = new Mock<IProductService>();
        var shoppingCart = new Mock<IShoppingCartService>();
        var tax = new Mock<ITaxService>();
        var totalsInclTax = 0m;
        var totalsExclTax = 0m;
        var rates = new SortedDictionary<decimal, decimal>();
        for (var n = 0; n < cart.Count; n++)
        {
            var (sku, quantity, unitExcl, rate) = market.Items[n];
            var product = new Product { Id = 100 + n, Name = $"Product {sku}", Sku = sku, IsShipEnabled = true };
            var unitIncl = Round(unitExcl * (1 + rate / 100m));
            var totalExcl = unitExcl * quantity;
            var totalIncl = unitIncl * quantity;
            products.Setup(p => p.GetProductByIdAsync(product.Id)).ReturnsAsync(product);
            shoppingCart.Setup(s => s.GetUnitPriceAsync(cart[n], false)).ReturnsAsync((unitExcl, 0m, new List<Discount>()));
            shoppingCart.Setup(s => s.GetSubTotalAsync(cart[n], true)).ReturnsAsync((totalExcl, 0m, new List<Discount>(), (int?)null));
            tax.Setup(t => t.GetProductPriceAsync(product, unitExcl, true, Customer)).ReturnsAsync((unitIncl, rate));
            tax.Setup(t => t.GetProductPriceAsync(product, unitExcl, false, Customer)).ReturnsAsync((unitExcl, rate));
            tax.Setup(t => t.GetProductPriceAsync(product, totalExcl, true, Customer)).ReturnsAsync((totalIncl, rate));
            tax.Setup(t => t.GetProductPriceAsync(product, totalExcl, false, Customer)).ReturnsAsync((totalExcl, rate));
            totalsInclTax += totalIncl;
            totalsExclTax += totalExcl;
            rates[rate] = rates.GetValueOrDefault(rate) + totalIncl - totalExcl;
        }

        var shippingIncl = Round(market.ShippingExclTax * (1 + market.ShippingTaxRate / 100m));
        var taxTotal = totalsInclTax - totalsExclTax + shippingIncl - market.ShippingExclTax;
        OrderTotal = totalsExclTax + market.ShippingExclTax + taxTotal;

        var totals = new Mock<IOrderTotalCalculationService>();
        totals.Setup(t => t.GetShoppingCartSubTotalsAsync(cart)).ReturnsAsync((0m, 0m, new List<Discount>(), totalsInclTax, totalsExclTax, totalsInclTax, totalsExclTax, rates));
        totals.Setup(t => t.GetShoppingCartShippingTotalsAsync(cart)).ReturnsAsync(((decimal?)shippingIncl, (decimal?)market.ShippingExclTax, market.ShippingTaxRate, new List<Discount>()));
        totals.Setup(t => t.GetTaxTotalAsync(cart, true)).ReturnsAsync((taxTotal, rates));
        totals.Setup(t => t.GetShoppingCartTotalAsync(cart, null, true)).ReturnsAsync(((decimal?)OrderTotal, 0m, new List<Discount>(), new List<AppliedGiftCard>(), 0, 0m));
        shoppingCart.Setup(s => s.GetShoppingCartAsync(Customer, It.IsAny<ShoppingCartType?>(), It.IsAny<int>(), It.IsAny<int?>(), It.IsAny<DateTime?>(),
            It.IsAny<DateTime?>(), It.IsAny<int?>())).ReturnsAsync(cart);
        shoppingCart.Setup(s => s.ShoppingCartRequiresShippingAsync(It.IsAny<IList<ShoppingCartItem>>())).ReturnsAsync(true);

        services.AddSingleton(products.Object);
        services.AddSingleton(shoppingCart.Object);
        services.AddSingleton(tax.Object);
        services.AddSingleton(totals.Object);
    }

    /// <summary>
    /// Every other nopCommerce service (interface) and settings class a registered type's constructor asks for: a loose
    /// mock / a default instance
    /// </summary>
    private static void MockTheRest(IServiceCollection services)
    {
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>(services.Select(d => d.ImplementationType).Where(t => t is not null).Append(typeof(KlarnaPaymentMethod))!);
        while (pending.Count > 0)
        {
            var type = pending.Dequeue();
            if (!seen.Add(type))
                continue;

            foreach (var parameter in type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType).Distinct())
            {
                if (services.Any(d => d.ServiceType == parameter) || (parameter.IsGenericType && services.Any(d => d.ServiceType == parameter.GetGenericTypeDefinition())))
                    continue;
                if (parameter.IsInterface && parameter.Namespace?.StartsWith("Nop.", StringComparison.Ordinal) == true && !parameter.Namespace.StartsWith("Nop.Plugin", StringComparison.Ordinal))
                    services.AddSingleton(parameter, ((Mock)Activator.CreateInstance(typeof(Mock<>).MakeGenericType(parameter))!).Object);
                else if (typeof(ISettings).IsAssignableFrom(parameter) && !parameter.IsAbstract)
                    services.AddSingleton(parameter, Activator.CreateInstance(parameter)!);
                else if (!parameter.IsInterface && parameter.IsClass && parameter.Namespace?.StartsWith("Nop.Plugin", StringComparison.Ordinal) == true)
                    pending.Enqueue(parameter);
            }

            foreach (var registered in services.Where(d => d.ImplementationType is not null).Select(d => d.ImplementationType!))
                pending.Enqueue(registered);
        }
    }

    #endregion

    public async ValueTask DisposeAsync()
    {
        Scope.Dispose();
        await _provider.DisposeAsync();
    }
}
