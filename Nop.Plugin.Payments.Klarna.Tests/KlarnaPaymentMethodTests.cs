using Moq;
using Nop.Core.Domain.Cms;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Components;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Services.Configuration;
using Nop.Services.Localization;
using Nop.Services.Payments;
using Nop.Services.ScheduleTasks;
using Nop.Web.Framework.Infrastructure;
using Nop.Web.Framework.Mvc.Routing;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests;

[TestFixture]
public class KlarnaPaymentMethodTests
{
    private KlarnaPaymentMethod _paymentMethod;

    [SetUp]
    public void SetUp()
    {
        _paymentMethod = new KlarnaPaymentMethod(new Mock<IKlarnaCheckoutService>().Object,
            new Mock<IKlarnaNopPaymentOperations>().Object,
            new Mock<ILocalizationService>().Object,
            new Mock<INopUrlHelper>().Object,
            new Mock<IScheduleTaskService>().Object,
            new Mock<ISettingService>().Object,
            new PaymentSettings(),
            new WidgetSettings());
    }

    [Test]
    public void Payment_method_supports_capture_refund_partial_refund_and_void_but_not_recurring()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_paymentMethod.SupportCapture, Is.True);
            Assert.That(_paymentMethod.SupportRefund, Is.True);
            Assert.That(_paymentMethod.SupportPartiallyRefund, Is.True);
            Assert.That(_paymentMethod.SupportVoid, Is.True);
            Assert.That(_paymentMethod.RecurringPaymentType, Is.EqualTo(RecurringPaymentType.NotSupported));
            Assert.That(_paymentMethod.PaymentMethodType, Is.EqualTo(PaymentMethodType.Standard));
            Assert.That(_paymentMethod.SkipPaymentInfo, Is.False);
        });
    }

    [Test]
    public void GetWidgetViewComponent_returns_the_order_block_only_for_the_admin_order_details_zone()
    {
        Assert.That(_paymentMethod.GetWidgetViewComponent("admin_order_details_block"), Is.EqualTo(typeof(KlarnaOrderDetailsViewComponent)));
        Assert.That(_paymentMethod.GetWidgetViewComponent("ADMIN_ORDER_DETAILS_BLOCK"), Is.EqualTo(typeof(KlarnaOrderDetailsViewComponent)));
        Assert.That(_paymentMethod.GetWidgetViewComponent("productdetails_top"), Is.Null);
    }

    [Test]
    public async Task The_checkout_pages_load_the_klarna_scripts_through_their_own_widget_zones()
    {
        // the one-page checkout's page (not its AJAX-loaded steps) and the multi-step payment info page
        Assert.That(await _paymentMethod.GetWidgetZonesAsync(), Is.EquivalentTo(new[] { "admin_order_details_block", "opc_content_before", "checkout_payment_info_top",
            "checkout_confirm_top", "op_checkout_confirm_top" }));
        Assert.That(_paymentMethod.GetWidgetViewComponent("opc_content_before"), Is.EqualTo(typeof(KlarnaCheckoutScriptsViewComponent)));
        Assert.That(_paymentMethod.GetWidgetViewComponent("checkout_payment_info_top"), Is.EqualTo(typeof(KlarnaCheckoutScriptsViewComponent)));
        Assert.That(_paymentMethod.GetWidgetViewComponent("op_checkout_payment_info_top"), Is.Null);
    }

    [Test]
    public void The_confirm_steps_of_both_checkouts_render_what_klarnas_finalize_needs()
    {
        Assert.That(_paymentMethod.GetWidgetViewComponent("checkout_confirm_top"), Is.EqualTo(typeof(KlarnaConfirmOrderViewComponent)));
        Assert.That(_paymentMethod.GetWidgetViewComponent("op_checkout_confirm_top"), Is.EqualTo(typeof(KlarnaConfirmOrderViewComponent)));
    }
}
