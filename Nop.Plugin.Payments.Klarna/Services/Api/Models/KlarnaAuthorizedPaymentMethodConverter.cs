using System;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Reads authorized_payment_method either as an object or as a plain string ("invoice")
/// </summary>
public class KlarnaAuthorizedPaymentMethodConverter : JsonConverter<KlarnaAuthorizedPaymentMethod>
{
    /// <summary>
    /// Reads the JSON representation of the object
    /// </summary>
    public override KlarnaAuthorizedPaymentMethod ReadJson(JsonReader reader, Type objectType, KlarnaAuthorizedPaymentMethod existingValue, bool hasExistingValue, JsonSerializer serializer)
    {
        var token = JToken.Load(reader);
        return token.Type switch
        {
            JTokenType.Null or JTokenType.Undefined => null,
            JTokenType.String => new KlarnaAuthorizedPaymentMethod { Type = token.Value<string>() },
            JTokenType.Object => new KlarnaAuthorizedPaymentMethod
            {
                Type = token.Value<string>("type"),
                NumberOfDays = token.Value<int?>("number_of_days"),
                NumberOfInstallments = token.Value<int?>("number_of_installments")
            },
            _ => null
        };
    }

    /// <summary>
    /// Writes the JSON representation of the object
    /// </summary>
    public override void WriteJson(JsonWriter writer, KlarnaAuthorizedPaymentMethod value, JsonSerializer serializer)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        writer.WriteStartObject();
        writer.WritePropertyName("type");
        writer.WriteValue(value.Type);
        writer.WritePropertyName("number_of_days");
        writer.WriteValue(value.NumberOfDays);
        writer.WritePropertyName("number_of_installments");
        writer.WriteValue(value.NumberOfInstallments);
        writer.WriteEndObject();
    }
}
