using Moq;
using Nop.Core;
using Nop.Core.Domain.Common;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Directory;
using Nop.Core.Domain.Localization;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Stores;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Common;
using Nop.Services.Configuration;
using Nop.Services.Customers;
using Nop.Services.Directory;
using Nop.Services.Localization;
using Nop.Services.Logging;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// In-memory record service (the checkout tests only need storage)
/// </summary>
public class InMemoryKlarnaOrderRecordService : IKlarnaOrderRecordService
{
    public List<KlarnaOrderRecord> Records { get; } = new();
    public List<KlarnaOperation> Operations { get; } = new();
    public int Updates { get; private set; }

    public Task<KlarnaOrderRecord> GetByOrderIdAsync(int orderId) => Task.FromResult(Records.FirstOrDefault(r => r.OrderId == orderId));
    public Task<KlarnaOrderRecord> GetByKlarnaOrderIdAsync(string klarnaOrderId) => Task.FromResult(Records.FirstOrDefault(r => r.KlarnaOrderId == klarnaOrderId));
    public Task InsertAsync(KlarnaOrderRecord record) { record.Id = Records.Count + 1; Records.Add(record); return Task.CompletedTask; }
    public Task UpdateAsync(KlarnaOrderRecord record) { Updates++; return Task.CompletedTask; }
    public Task<IList<KlarnaOperation>> GetOperationsAsync(int orderId) => Task.FromResult<IList<KlarnaOperation>>(Operations.Where(o => o.OrderId == orderId).ToList());
    public Task<KlarnaOperation> GetOperationByIdempotencyKeyAsync(string key) => Task.FromResult(Operations.FirstOrDefault(o => o.IdempotencyKey == key));
    public Task InsertOperationAsync(KlarnaOperation operation) { operation.Id = Operations.Count + 1; Operations.Add(operation); return Task.CompletedTask; }
    public Task UpdateOperationAsync(KlarnaOperation operation) => Task.CompletedTask;
    public Task<IList<KlarnaOrderRecord>> GetOpenRecordsAsync(int pageIndex, int pageSize) => Task.FromResult<IList<KlarnaOrderRecord>>(Records.ToList());
}

/// <summary>
/// Wires the checkout services with mocks of nopCommerce and a real (or mocked) Klarna API client
/// </summary>
public class CheckoutHarness
{
    public Customer Customer { get; } = new() { Id = 5, Email = "customer@example.com" };
    public Store Store { get; } = new() { Id = 1, Name = "Shop" };
    public KlarnaSettings Settings { get; } = new() { NotificationSecret = "s3cret", Region = KlarnaRegion.Europe };
    public KlarnaCredentials Credentials { get; set; }
    public string CountryCode { get; set; } = "DE";
    public string CurrencyCode { get; set; } = "EUR";
    public KlarnaOrderLineSource Source { get; set; }
    public bool Shipped { get; set; } = true;

    /// <summary>
    /// Gets or sets the customer's billing address (country: <see cref="CountryCode"/>, id 1)
    /// </summary>
    public Address BillingAddress { get; set; } = new()
    {
        CountryId = 1, FirstName = "Erika", LastName = "Mustermann", Email = "erika@example.com", PhoneNumber = "+49 30 1234567",
        Address1 = "Unter den Linden 1", ZipPostalCode = "10117", City = "Berlin"
    };

    /// <summary>
    /// Gets or sets the customer's shipping address (null: none, e.g. picked up in store)
    /// </summary>
    public Address ShippingAddress { get; set; } = new()
    {
        CountryId = 1, FirstName = "Max", LastName = "Mustermann", Address1 = "Friedrichstrasse 2", Address2 = "3. OG", ZipPostalCode = "10117",
        City = "Berlin", Company = "Muster GmbH"
    };
    public Dictionary<string, string> Attributes { get; } = new();
    public List<OrderNote> Notes { get; } = new();
    public List<Order> Orders { get; } = new();
    public InMemoryKlarnaOrderRecordService Records { get; } = new();

