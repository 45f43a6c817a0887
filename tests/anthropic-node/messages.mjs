// The npm `@anthropic-ai/sdk` client against a running momo server that serves the forged agent family:
// messages.create (text, forced tool use, a tool_result round trip), messages.stream with tools (the SDK's own
// accumulator must rebuild the tool_use input from our input_json_delta events), and messages.countTokens.
// Usage: node messages.mjs BASE_URL MODEL. Prints one JSON line per scenario and exits 1 at the first failure.
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";

const [baseURL, model] = process.argv.slice(2);
const client = new Anthropic({ baseURL, apiKey: "unused", maxRetries: 0, timeout: 240_000 });

const read = {
  name: "read",
  description: "Reads a file.",
  input_schema: { type: "object", properties: { path: { type: "string" } }, required: ["path"], additionalProperties: false },
};
const ask = [{ role: "user", content: "Please read notes.txt." }];
const base = { model, max_tokens: 120, temperature: 0, tools: [read], messages: ask };

function assertReadCall(block) {
  assert.equal(block.type, "tool_use");
  assert.match(block.id, /^toolu_/);
  assert.equal(block.name, "read");
  assert.equal(typeof block.input.path, "string");
}

const scenarios = {
  async create_answers_text_with_usage() {
    const r = await client.messages.create({ model, max_tokens: 16, temperature: 0, system: "You are helpful.", messages: [{ role: "user", content: "Once upon a time" }] });
    assert.equal(r.type, "message");
    assert.equal(r.role, "assistant");
    assert.match(r.id, /^msg_/);
    assert.equal(r.content[0].type, "text");
    assert.ok(["end_turn", "max_tokens"].includes(r.stop_reason), r.stop_reason);
    assert.ok(r.usage.input_tokens + r.usage.cache_read_input_tokens > 0);
    assert.ok(r.usage.output_tokens > 0);
    return { stop_reason: r.stop_reason };
  },
  async create_with_tool_choice_any_calls_the_tool() {
    const r = await client.messages.create({ ...base, tool_choice: { type: "any" } });
    assert.equal(r.stop_reason, "tool_use");
    const calls = r.content.filter(b => b.type === "tool_use");
    assert.ok(calls.length >= 1);
    calls.forEach(assertReadCall);
    return { calls: calls.length };
  },
  async tool_result_round_trip_answers_in_text() {
    const first = await client.messages.create({ ...base, tool_choice: { type: "tool", name: "read" } });
    const call = first.content.find(b => b.type === "tool_use");
    assertReadCall(call);
    const r = await client.messages.create({
      ...base,
      tool_choice: { type: "none" },
      messages: [...ask, { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: "A big peach came down our river." }] }],
    });
    assert.ok(["end_turn", "max_tokens"].includes(r.stop_reason), r.stop_reason);
    assert.ok(r.content.every(b => b.type === "text"));
    assert.ok(r.content[0].text.length > 0);
    return { stop_reason: r.stop_reason };
  },
  async stream_with_tools_is_rebuilt_by_the_sdk() {
    const stream = client.messages.stream({ ...base, tool_choice: { type: "any" } });
    const events = [];
    stream.on("streamEvent", e => events.push(e.type));
    const final = await stream.finalMessage();
    assert.equal(events[0], "message_start");
    assert.equal(events.at(-1), "message_stop");
    assert.ok(events.includes("content_block_delta"));
    assert.equal(final.stop_reason, "tool_use");
    final.content.filter(b => b.type === "tool_use").forEach(assertReadCall);
    assert.ok(final.usage.output_tokens > 0);
    return { events: events.length };
  },
  async streamed_text_matches_the_final_message() {
    const stream = client.messages.stream({ model, max_tokens: 24, temperature: 0, messages: [{ role: "user", content: "Once upon a time" }] });
    let text = "";
    stream.on("text", delta => { text += delta; });
    const final = await stream.finalMessage();
    assert.equal(final.content[0].type, "text");
    assert.equal(final.content[0].text, text);
    return { characters: text.length };
  },
  async count_tokens_matches_the_prompt_a_message_uses() {
    const body = { model, messages: [{ role: "user", content: "Please count the tokens of notes.txt." }], tools: [read] };
    const counted = await client.messages.countTokens(body);
    const r = await client.messages.create({ ...body, max_tokens: 4, temperature: 0, tool_choice: { type: "none" } });
    assert.equal(counted.input_tokens, r.usage.input_tokens + r.usage.cache_read_input_tokens);
    return { input_tokens: counted.input_tokens };
  },
};

for (const [name, run] of Object.entries(scenarios)) {
  try {
    console.log(JSON.stringify({ scenario: name, ok: true, ...(await run()) }));
  } catch (e) {
    console.log(JSON.stringify({ scenario: name, ok: false, error: String(e?.stack ?? e) }));
    process.exit(1);
  }
}
