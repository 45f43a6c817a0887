using System.Text.Json;

namespace Momo.Testing;

/// <summary>
/// Test schemas shaped like an agent gateway's tool parameters (written for these tests): required and optional
/// members, string enums, consts in anyOf, patternProperties maps, bounds, lengths, nested bounded arrays, recursion.
/// Each comes with documents the schema rejects. <see cref="Bounded"/> marks schemas whose documents have a bounded
/// length, so an engine run with enough max_tokens always completes them.
/// </summary>
public sealed record ConformanceSchema(string Name, string Schema, IReadOnlyList<string> Invalid, IReadOnlyList<string> Valid, bool Bounded)
{
    public JsonElement Element => JsonDocument.Parse(Schema).RootElement;

    public override string ToString() => Name;

    public static readonly ConformanceSchema[] All =
    [
        new("exec tool",
            """{"type":"object","required":["command"],"properties":{"title":{"type":"string","maxLength":12,"description":"purpose"},"command":{"type":"string"},"workdir":{"type":"string"},"env":{"type":"object","patternProperties":{"^.*$":{"type":"string"}}},"yieldMs":{"type":"number"},"background":{"type":"boolean"},"host":{"enum":["auto","sandbox","gateway","node"],"type":"string"}}}""",
            ["""{}""", """{"command":1}""", """{"command":"x","host":"other"}""", """{"title":"0123456789abc","command":"x"}""", """{"command":"x","env":{"a":1}}"""],
            ["""{"command":"ls"}""", """{"title":"t","command":"ls -la", "env": {"A":"b","":""},"host":"node"}"""],
            Bounded: false),
        new("process tool",
            """{"type":"object","required":["action"],"properties":{"action":{"type":"string","enum":["list","poll","log","send-keys"]},"keys":{"type":"array","items":{"type":"string","maxLength":4},"maxItems":3},"timeout":{"type":"number","minimum":0,"maximum":30000},"eof":{"type":"boolean"}}}""",
            ["""{"action":"kill"}""", """{"action":"poll","timeout":-1}""", """{"action":"poll","keys":["a","b","c","d"]}""", """{"action":"log","timeout":30000.5}"""],
            ["""{"action":"poll","timeout":0}""", """{"action":"send-keys","keys":["C-c"],"eof":true}"""],
            Bounded: true),
        new("nested bounded arrays",
            """{"type":"object","required":["matrix"],"properties":{"matrix":{"type":"array","maxItems":3,"items":{"type":"array","minItems":1,"maxItems":3,"items":{"type":"integer","minimum":-5,"maximum":12}}}}}""",
            ["""{"matrix":[[]]}""", """{"matrix":[[13]]}""", """{"matrix":[[1],[2],[3],[4]]}""", """{"matrix":[[1.5]]}"""],
            ["""{"matrix":[]}""", """{"matrix":[[-5,12],[0]]}"""],
            Bounded: true),
        new("anyOf of consts",
            """{"anyOf":[{"type":"object","properties":{"kind":{"const":"a"},"n":{"type":"integer","exclusiveMinimum":0,"maximum":100}},"required":["kind","n"],"additionalProperties":false},{"type":"object","properties":{"kind":{"const":"b"},"tags":{"type":"array","items":{"type":"string","minLength":1,"maxLength":8},"maxItems":4}},"required":["kind"],"additionalProperties":false}]}""",
            ["""{"kind":"c"}""", """{"kind":"a","n":0}""", """{"kind":"a"}""", """{"kind":"b","tags":[""]}"""],
            ["""{"kind":"a","n":100}""", """{"kind":"b","tags":["x"]}"""],
            Bounded: true),
        new("recursive tree",
            """{"$defs":{"node":{"type":"object","properties":{"name":{"type":"string","maxLength":6},"children":{"type":"array","items":{"$ref":"#/$defs/node"},"maxItems":2}},"required":["name"]}},"$ref":"#/$defs/node"}""",
            ["""{"children":[]}""", """{"name":"a","children":[{"children":[]}]}""", """{"name":"a","children":[{"name":"b"},{"name":"c"},{"name":"d"}]}"""],
            ["""{"name":"root","children":[{"name":"a","children":[{"name":"b"}]}]}"""],
            Bounded: false),
        new("number bounds",
            """{"type":"object","required":["ratio","temp","count","big"],"properties":{"ratio":{"type":"number","minimum":0.25,"exclusiveMaximum":0.75},"temp":{"type":"number","minimum":-273.15,"maximum":10000},"count":{"type":"integer","minimum":10,"maximum":19},"big":{"type":"integer","minimum":-1000000,"exclusiveMaximum":-999990}}}""",
            ["""{"ratio":0.75,"temp":0,"count":10,"big":-999999}""", """{"ratio":0.5,"temp":-273.16,"count":10,"big":-999999}""", """{"ratio":0.5,"temp":0,"count":20,"big":-999999}""", """{"ratio":0.5,"temp":0,"count":10,"big":-999990}"""],
            ["""{"ratio":0.25,"temp":-273.15,"count":19,"big":-1000000}"""],
            Bounded: true),
        new("string lengths and patterns",
            """{"type":"object","required":["id","code","note"],"properties":{"id":{"type":"string","pattern":"^[a-z0-9_-]{3,12}$"},"code":{"type":"string","pattern":"^[A-Z]{2}-[0-9]+$","maxLength":6},"note":{"type":"string","minLength":2,"maxLength":5},"tag":{"type":"string","pattern":"ab|c.d","maxLength":6}}}""",
            ["""{"id":"AB","code":"AB-1","note":"ok"}""", """{"id":"abc","code":"AB-12345","note":"ok"}""", """{"id":"abc","code":"AB-1","note":"x"}""", """{"id":"abc","code":"AB-1","note":"ok","tag":"zz"}"""],
            ["""{"id":"a_b-9","code":"XY-123","note":"日本語","tag":"xxabyy"}"""],
            Bounded: true),
        new("enums of any values",
            """{"type":"object","required":["mode","level"],"properties":{"mode":{"enum":["fast","slow",null,3,true,{"x":[1,2]}]},"level":{"type":["string","null"],"enum":["low","high",null,5]}}}""",
            ["""{"mode":"medium","level":null}""", """{"mode":3,"level":5}""", """{"mode":{"x":[1]},"level":"low"}"""],
            ["""{"mode":{"x":[1,2]},"level":null}"""],
            Bounded: true),
        new("type arrays",
            """{"type":"object","required":["v","w"],"properties":{"v":{"type":["string","integer","null"],"maxLength":3,"minimum":0,"maximum":9},"w":{"type":["array","boolean"],"items":{"type":"number","maximum":1},"maxItems":2}}}""",
            ["""{"v":"abcd","w":true}""", """{"v":10,"w":true}""", """{"v":1,"w":[1,2,3]}""", """{"v":true,"w":false}"""],
            ["""{"v":null,"w":[0.5,-3]}"""],
            Bounded: true),
        new("patternProperties map",
            """{"type":"object","patternProperties":{"^x-[a-z]{1,6}$":{"type":"integer","minimum":0,"maximum":999}},"additionalProperties":false}""",
            ["""{"y":1}""", """{"x-a":-1}""", """{"x-A":1}"""],
            ["""{}""", """{"x-ab":5,"x-c":999}"""],
            Bounded: false),
        new("oneOf, allOf and any values",
            """{"type":"object","required":["choice","wrapped","payload"],"properties":{"payload":true,"meta":{},"choice":{"oneOf":[{"type":"string","maxLength":2},{"type":"integer","minimum":100}]},"wrapped":{"allOf":[{"type":"boolean"}]}}}""",
            ["""{"choice":"abc","wrapped":true,"payload":1}""", """{"choice":99,"wrapped":true,"payload":1}""", """{"choice":"a","wrapped":1,"payload":1}"""],
            ["""{"payload":{"a":[1,"x",null]},"choice":100,"wrapped":false}""", """{"payload":[],"meta":"m","choice":"ab","wrapped":true}"""],
            Bounded: false),
        new("additionalProperties map",
            """{"type":"object","additionalProperties":{"type":"array","items":{"type":"boolean"},"minItems":1,"maxItems":2}}""",
            ["""{"a":[]}""", """{"a":[true,false,true]}""", """{"a":1}"""],
            ["""{"a":[true],"b":[false,true]}"""],
            Bounded: false),
        new("map with propertyNames and vendor keywords",
            """{"type":"object","propertyNames":{"type":"string","pattern":"^[a-z]+$","maxLength":4},"additionalProperties":{"type":"object","properties":{"on":{"type":"boolean","~optional":true}},"x-vendor":1},"~kind":"Record"}""",
            ["""{"Ab":{}}""", """{"abcde":{}}""", """{"a":{"on":1}}"""],
            ["""{"a":{"on":true},"bc":{}}"""],
            Bounded: false),
        new("strings with escapes and unicode",
            """{"type":"array","items":{"type":"string","minLength":1,"maxLength":3},"minItems":2,"maxItems":4}""",
            ["""["a"]""", """["abcd","b"]""", """["a","b","c","d","e"]""", """["","x"]"""],
            ["""["\u00e9\n","\ud83d\ude00"]""".Replace("\\ud83d\\ude00", "😀", StringComparison.Ordinal)],
            Bounded: true),
        // OpenClaw's sessions_spawn trims strings with ^\S(?:.*\S)?$. JsonSchema.Net matches patterns with .NET's default
        // semantics, not ECMA-262's (Unicode digits in \d, U+0085 but not U+FEFF in \s), so the walks here keep to \S,
        // \w and \d, where what the grammar can write is valid either way; PatternClassEscapeTests covers the rest.
        new("spawn tool with trimmed strings",
            """{"type":"object","required":["task"],"properties":{"task":{"type":"string","pattern":"^\\S(?:.*\\S)?$"},"label":{"type":"string","description":"Short task title"},"runtime":{"enum":["subagent"],"type":"string"},"runTimeoutSeconds":{"type":"integer","minimum":0},"placement":{"anyOf":[{"type":"object","required":["kind"],"properties":{"kind":{"type":"string","const":"local"}},"additionalProperties":false},{"type":"object","required":["kind","profileId"],"properties":{"kind":{"type":"string","const":"profile"},"profileId":{"type":"string","minLength":1,"maxLength":16,"pattern":"^\\S(?:.*\\S)?$"},"os":{"type":"string","minLength":1,"maxLength":8}},"additionalProperties":false}],"~optional":true},"ticket":{"type":"string","pattern":"^[\\w-]+ ?\\d{2}$"}}}""",
            ["""{"task":" x"}""", """{"task":"x "}""", """{"task":""}""", """{"task":"a\nb"}""", """{}""", """{"task":"a","placement":{"kind":"profile","profileId":"p\t"}}""", """{"task":"a","ticket":"ab 1"}""", """{"task":"a","ticket":"a.b 12"}"""],
            ["""{"task":"spawn a helper","placement":{"kind":"profile","profileId":"gpu-1"},"ticket":"AB-7 12"}"""],
            Bounded: false),
    ];
}
