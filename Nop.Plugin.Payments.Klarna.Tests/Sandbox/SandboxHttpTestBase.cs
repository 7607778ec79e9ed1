using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Sandbox;

/// <summary>
/// Base of the fixtures that drive the sandbox over HTTP as curl would: Klarna's own paths with Basic auth and the
/// /_sandbox/ test-control API, on an empty sandbox per test
/// </summary>
public abstract class SandboxHttpTestBase : SandboxFixtureTestBase
{
    protected HttpClient _http;

    /// <summary>
    /// A Swedish cart of one line that Klarna accepts
    /// </summary>
    protected const string Cart = """
        {"purchase_country":"SE","purchase_currency":"SEK","locale":"sv-SE","order_amount":10000,"order_tax_amount":2000,
         "order_lines":[{"type":"physical","reference":"A","name":"Item","quantity":1,"unit_price":10000,"tax_rate":2500,"total_amount":10000,"total_tax_amount":2000}]}
        """;

    [SetUp]
    public void UseControlClient()
    {
        _http = _fixture.Control;
    }

    protected static HttpRequestMessage Klarna(HttpMethod method, string path, string json = null, string key = null, string password = SandboxFixture.Password)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SandboxFixture.Username}:{password}")));
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (key is not null)
            request.Headers.Add("Klarna-Idempotency-Key", key);

        return request;
    }

    protected async Task<JObject> PostJsonAsync(string path, string json, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await _fixture.PostControlAsync(path, json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), body);
        return string.IsNullOrEmpty(body) ? null : JObject.Parse(body);
    }
}
