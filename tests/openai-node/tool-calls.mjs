// The npm `openai` client against a running momo server: tool calls (required, named, none, auto) streamed and not,
// parallel_tool_calls, response_format json_object and json_schema. Usage: node tool-calls.mjs BASE_URL MODEL.
// Prints one JSON line per scenario and exits 1 at the first failure.
import OpenAI from "openai";
import assert from "node:assert/strict";

const [baseURL, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: "unused", maxRetries: 0, timeout: 240_000 });

const weather = {
  type: "function",
  function: {
    name: "get_weather",
    description: "The weather of a city.",
    strict: true,
    parameters: { type: "object", properties: { city: { type: "string", enum: ["Paris", "Tokyo", "Osaka"] } }, required: ["city"], additionalProperties: false },
  },
};
const time = {
  type: "function",
  function: {
    name: "get_time",
    description: "The time in a zone.",
    parameters: { type: "object", properties: { zone: { type: "string", enum: ["UTC", "CET", "JST"] } }, required: ["zone"], additionalProperties: false },
  },
};
const messages = [{ role: "system", content: "You tell the tale." }, { role: "user", content: "What is the weather in Osaka?" }];
const base = { model, messages, tools: [weather, time], temperature: 0, max_tokens: 160 };

function assertValidCall(call) {
  assert.equal(call.type, "function");
  assert.match(call.id, /^call_/);
  const args = JSON.parse(call.function.arguments);
  const [key, allowed] = call.function.name === "get_weather" ? ["city", ["Paris", "Tokyo", "Osaka"]] : ["zone", ["UTC", "CET", "JST"]];
  assert.ok(["get_weather", "get_time"].includes(call.function.name), `unknown function ${call.function.name}`);
  assert.deepEqual(Object.keys(args), [key]);
  assert.ok(allowed.includes(args[key]), `${args[key]} is not one of ${allowed}`);
}

// Reads a stream chunk by chunk, checking the delta shape OpenAI documents, and returns the assembled answer.
async function streamed(body) {
  const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
  let content = "";
  let finish = null;
  let usage = null;
  const calls = [];
  for await (const chunk of stream) {
    usage ??= chunk.usage ?? null;
    const choice = chunk.choices[0];
    if (!choice) continue;
    finish ??= choice.finish_reason ?? null;
    content += choice.delta.content ?? "";
    for (const piece of choice.delta.tool_calls ?? []) {
      if (piece.index === calls.length) {
        assert.ok(piece.id && piece.type === "function" && piece.function?.name, "a call's first piece carries id, type and name");
        calls.push({ id: piece.id, type: piece.type, function: { name: piece.function.name, arguments: "" }, fragments: 0 });
      } else {
        assert.equal(piece.id, undefined, "later pieces carry no id");
      }
      const fragment = piece.function?.arguments ?? "";
      calls[piece.index].function.arguments += fragment;
      calls[piece.index].fragments += fragment.length > 0 ? 1 : 0;
    }
  }
  return { content, finish, usage, calls };
}

