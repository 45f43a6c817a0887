using System.Text;
using System.Text.Json.Nodes;

namespace Momo.Server.Tests.Fuzz;

/// <summary>One fuzzed request: method, path, content type and raw body bytes.</summary>
internal sealed record FuzzRequest(string Method, string Path, string? ContentType, byte[]? Body, string Kind);

/// <summary>
/// Seeded generator of hostile requests: valid bodies with fields retyped, removed or added; huge and non-finite
/// numbers; invalid UTF-8; deep nesting; giant strings; byte-level damage; random bytes and random JSON; and wrong
/// methods and paths for every route.
/// </summary>
internal sealed class BodyFuzzer(int seed)
{
    private const string Chat = "v1/chat/completions";
    private const string Text = "v1/completions";
    private static readonly string[] KnownFields =
    [
        "model", "messages", "prompt", "max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "min_p", "seed",
        "stop", "presence_penalty", "frequency_penalty", "logit_bias", "stream", "stream_options", "user", "n", "speculative",
        "tools", "tool_choice", "response_format",
    ];
    private static readonly string[] RawValues =
    [
        "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "18446744073709551616", "-9223372036854775809", "0x10",
        "01", "1.", ".5", "+1", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "tru", "nul", "\"unterminated", "{", "[", "]",
        "1e308", "-0", "2147483648", "4294967296", "9007199254740993",
    ];
    private static readonly byte[][] BadUtf8 = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82]];
    private readonly Random _random = new(seed);

    public FuzzRequest Next()
    {
        var roll = _random.Next(100);
        return roll switch
        {
            < 45 => Structured(),
            < 70 => Damaged(),
            < 78 => new FuzzRequest("POST", Endpoint(), "application/json", RandomBytes(_random.Next(2000)), "random bytes"),
            < 86 => new FuzzRequest("POST", Endpoint(), "application/json", Encoding.UTF8.GetBytes(RandomJson(0)?.ToJsonString() ?? "null"), "random json"),
            < 90 => new FuzzRequest("POST", Endpoint(), ContentType(), Encoding.UTF8.GetBytes(Deep()), "deep nesting"),
            _ => OtherRoute(),
        };
    }

    private string Endpoint() => _random.Next(2) == 0 ? Chat : Text;

    private string? ContentType() => _random.Next(10) switch
    {
        0 => null,
        1 => "text/plain",
        2 => "application/json; charset=latin1",
        _ => "application/json",
    };

    /// <summary>A valid request, then up to four field-level mutations.</summary>
    private FuzzRequest Structured()
    {
        var path = Endpoint();
        var body = Valid(path);
        var raws = new List<string>();
        var mutations = _random.Next(5);
        for (var m = 0; m < mutations; m++)
        {
            var field = _random.Next(4) == 0 ? $"unknown_{_random.Next(1000)}" : KnownFields[_random.Next(KnownFields.Length)];
            switch (_random.Next(6))
            {
                case 0:
                    body.Remove(field);
                    break;
                case 1:
                    body[field] = RandomJson(0);
                    break;
                case 2:
                    body[field] = $"__RAW{raws.Count}__";
                    raws.Add(RawValues[_random.Next(RawValues.Length)]);
                    break;
                case 3:
                    body[field] = new string((char)('a' + _random.Next(26)), _random.Next(4) == 0 ? 1_000_000 : _random.Next(70_000));
                    break;
                case 4:
                    body[field] = $"__RAW{raws.Count}__";
                    raws.Add(Deep());
                    break;
                default:
                    body[field] = _random.Next(3) switch
                    {
                        0 => (JsonNode)double.MaxValue,
                        1 => long.MinValue,
                        _ => -_random.Next(),
                    };
                    break;
            }
        }
        var text = body.ToJsonString();
        for (var i = 0; i < raws.Count; i++)
        {
            text = text.Replace($"\"__RAW{i}__\"", raws[i], StringComparison.Ordinal);
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        if (_random.Next(4) == 0)
        {
            bytes = InsertBadUtf8(bytes);
        }
        return new FuzzRequest("POST", path, "application/json", bytes, "structured");
    }

    /// <summary>A valid request damaged byte by byte: flips, insertions, deletions, invalid UTF-8, truncation.</summary>
    private FuzzRequest Damaged()
    {
        var path = Endpoint();
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(Valid(path).ToJsonString()));
        var edits = 1 + _random.Next(6);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = _random.Next(bytes.Count);
            switch (_random.Next(5))
            {
                case 0: bytes[at] ^= (byte)(1 << _random.Next(8)); break;
                case 1: bytes.Insert(at, (byte)_random.Next(256)); break;
                case 2: bytes.RemoveAt(at); break;
                case 3: bytes.InsertRange(at, BadUtf8[_random.Next(BadUtf8.Length)]); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }
        return new FuzzRequest("POST", path, ContentType(), [.. bytes], "damaged");
    }

    /// <summary>Every other route, with wrong methods and bodies too.</summary>
    private FuzzRequest OtherRoute()
    {
        string[] paths = ["v1/models", "v1/models/momo-test", $"v1/models/{Uri.EscapeDataString(RandomText(20))}", "health", "alive", "metrics",
            $"v1/{Uri.EscapeDataString(RandomText(10))}", Chat, Text, "v1/chat/completions/extra", "v1/embeddings", "v1"];
        string[] methods = ["GET", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
        var method = methods[_random.Next(methods.Length)];
        var body = method is "GET" or "HEAD" or "DELETE" || _random.Next(2) == 0 ? null : RandomBytes(_random.Next(500));
        return new FuzzRequest(method, paths[_random.Next(paths.Length)], body is null ? null : "application/json", body, "route");
    }

    /// <summary>A request that would succeed: small, with max_tokens 1–3.</summary>
    private JsonObject Valid(string path)
    {
        var body = new JsonObject
        {
            ["max_tokens"] = 1 + _random.Next(3),
            ["temperature"] = Math.Round(_random.NextDouble() * 1.5, 2),
            ["stream"] = _random.Next(2) == 0,
            ["speculative"] = new JsonObject { ["mode"] = new[] { "pyramid", "two_tier", "target_only" }[_random.Next(3)] },
        };
        if (path == Chat)
        {
            body["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "The old man went to the mountain" });
        }
        else
        {
            body["prompt"] = "Once upon a time";
        }
        if (_random.Next(3) == 0)
        {
            body["stop"] = new JsonArray("peach", "\n");
            body["seed"] = _random.Next();
            body["logit_bias"] = new JsonObject { ["5"] = -1 };
        }
        return body;
    }

    private JsonNode? RandomJson(int depth) => _random.Next(depth > 3 ? 5 : 8) switch
    {
        0 => null,
        1 => _random.Next(2) == 0,
        2 => _random.Next(int.MinValue, int.MaxValue),
        3 => (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-30, 300)),
        4 => RandomText(_random.Next(40)),
        5 => new JsonArray([.. Enumerable.Range(0, _random.Next(4)).Select(_ => RandomJson(depth + 1))]),
        _ => new JsonObject(Enumerable.Range(0, _random.Next(4))
            .Select(i => KeyValuePair.Create(_random.Next(2) == 0 ? KnownFields[_random.Next(KnownFields.Length)] : $"k{i}", RandomJson(depth + 1)))
            .DistinctBy(kv => kv.Key)),
    };

    private string Deep()
    {
        var depth = _random.Next(10) == 0 ? 100_000 : _random.Next(1, 3000);
        var (open, close) = _random.Next(2) == 0 ? ("[", "]") : ("{\"a\":", "}");
        return string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
    }

    private string RandomText(int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => _random.Next(8) == 0 ? (char)_random.Next(0x20, 0xD7FF) : (char)_random.Next(0x20, 0x7F))]);

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] InsertBadUtf8(byte[] bytes)
    {
        // Inside a string value where possible: after the first quote past the middle.
        var at = Array.IndexOf(bytes, (byte)'"', bytes.Length / 2);
        at = at < 0 ? bytes.Length / 2 : at + 1;
        return [.. bytes[..at], .. BadUtf8[_random.Next(BadUtf8.Length)], .. bytes[at..]];
    }
}
