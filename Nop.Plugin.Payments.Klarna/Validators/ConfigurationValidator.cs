using FluentValidation;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Services.Localization;
using Nop.Web.Framework.Validators;

namespace Nop.Plugin.Payments.Klarna.Validators;

/// <summary>
/// Represents the configuration model validator (server side: nothing is saved while any rule fails)
/// </summary>
public class ConfigurationValidator : BaseNopValidator<ConfigurationModel>
{
    #region Fields

    /// <summary>Order status ids a mapping may use (0 = leave unchanged)</summary>
    public static readonly int[] MappableOrderStatusIds = { 0, (int)OrderStatus.Pending, (int)OrderStatus.Processing, (int)OrderStatus.Complete, (int)OrderStatus.Cancelled };

    /// <summary>Order status ids that may trigger a capture</summary>
    public static readonly int[] CaptureOrderStatusIds = { (int)OrderStatus.Processing, (int)OrderStatus.Complete };

    /// <summary>The longest per-attempt timeout: the order lock is held for the worst case of a request's attempts</summary>
    public const int MaxTimeoutSeconds = 60;
    public const int MinSyncIntervalMinutes = 5;
    public const int MaxSyncIntervalMinutes = 1440;
    public const int MaxSyncConcurrency = 16;
    public const int MaxExpiryWarningDays = 28;

    #endregion

    #region Ctor

    public ConfigurationValidator(ILocalizationService localizationService)
    {
        Func<ConfigurationModel, string> message(string key)
        {
            // nopCommerce's own validators resolve their messages the same way (RuleBuilderOptionsExtension.WithMessageAwait)
            var resource = localizationService.GetResourceAsync($"Plugins.Payments.Klarna.Validation.{key}");
            return _ => resource.GetAwaiter().GetResult();
        }

        RuleFor(model => model.RegionId)
            .Must(id => Enum.IsDefined(typeof(KlarnaRegion), id))
            .WithMessage(message("Region"));

        RuleFor(model => model.EnvironmentId)
            .Must(id => Enum.IsDefined(typeof(KlarnaEnvironment), id))
            .WithMessage(message("Environment"));

        RuleFor(model => model.ApiUrlOverride)
            .Must(KlarnaApiUrlOverride.IsWellFormed)
            .When(model => !string.IsNullOrWhiteSpace(model.ApiUrlOverride))
            .WithMessage(message("ApiUrlOverride"));

        //a live shop always talks to Klarna's own host
        RuleFor(model => model.ApiUrlOverride)
            .Must((model, _) => IsApiUrlOverrideAllowed(model))
            .WithMessage(message("ApiUrlOverrideProduction"));

        RuleFor(model => model.KlarnaLibraryUrl)
            .Must(BeLibraryUrl)
            .When(model => !string.IsNullOrWhiteSpace(model.KlarnaLibraryUrl))
            .WithMessage(message("KlarnaLibraryUrl"));

        RuleFor(model => model.ShippingCarrierMappings)
            .Must(text => Services.OrderManagement.KlarnaShippingCarriers.Parse(text).Problems.Count == 0)
            .When(model => !string.IsNullOrWhiteSpace(model.ShippingCarrierMappings))
            .WithMessage(message("ShippingCarrierMappings"));

        RuleFor(model => model.RequestTimeoutSeconds)
            .InclusiveBetween(1, MaxTimeoutSeconds)
            .WithMessage(message("RequestTimeoutSeconds"));

        foreach (var property in new Func<ConfigurationModel, int>[]
                 {
                     m => m.OrderStatusAfterAuthorizeId, m => m.OrderStatusFraudPendingId, m => m.OrderStatusAfterCaptureId,
                     m => m.OrderStatusAfterPartialCaptureId, m => m.OrderStatusAfterCancelId, m => m.OrderStatusAfterRefundId,
                     m => m.OrderStatusAfterPartialRefundId, m => m.OrderStatusAfterExpiryId,
                     m => m.OrderStatusFraudStoppedId
                 })
        {
            RuleFor(model => property(model))
                .Must(id => MappableOrderStatusIds.Contains(id))
                .WithMessage(message("OrderStatus"))
                .OverridePropertyName("OrderStatusMapping");
        }

        RuleFor(model => model.CaptureUponFulfillmentModeId)
            .Must(id => Enum.IsDefined(typeof(KlarnaCaptureUponFulfillmentMode), id))
            .WithMessage(message("CaptureUponFulfillmentMode"));

        RuleFor(model => model.CaptureOnOrderStatusId)
            .Must(id => CaptureOrderStatusIds.Contains(id))
            .When(model => model.CaptureUponFulfillmentModeId == (int)KlarnaCaptureUponFulfillmentMode.OnOrderStatus)
            .WithMessage(message("CaptureOnOrderStatus"));

        RuleFor(model => model.SyncIntervalMinutes)
            .InclusiveBetween(MinSyncIntervalMinutes, MaxSyncIntervalMinutes)
            .WithMessage(message("SyncIntervalMinutes"));

        RuleFor(model => model.SyncConcurrency)
            .InclusiveBetween(1, MaxSyncConcurrency)
            .WithMessage(message("SyncConcurrency"));

        RuleFor(model => model.ExpiryWarningDays)
            .InclusiveBetween(0, MaxExpiryWarningDays)
            .WithMessage(message("ExpiryWarningDays"));

        RuleForEach(model => model.Credentials).ChildRules(credentials =>
        {
            credentials.RuleFor(c => c.Username)
                .MaximumLength(200)
                .Must(u => u == null || u.Trim() == u)
                .WithMessage(_ => message("Username")(null));
            credentials.RuleFor(c => c.MerchantId)
                .Matches("^\\s*[A-Za-z0-9_-]{1,64}\\s*$")
                .When(c => !string.IsNullOrWhiteSpace(c.MerchantId))
                .WithMessage(_ => message("MerchantId")(null));
            credentials.RuleFor(c => c.Password)
                .MaximumLength(500)
                .WithMessage(_ => message("Password")(null));
            credentials.RuleFor(c => c.RegionId)
                .Must(id => Enum.IsDefined(typeof(KlarnaRegion), id))
                .WithMessage(_ => message("Region")(null));
            credentials.RuleFor(c => c.EnvironmentId)
                .Must(id => Enum.IsDefined(typeof(KlarnaEnvironment), id))
                .WithMessage(_ => message("Environment")(null));
        });
    }

    #endregion

    #region Methods

    /// <summary>
    /// Gets a value indicating whether the model's API URL override is allowed in its environment (none, or the playground):
    /// also checked by the Configure page on the values it saves for a store (stored ones included)
    /// </summary>
    /// <param name="model">Model</param>
    /// <returns>True when allowed</returns>
    public static bool IsApiUrlOverrideAllowed(ConfigurationModel model)
    {
        return KlarnaApiUrlOverride.Normalize(model?.ApiUrlOverride) == null
            || KlarnaApiUrlOverride.IsAllowedIn((KlarnaEnvironment)model.EnvironmentId);
    }

    #endregion

    #region Utilities

    /// <summary>
    /// The customer's browser loads Klarna's library from this address: https, or http from this machine (a local sandbox)
    /// </summary>
    private static bool BeLibraryUrl(string url)
    {
        return Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Fragment);
    }

    #endregion
}
