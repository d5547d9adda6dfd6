using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContinuumControl.Server.Api;

/// <summary>
/// Describes every enum in the OpenAPI document as the wire carries it: a string with its names listed
/// (<c>type: string</c>, <c>enum: [Pending, Running, ...]</c>), not an integer. The contracts serialize each enum
/// property with <c>JsonStringEnumConverter</c>, so a client generated from the document matches what it receives.
/// </summary>
public sealed class EnumSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type);
        var enumType = underlying ?? type;
        if (enumType.IsEnum)
        {
            schema.Type = underlying is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = null;
            schema.Enum = [.. Enum.GetNames(enumType).Select(name => (JsonNode)JsonValue.Create(name))];
        }
        return Task.CompletedTask;
    }
}
