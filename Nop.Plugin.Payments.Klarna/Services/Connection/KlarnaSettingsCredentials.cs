using System.Linq.Expressions;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.Connection;

/// <summary>
/// Maps each region x environment to its username, password and merchant id settings
/// </summary>
public static class KlarnaSettingsCredentials
{
    /// <summary>
    /// Represents the setting properties of one region x environment
    /// </summary>
    public sealed record Entry(KlarnaRegion Region, KlarnaEnvironment Environment,
        Expression<Func<KlarnaSettings, string>> Username, Expression<Func<KlarnaSettings, string>> Password,
        Expression<Func<KlarnaSettings, string>> MerchantId)
    {
        private Func<KlarnaSettings, string> _username;
        private Func<KlarnaSettings, string> _password;
        private Func<KlarnaSettings, string> _merchantId;

        public string GetUsername(KlarnaSettings settings) => (_username ??= Username.Compile())(settings);

        public string GetPassword(KlarnaSettings settings) => (_password ??= Password.Compile())(settings);

        public string GetMerchantId(KlarnaSettings settings) => (_merchantId ??= MerchantId.Compile())(settings);

        public void SetUsername(KlarnaSettings settings, string value) => Set(Username, settings, value);

        public void SetMerchantId(KlarnaSettings settings, string value) => Set(MerchantId, settings, value);

        public void SetPassword(KlarnaSettings settings, string value) => Set(Password, settings, value);

        private static void Set(Expression<Func<KlarnaSettings, string>> selector, KlarnaSettings settings, string value)
        {
            var property = (System.Reflection.PropertyInfo)((MemberExpression)selector.Body).Member;
            property.SetValue(settings, value);
        }
    }

    /// <summary>
    /// Gets every region x environment, in display order
    /// </summary>
    public static IReadOnlyList<Entry> All { get; } = new List<Entry>
    {
        new(KlarnaRegion.Europe, KlarnaEnvironment.Playground, s => s.EuropePlaygroundUsername, s => s.EuropePlaygroundPassword, s => s.EuropePlaygroundMerchantId),
        new(KlarnaRegion.Europe, KlarnaEnvironment.Production, s => s.EuropeProductionUsername, s => s.EuropeProductionPassword, s => s.EuropeProductionMerchantId),
        new(KlarnaRegion.NorthAmerica, KlarnaEnvironment.Playground, s => s.NorthAmericaPlaygroundUsername, s => s.NorthAmericaPlaygroundPassword, s => s.NorthAmericaPlaygroundMerchantId),
        new(KlarnaRegion.NorthAmerica, KlarnaEnvironment.Production, s => s.NorthAmericaProductionUsername, s => s.NorthAmericaProductionPassword, s => s.NorthAmericaProductionMerchantId),
        new(KlarnaRegion.Oceania, KlarnaEnvironment.Playground, s => s.OceaniaPlaygroundUsername, s => s.OceaniaPlaygroundPassword, s => s.OceaniaPlaygroundMerchantId),
        new(KlarnaRegion.Oceania, KlarnaEnvironment.Production, s => s.OceaniaProductionUsername, s => s.OceaniaProductionPassword, s => s.OceaniaProductionMerchantId)
    };

    /// <summary>
    /// Gets the entry of a region x environment
    /// </summary>
    public static Entry Get(KlarnaRegion region, KlarnaEnvironment environment) =>
        All.FirstOrDefault(e => e.Region == region && e.Environment == environment);
}
