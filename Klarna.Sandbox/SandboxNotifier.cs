using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Klarna.Sandbox;

/// <summary>
/// Represents one delivery attempt of a notification to the merchant
/// </summary>
public sealed record SandboxNotificationDelivery(string Url, string OrderId, string EventType, int Attempt, int? Status, DateTimeOffset At);

/// <summary>
/// Sends Klarna's notifications (fraud decisions, stop requests) to merchant_urls.notification and sends each again, after
/// the configured delays, until the merchant answers 200 (deliveries may repeat; the merchant must answer quickly)
/// </summary>
public sealed class SandboxNotifier : IDisposable
{
    #region Fields

    private readonly SandboxOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<SandboxNotificationDelivery> _deliveries = new();

    #endregion

    #region Ctor

    public SandboxNotifier(SandboxOptions options)
    {
        _options = options;
    }

    #endregion

    #region Properties

    /// <summary>
    /// Gets every delivery attempt so far
    /// </summary>
    public IReadOnlyList<SandboxNotificationDelivery> Deliveries
    {
        get
        {
            lock (_deliveries)
                return _deliveries.ToList();
        }
    }

    #endregion

    #region Utilities

    private async Task<int?> PostAsync(string url, JsonObject body, string orderId, string eventType, int attempt)
    {
        int? status;
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var response = await client.PostAsync(url, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), _stopping.Token);
            status = (int)response.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException or UriFormatException)
        {
            status = null;
        }

        lock (_deliveries)
            _deliveries.Add(new SandboxNotificationDelivery(url, orderId, eventType, attempt, status, DateTimeOffset.UtcNow));

        return status;
    }

    private async Task ResendAsync(string url, JsonObject body, string orderId, string eventType)
    {
        var attempt = 1;
        foreach (var delay in _options.NotificationRetryDelays ?? Array.Empty<TimeSpan>())
        {
            try
            {
                await Task.Delay(delay, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (await PostAsync(url, body, orderId, eventType, ++attempt) == 200)
                return;
        }
    }

    #endregion

    #region Methods

    /// <summary>
    /// Sends a notification {order_id, event_type, decided_at}; when the answer is not 200 it is sent again in the background
    /// </summary>
    /// <returns>The status of the first delivery (null when it did not arrive)</returns>
    public async Task<int?> SendAsync(string url, string orderId, string eventType, DateTimeOffset decidedAt)
    {
        var body = new JsonObject { ["order_id"] = orderId, ["event_type"] = eventType, ["decided_at"] = decidedAt.ToString("O") };
        var status = await PostAsync(url, body, orderId, eventType, 1);
        if (status != 200)
            _ = ResendAsync(url, body, orderId, eventType);

        return status;
    }

    /// <summary>
    /// Forgets the deliveries (resends under way go on)
    /// </summary>
    public void Clear()
    {
        lock (_deliveries)
            _deliveries.Clear();
    }

    /// <summary>
    /// Stops the resends
    /// </summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    #endregion
}
