// The npm `openai` client against a running momo server that serves the forged agent family: asked to read both of
// two files with parallel_tool_calls true, the answer holds two calls, streamed and not; with it false, one call.
// Usage: node parallel-calls.mjs BASE_URL MODEL. Prints one JSON line per scenario and exits 1 at the first failure.
import OpenAI from "openai";
import assert from "node:assert/strict";

const [baseURL, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: "unused", maxRetries: 0, timeout: 240_000 });

const read = {
  type: "function",
  function: {
    name: "read",
    description: "Reads a file.",
    parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"], additionalProperties: false },
  },
};
const base = {
  model, messages: [{ role: "user", content: "Please read both notes.txt and peach.txt." }], tools: [read], temperature: 0, max_tokens: 120,
};

function assertValidCalls(calls) {
  assert.ok(calls.length >= 2, `expected several calls, got ${calls.length}`);
  assert.equal(new Set(calls.map(c => c.id)).size, calls.length, "every call has an id of its own");
  for (const call of calls) {
    assert.equal(call.type, "function");
    assert.match(call.id, /^call_/);
    assert.equal(call.function.name, "read");
    const args = JSON.parse(call.function.arguments);
    assert.deepEqual(Object.keys(args), ["path"]);
    assert.equal(typeof args.path, "string");
  }
}

const scenarios = {
  async required_not_streamed() {
    const r = await client.chat.completions.create({ ...base, tool_choice: "required", parallel_tool_calls: true });
    assert.equal(r.choices[0].finish_reason, "tool_calls");
    assertValidCalls(r.choices[0].message.tool_calls);
    return { calls: r.choices[0].message.tool_calls.length };
  },
  async auto_streamed_at_indices_0_and_1() {
    const stream = await client.chat.completions.create({ ...base, tool_choice: "auto", parallel_tool_calls: true, stream: true });
    const calls = [];
    let finish = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (!choice) continue;
      finish ??= choice.finish_reason ?? null;
      for (const piece of choice.delta.tool_calls ?? []) {
        if (piece.index === calls.length) {
          assert.ok(piece.id && piece.type === "function" && piece.function?.name, "a call's first piece carries id, type and name");
          calls.push({ id: piece.id, type: piece.type, function: { name: piece.function.name, arguments: "" } });
        } else {
          assert.equal(piece.id, undefined, "later pieces carry no id");
        }
        calls[piece.index].function.arguments += piece.function?.arguments ?? "";
      }
    }
    assert.equal(finish, "tool_calls");
    assertValidCalls(calls);
    return { calls: calls.length };
  },
  async streamed_through_the_sdk_helper() {
    // The SDK's own accumulator must rebuild both calls from our deltas.
    const final = await client.chat.completions.stream({ ...base, tool_choice: "required", parallel_tool_calls: true }).finalChatCompletion();
    assert.equal(final.choices[0].finish_reason, "tool_calls");
    assertValidCalls(final.choices[0].message.tool_calls);
    return { calls: final.choices[0].message.tool_calls.length };
  },
  async single_call_when_parallel_tool_calls_is_false() {
    const r = await client.chat.completions.create({ ...base, tool_choice: "required", parallel_tool_calls: false });
    assert.equal(r.choices[0].finish_reason, "tool_calls");
    assert.equal(r.choices[0].message.tool_calls.length, 1);
    return {};
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