const scenarios = {
  async required_not_streamed() {
    const r = await client.chat.completions.create({ ...base, tool_choice: "required" });
    assert.equal(r.choices[0].finish_reason, "tool_calls");
    assert.ok(r.choices[0].message.tool_calls.length >= 1);
    r.choices[0].message.tool_calls.forEach(assertValidCall);
    return { calls: r.choices[0].message.tool_calls.length };
  },
  async required_streamed_matches_not_streamed() {
    const whole = await client.chat.completions.create({ ...base, tool_choice: "required" });
    const s = await streamed({ ...base, tool_choice: "required" });
    assert.equal(s.finish, "tool_calls");
    assert.ok(s.usage && s.usage.completion_tokens === whole.usage.completion_tokens);
    assert.deepEqual(s.calls.map(c => [c.function.name, c.function.arguments]), whole.choices[0].message.tool_calls.map(c => [c.function.name, c.function.arguments]));
    assert.ok(s.calls[0].fragments > 1, "arguments arrive in fragments");
    s.calls.forEach(assertValidCall);
    return { calls: s.calls.length, fragments: s.calls[0].fragments };
  },
  async named_streamed_through_the_sdk_helper() {
    // The SDK's own accumulator must rebuild the call from our deltas.
    const runner = client.chat.completions.stream({ ...base, tool_choice: { type: "function", function: { name: "get_time" } } });
    const final = await runner.finalChatCompletion();
    const calls = final.choices[0].message.tool_calls;
    assert.equal(calls.length, 1);
    assert.equal(calls[0].function.name, "get_time");
    assertValidCall(calls[0]);
    assert.equal(final.choices[0].finish_reason, "tool_calls");
    return { arguments: calls[0].function.arguments };
  },
  async single_call_when_parallel_tool_calls_is_false() {
    const r = await client.chat.completions.create({ ...base, tool_choice: "required", parallel_tool_calls: false });
    assert.equal(r.choices[0].message.tool_calls.length, 1);
    return {};
  },
  async none_answers_in_text() {
    const r = await client.chat.completions.create({ ...base, tool_choice: "none", max_tokens: 8 });
    assert.equal(r.choices[0].message.tool_calls, undefined);
    assert.equal(typeof r.choices[0].message.content, "string");
    return {};
  },
  async auto_streamed_matches_not_streamed() {
    const whole = await client.chat.completions.create({ ...base, tool_choice: "auto", max_tokens: 48 });
    const s = await streamed({ ...base, tool_choice: "auto", max_tokens: 48 });
    const message = whole.choices[0].message;
    assert.equal(s.content, message.content ?? "");
    assert.deepEqual(s.calls.map(c => c.function.arguments), (message.tool_calls ?? []).map(c => c.function.arguments));
    assert.equal(s.finish, whole.choices[0].finish_reason);
    return { calls: s.calls.length };
  },
  async history_with_a_call_and_its_result() {
    const first = await client.chat.completions.create({ ...base, tool_choice: { type: "function", function: { name: "get_weather" } } });
    const call = first.choices[0].message.tool_calls[0];
    const history = [...messages, { role: "assistant", content: null, tool_calls: [call] }, { role: "tool", tool_call_id: call.id, content: "Sunny, 18 C." }];
    const r = await client.chat.completions.create({ ...base, messages: history, tool_choice: "none", max_tokens: 8 });
    assert.ok(r.usage.prompt_tokens > first.usage.prompt_tokens + first.usage.completion_tokens);
    return {};
  },
  async json_schema_response_format() {
    const schema = { type: "object", properties: { finder: { type: "string", enum: ["old woman", "old man"] }, fruit: { const: "peach" } }, required: ["finder", "fruit"], additionalProperties: false };
    const body = { model, messages: [{ role: "user", content: "Who found the peach?" }], temperature: 0, max_tokens: 200, response_format: { type: "json_schema", json_schema: { name: "peach", schema, strict: true } } };
    const whole = await client.chat.completions.create(body);
    const s = await streamed(body);
    assert.equal(s.content, whole.choices[0].message.content);
    const answer = JSON.parse(whole.choices[0].message.content);
    assert.equal(answer.fruit, "peach");
    assert.ok(["old woman", "old man"].includes(answer.finder));
    return { answer };
  },
  async json_object_response_format() {
    const r = await client.chat.completions.create({ model, messages: [{ role: "user", content: "Tell the tale as JSON." }], temperature: 0, max_tokens: 200, response_format: { type: "json_object" } });
    const text = r.choices[0].message.content;
    assert.ok(text.trimStart().startsWith("{"), text);
    if (r.choices[0].finish_reason === "stop") assert.equal(typeof JSON.parse(text), "object");
    return { finish: r.choices[0].finish_reason };
  },
  async bad_schema_is_a_400_naming_the_tool() {
    const broken = { type: "function", function: { name: "broken", parameters: { type: "object", properties: { when: { type: "chronon" } } } } };
    try {
      await client.chat.completions.create({ ...base, tools: [weather, broken], tool_choice: "required" });
    } catch (e) {
      assert.equal(e.status, 400);
      assert.equal(e.param, "tools[1].function.parameters");
      return {};
    }
    assert.fail("a broken schema was accepted");
  },
};

const only = process.argv[4];
for (const [name, run] of Object.entries(scenarios)) {
  if (only && name !== only) continue;
  try {
    console.log(JSON.stringify({ scenario: name, ok: true, ...(await run()) }));
  } catch (e) {
    console.log(JSON.stringify({ scenario: name, ok: false, error: String(e?.stack ?? e) }));
    process.exit(1);
  }
}
