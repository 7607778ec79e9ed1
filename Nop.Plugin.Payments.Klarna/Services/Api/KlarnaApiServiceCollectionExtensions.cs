using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Represents the registration of the Klarna API client
/// </summary>
public static class KlarnaApiServiceCollectionExtensions
{
    #region Utilities

    /// <summary>
    /// Gets a value indicating whether a request may be sent again: reads, and writes that carry an idempotency key
    /// (Klarna Payments POSTs have no key and are never repeated)
    /// </summary>
    /// <param name="request">Request</param>
    /// <returns>True when the request is safe to repeat</returns>
    public static bool IsSafeToRepeat(HttpRequestMessage request)
    {
        if (request is null)
            return false;

        if (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head)
            return true;

        return request.Headers.TryGetValues(KlarnaApiDefaults.IdempotencyKeyHeader, out var keys)
            && keys.Any(key => !string.IsNullOrWhiteSpace(key));
    }

    /// <summary>
    /// Gets the wait a response asks for in its Retry-After header (seconds or HTTP date)
    /// </summary>
    /// <param name="response">Response</param>
    /// <returns>The wait; null when the header is absent</returns>
    public static TimeSpan? GetRetryAfter(HttpResponseMessage response)
    {
        var retryAfter = response?.Headers.RetryAfter;
        if (retryAfter is null)
            return null;

        var delay = retryAfter.Delta ?? (retryAfter.Date - DateTimeOffset.UtcNow);
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    #endregion

    #region Methods

    /// <summary>
    /// Registers <see cref="IKlarnaApiClient"/> as a typed HTTP client with a per-attempt timeout, retries of transient
    /// failures (connection failure, timeout, 408, 429 honouring Retry-After, 5xx) for requests that are safe to repeat, and a
    /// cap on the whole request (<see cref="KlarnaRequestBudget.WorstCase"/>)
    /// </summary>
    /// <param name="services">Services</param>
    /// <returns>The HTTP client builder (the caller may chain e.g. WithProxy())</returns>
    public static IHttpClientBuilder AddKlarnaApiClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<KlarnaApiClientOptions>();

        var builder = services.AddHttpClient<IKlarnaApiClient, KlarnaApiClient>(KlarnaApiDefaults.HttpClientName, client =>
        {
            //the resilience pipeline owns the timeouts (one per attempt)
            client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        });

        //no HttpClient logs of their own: they write the request URI, which carries the authorization token
        //(/payments/v1/authorizations/{token}/order), and headers (Authorization); the client logs each exchange itself, masked
        builder.RemoveAllLoggers();

        builder.AddResilienceHandler(KlarnaApiDefaults.HttpClientName, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<KlarnaApiClientOptions>>().Value;

            TimeSpan perAttempt(ResilienceContext resilienceContext)
            {
                var request = resilienceContext.GetRequestMessage();
                return KlarnaRequestBudget.PerAttempt(request is not null && request.Options.TryGetValue(KlarnaApiDefaults.TimeoutOption, out var timeout)
                    ? timeout
                    : null, options);
            }

            //the whole request, every attempt and wait included, never takes longer than its budget (the order lock outlives it)
            pipeline.AddTimeout(new HttpTimeoutStrategyOptions
            {
                Name = "KlarnaTotal",
                Timeout = KlarnaRequestBudget.WorstCase(KlarnaRequestBudget.PerAttempt(null, options), options),
                TimeoutGenerator = args => ValueTask.FromResult(KlarnaRequestBudget.WorstCase(perAttempt(args.Context), options))
            });

            if (options.MaxRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.BaseDelay,
                    MaxDelay = options.MaxDelay,
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = args =>
                    {
                        var request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();

                        //a server that asks for a longer pause than we are willing to wait gets the 429/503 back at once
                        var retryAfter = GetRetryAfter(args.Outcome.Result);
                        if (retryAfter > options.MaxDelay)
                            return ValueTask.FromResult(false);

                        return ValueTask.FromResult(IsSafeToRepeat(request) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
                    },
                    //honour Retry-After (429/503); otherwise exponential backoff with jitter
                    DelayGenerator = args => ValueTask.FromResult(GetRetryAfter(args.Outcome.Result))
                });
            }

            //per attempt: the shop's setting carried by the request (KlarnaCredentials.Timeout), else the client's default; at most 60 s
            pipeline.AddTimeout(new HttpTimeoutStrategyOptions
            {
                Name = "KlarnaAttempt",
                Timeout = KlarnaRequestBudget.PerAttempt(null, options),
                TimeoutGenerator = args => ValueTask.FromResult(perAttempt(args.Context))
            });
        });

        return builder;
    }

    #endregion
}