    public Mock<IKlarnaCredentialsProvider> CredentialsProvider { get; } = new();
    public Mock<IKlarnaOrderStatusService> StatusService { get; } = new();
    public Mock<IGenericAttributeService> GenericAttributes { get; } = new();
    public Mock<IOrderService> OrderService { get; } = new();
    public Mock<ISettingService> SettingService { get; } = new();
    public Mock<IWorkContext> WorkContext { get; } = new();
    public Mock<IStoreContext> StoreContext { get; } = new();
    public Mock<IWebHelper> WebHelper { get; } = new();
    public Mock<ICustomerService> CustomerService { get; } = new();
    public Mock<ICountryService> CountryService { get; } = new();
    public Mock<ILocalizationService> Localization { get; } = new();
    public Mock<Nop.Services.Catalog.IPriceFormatter> PriceFormatter { get; } = new();
    public Mock<ILogger> Logger { get; } = new();
    public Mock<IShoppingCartService> ShoppingCart { get; } = new();
    public Mock<IKlarnaCheckoutLineSourceFactory> LineSources { get; } = new();
    public Mock<Nop.Services.Directory.IStateProvinceService> StateProvinces { get; } = new();
    public Mock<IOrderProcessingService> OrderProcessing { get; } = new();
    public InMemoryRepository<KlarnaCheckoutAttempt> Attempts { get; } = new(attempt => attempt.AuthorizationToken);
    public InMemoryLocker Locker { get; } = new();
    public TimeSpan YoungTime { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan HandOverTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets nopCommerce's payment request of the checkout (IOrderProcessingService.Get/SetProcessPaymentRequestAsync)
    /// </summary>
    public Nop.Services.Payments.ProcessPaymentRequest PaymentRequest { get; set; }

    public CheckoutHarness()
    {
        Source = new KlarnaOrderLineSource
        {
            CurrencyCode = "EUR",
            PurchaseCountry = "DE",
            OrderTotal = 624m,
            Items = { new KlarnaItemSource { Name = "Bicycle", Sku = "BIKE", Quantity = 1, UnitPriceInclTax = 595m, TotalInclTax = 595m, TaxRate = 20m } },
            Charges = { new KlarnaChargeSource { Type = KlarnaOrderLineType.ShippingFee, Name = "Shipping", Reference = "shipping", AmountInclTax = 29m, TaxRate = 20m } }
        };

        CredentialsProvider.Setup(p => p.GetCredentialsAsync(It.IsAny<int>())).ReturnsAsync(() => Credentials);
        CredentialsProvider.Setup(p => p.GetCredentialsAsync(It.IsAny<int>(), It.IsAny<KlarnaRegion>(), It.IsAny<KlarnaEnvironment>())).ReturnsAsync(() => Credentials);

        GenericAttributes.Setup(g => g.GetAttributeAsync<string>(It.IsAny<BaseEntity>(), It.IsAny<string>(), It.IsAny<int>(), It.IsAny<string>()))
            .ReturnsAsync((BaseEntity _, string key, int _, string _) => Attributes.GetValueOrDefault(key));
        GenericAttributes.Setup(g => g.SaveAttributeAsync(It.IsAny<BaseEntity>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<int>()))
            .Callback((BaseEntity _, string key, string value, int _) => { if (value is null) Attributes.Remove(key); else Attributes[key] = value; })
            .Returns(Task.CompletedTask);

        OrderService.Setup(o => o.InsertOrderNoteAsync(It.IsAny<OrderNote>())).Callback((OrderNote note) => Notes.Add(note)).Returns(Task.CompletedTask);
        OrderService.Setup(o => o.GetOrderByGuidAsync(It.IsAny<Guid>())).ReturnsAsync((Guid guid) => Orders.FirstOrDefault(o => o.OrderGuid == guid));
        OrderService.Setup(o => o.GetOrderByIdAsync(It.IsAny<int>())).ReturnsAsync((int id) => Orders.FirstOrDefault(o => o.Id == id));
        OrderService.Setup(o => o.UpdateOrderAsync(It.IsAny<Order>())).Returns(Task.CompletedTask);

        SettingService.Setup(s => s.LoadSettingAsync<KlarnaSettings>(It.IsAny<int>())).ReturnsAsync(() => Settings);

        WorkContext.Setup(w => w.GetCurrentCustomerAsync()).ReturnsAsync(() => Customer);
        WorkContext.Setup(w => w.GetWorkingLanguageAsync()).ReturnsAsync(new Language { LanguageCulture = "de-DE" });
        WorkContext.Setup(w => w.GetWorkingCurrencyAsync()).ReturnsAsync(() => new Currency { CurrencyCode = CurrencyCode, Rate = 1m });
        StoreContext.Setup(s => s.GetCurrentStoreAsync()).ReturnsAsync(() => Store);
        WebHelper.Setup(w => w.GetStoreLocation(It.IsAny<bool?>())).Returns("http://shop.test/");

        CustomerService.Setup(c => c.GetCustomerByIdAsync(It.IsAny<int>())).ReturnsAsync(() => Customer);
        CustomerService.Setup(c => c.GetCustomerBillingAddressAsync(It.IsAny<Customer>())).ReturnsAsync(() => CountryCode is null ? null : BillingAddress);
        CustomerService.Setup(c => c.GetCustomerShippingAddressAsync(It.IsAny<Customer>())).ReturnsAsync(() => ShippingAddress);
        CountryService.Setup(c => c.GetCountryByIdAsync(1)).ReturnsAsync(() => new Country { Id = 1, TwoLetterIsoCode = CountryCode });
        Localization.Setup(l => l.GetResourceAsync(It.IsAny<string>())).ReturnsAsync((string key) => EnglishResources.Get(key));
        PriceFormatter.Setup(f => f.FormatPriceAsync(It.IsAny<decimal>(), It.IsAny<bool>(), It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<int>()))
            .ReturnsAsync((decimal price, bool _, string code, bool _, int _) => $"{price.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} {code}");

        ShoppingCart.Setup(s => s.GetShoppingCartAsync(It.IsAny<Customer>(), It.IsAny<ShoppingCartType?>(), It.IsAny<int>(), It.IsAny<int?>(),
                It.IsAny<DateTime?>(), It.IsAny<DateTime?>(), It.IsAny<int?>()))
            .ReturnsAsync(new List<ShoppingCartItem> { new() { Id = 1, ProductId = 1, Quantity = 1 } });
        OrderProcessing.Setup(o => o.GetProcessPaymentRequestAsync()).ReturnsAsync(() => PaymentRequest);
        OrderProcessing.Setup(o => o.SetProcessPaymentRequestAsync(It.IsAny<Nop.Services.Payments.ProcessPaymentRequest>(), It.IsAny<bool>()))
            .Callback((Nop.Services.Payments.ProcessPaymentRequest request, bool _) => PaymentRequest = request).Returns(Task.CompletedTask);
        ShoppingCart.Setup(s => s.ShoppingCartRequiresShippingAsync(It.IsAny<IList<ShoppingCartItem>>())).ReturnsAsync(() => Shipped);
        LineSources.Setup(f => f.FromCartAsync(It.IsAny<IList<ShoppingCartItem>>(), It.IsAny<Customer>())).ReturnsAsync(() => Source);
        LineSources.Setup(f => f.GetLineNamesAsync()).ReturnsAsync(EnglishResources.LineNames);
    }

    public KlarnaCustomerDataBuilder CustomerDataBuilder() => new(CountryService.Object, CustomerService.Object, StateProvinces.Object);

    public KlarnaCheckoutSessionService SessionService(IKlarnaApiClient client) =>
        new(GenericAttributes.Object, client, LineSources.Object, CredentialsProvider.Object, CustomerDataBuilder(), Localization.Object, Logger.Object,
            ShoppingCart.Object, StoreContext.Object, WorkContext.Object);

    public KlarnaCheckoutAttemptStore AttemptStore() => new(Attempts);

    public KlarnaPlacedOrderRecorder Recorder(IKlarnaApiClient client, IKlarnaCredentialsProvider credentials = null,
        IKlarnaOrderRecordService records = null, IOrderService orders = null) =>
        new(CustomerService.Object, GenericAttributes.Object, client, AttemptStore(), credentials ?? CredentialsProvider.Object, records ?? Records,
            Logger.Object, new KlarnaOrderNotes(orders ?? OrderService.Object, new KlarnaTexts(Localization.Object, new KlarnaMoneyFormatter(PriceFormatter.Object, WorkContext.Object))));

    public KlarnaCheckoutAttemptSettler Settler(IKlarnaApiClient client, IKlarnaCredentialsProvider credentials = null,
        IKlarnaOrderRecordService records = null, IOrderService orders = null) =>
        new(client, AttemptStore(), credentials ?? CredentialsProvider.Object, Recorder(client, credentials, records, orders), Localization.Object, Locker, Logger.Object,
            orders ?? OrderService.Object) { YoungTime = YoungTime };

    public KlarnaOrderPlacementService Placement(IKlarnaApiClient client, IKlarnaCredentialsProvider credentials = null,
        IKlarnaOrderRecordService records = null, IOrderService orders = null) =>
        new(client, Settler(client, credentials, records, orders), AttemptStore(), Localization.Object, Locker, Logger.Object)
        {
            RepeatDelay = TimeSpan.FromMilliseconds(1),
            HandOverTime = HandOverTime
        };

    public KlarnaCheckoutService CheckoutService(IKlarnaApiClient client, IKlarnaCredentialsProvider credentials = null,
        IKlarnaOrderRecordService records = null, IKlarnaOrderStatusService statusService = null, IOrderService orders = null,
        ISettingService settings = null) =>
        new(CountryService.Object, CustomerService.Object, GenericAttributes.Object, SessionService(client), credentials ?? CredentialsProvider.Object,
            Placement(client, credentials, records, orders), statusService ?? StatusService.Object, Recorder(client, credentials, records, orders),
            Localization.Object, Logger.Object, OrderProcessing.Object, settings ?? SettingService.Object, StoreContext.Object, WebHelper.Object,
            WorkContext.Object);

    /// <summary>
    /// The order nopCommerce saves after a successful ProcessPayment
    /// </summary>
    public Order PlaceOrder(Nop.Services.Payments.ProcessPaymentRequest request, Nop.Services.Payments.ProcessPaymentResult result)
    {
        var order = new Order
        {
            Id = 100 + Orders.Count,
            OrderGuid = request.OrderGuid,
            CustomOrderNumber = $"{100 + Orders.Count}",
            StoreId = request.StoreId,
            CustomerId = request.CustomerId,
            OrderTotal = request.OrderTotal,
            CurrencyRate = 1m,
            CustomerCurrencyCode = "EUR",
            PaymentMethodSystemName = KlarnaDefaults.SystemName,
            PaymentStatusId = (int)result.NewPaymentStatus,
            AuthorizationTransactionId = result.AuthorizationTransactionId,
            AuthorizationTransactionResult = result.AuthorizationTransactionResult
        };
        Orders.Add(order);
        return order;
    }
}
