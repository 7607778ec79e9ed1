using Nop.Plugin.Payments.Klarna.Services.Api;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// Base of the fixtures that run against one sandbox per fixture; every test starts from an empty sandbox
/// </summary>
public abstract class SandboxFixtureTestBase
{
    protected SandboxFixture _fixture;
    protected IKlarnaApiClient _client;
    protected KlarnaCredentials _credentials;

    [OneTimeSetUp]
    public async Task StartSandboxAsync()
    {
        _fixture = await SandboxFixture.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopSandboxAsync()
    {
        await _fixture.DisposeAsync();
    }

    [SetUp]
    public void ResetSandbox()
    {
        _fixture.Reset();
        _client = _fixture.Client;
        _credentials = _fixture.Credentials;
    }
}
