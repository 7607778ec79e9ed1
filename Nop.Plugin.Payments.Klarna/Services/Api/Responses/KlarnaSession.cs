using System;
using System.Collections.Generic;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Responses;

/// <summary>
/// Represents a Klarna Payments session: the create response (id, token, categories) and the read response, which also
/// echoes the cart fields of <see cref="KlarnaSessionRequest"/> (amounts in minor units)
/// </summary>
public class KlarnaSession : KlarnaSessionRequest
{
    /// <summary>
    /// Gets or sets the session id
    /// </summary>
    [JsonProperty("session_id")]
    public string SessionId { get; set; }

    /// <summary>
    /// Gets or sets the client token for the browser library
    /// </summary>
    [JsonProperty("client_token")]
    public string ClientToken { get; set; }

    /// <summary>
    /// Gets or sets the offered payment method categories
    /// </summary>
    [JsonProperty("payment_method_categories")]
    public List<KlarnaPaymentMethodCategory> PaymentMethodCategories { get; set; }

    /// <summary>
    /// Gets or sets the status: incomplete or complete
    /// </summary>
    [JsonProperty("status")]
    public string Status { get; set; }

    /// <summary>
    /// Gets or sets the expiry time of the session
    /// </summary>
    [JsonProperty("expires_at")]
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>
    /// Gets or sets the authorization token once authorized
    /// </summary>
    [JsonProperty("authorization_token")]
    public string AuthorizationToken { get; set; }
}
