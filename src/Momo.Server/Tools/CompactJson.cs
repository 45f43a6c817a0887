using System.Text;
using System.Text.Json;

namespace Momo.Server.Tools;

/// <summary>
/// JSON without the whitespace between tokens, from the element's raw text: strings keep their escapes exactly as
/// sent (nothing is decoded, so nothing can fail), and the same definition always reads the same in the prompt.
/// </summary>
internal static class CompactJson
{
    public static string Of(JsonElement element)
    {
        var raw = element.GetRawText();
        var compact = new StringBuilder(raw.Length);
        var inString = false;
        var escaped = false;
        foreach (var c in raw)
        {
            if (inString)
            {
                compact.Append(c);
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            if (c is ' ' or '\n' or '\r' or '\t')
            {
                continue;
            }
            compact.Append(c);
            inString = c == '"';
        }
        return compact.ToString();
    }
}
