using Nop.Plugin.Payments.Klarna.Services.Api;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Api;

[TestFixture]
public class KlarnaTrafficMaskTests
{
    [Test]
    public void A_body_keeps_its_amounts_and_masks_personal_data_client_and_authorization_tokens()
    {
        var masked = KlarnaTrafficMask.Json("{\"order_amount\":8190,\"client_token\":\"ct-1\",\"authorization_token\":\"at-2\",\"billing_address\":{\"email\":\"a@b.example\",\"country\":\"DE\"}}");

        Assert.That(masked, Is.EqualTo("{\"order_amount\":8190,\"client_token\":\"***\",\"authorization_token\":\"***\",\"billing_address\":{\"email\":\"***\",\"country\":\"DE\"}}"));
    }

    [Test]
    public void The_notification_url_of_merchant_urls_loses_its_secret_and_the_other_urls_stay()
    {
        var masked = KlarnaTrafficMask.Json("{\"merchant_urls\":{\"confirmation\":\"https://shop.example/done\",\"notification\":\"https://shop.example/Plugins/Klarna/Notification/s3cr3t?x=s3cr3t\"}}");

        Assert.That(masked, Does.Not.Contain("s3cr3t"));
        Assert.That(masked, Does.Contain("https://shop.example/Plugins/Klarna/Notification/***?***"));
        Assert.That(masked, Does.Contain("https://shop.example/done"));
    }

    [TestCase("https://shop.example/Plugins/Klarna/Notification/abc", "https://shop.example/Plugins/Klarna/Notification/***")]
    [TestCase("https://shop.example/Plugins/Klarna/Notification/abc/", "https://shop.example/Plugins/Klarna/Notification/***")]
    [TestCase("https://shop.example", "https://shop.example")]
    [TestCase("https://shop.example?secret=abc", "https://shop.example?***")]
    [TestCase("", "")]
    [TestCase(null, null)]
    public void A_notification_url_is_masked_in_its_last_segment_and_its_query(string url, string expected)
    {
        Assert.That(KlarnaTrafficMask.NotificationUrl(url), Is.EqualTo(expected));
    }

    [TestCase("/payments/v1/authorizations/tok-123/order", "/payments/v1/authorizations/***/order")]
    [TestCase("https://api.playground.klarna.com/payments/v1/authorizations/tok-123", "https://api.playground.klarna.com/payments/v1/authorizations/***")]
    [TestCase("/ordermanagement/v1/orders/ord-1/captures", "/ordermanagement/v1/orders/ord-1/captures")]
    [TestCase(null, null)]
    public void The_authorization_token_in_a_path_is_masked_and_other_paths_stay(string path, string expected)
    {
        Assert.That(KlarnaTrafficMask.Path(path), Is.EqualTo(expected));
    }

    [Test]
    public void A_body_that_is_not_JSON_is_logged_as_its_length_only()
    {
        Assert.That(KlarnaTrafficMask.Json("token=abc"), Is.EqualTo("(non-JSON body of 9 characters)"));
        Assert.That(KlarnaTrafficMask.Json("  "), Is.Empty);
    }
}
