using System.Text.Json;
using Momo.Server.Contracts;

namespace Momo.Server.Dialects.Messages;

/// <summary>
/// The Messages API fields that change nothing here, and every other field: <c>metadata</c>, <c>thinking</c>
/// (no reasoning model is served, so no thinking blocks are written), <c>context_management</c> (the prompt is used
/// as sent), <c>output_config.effort</c>, <c>service_tier</c> and <c>cache_control</c> (the prefix cache is
/// automatic) are accepted once their shape is checked. A field this server does not know is refused naming it,
/// since it might change the answer.
/// </summary>
internal static class MessagesFields
{
    private static readonly HashSet<string> Harmless = ["service_tier", "cache_control", "inference_geo"];

    public static void Check(MessagesRequest body)
    {
        RequireObject(body.Metadata, "metadata");
        RequireObject(body.Thinking, "thinking");
        RequireObject(body.ContextManagement, "context_management");
        if (body.Thinking.ValueKind == JsonValueKind.Object
            && (!body.Thinking.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String))
        {
            throw ApiException.Invalid("thinking.type must be enabled, disabled or adaptive.", "thinking.type");
        }
        foreach (var name in body.Extra?.Keys ?? Enumerable.Empty<string>())
        {
            if (!Harmless.Contains(name))
            {
                throw ApiException.Invalid(
                    $"{name} is not a Messages API field this server serves; it is refused rather than ignored, since it might change the answer.",
                    name, "unsupported_parameter");
            }
        }
    }

    private static void RequireObject(JsonElement value, string name)
    {
        if (value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
        {
            throw ApiException.Invalid($"{name} must be an object.", name);
        }
    }
}
