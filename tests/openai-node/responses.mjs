// The npm `openai` client's Responses API against a running momo server: responses.create (text, a function call
// and its output sent back, a namespaced function, json_schema, previous_response_id) and responses.stream (text and
// a function call, events checked as the SDK accumulates them), with include message.output_text.logprobs both ways. Usage: node responses.mjs BASE_URL MODEL.
// Prints one JSON line per scenario and exits 1 at the first failure.
import OpenAI from "openai";
import assert from "node:assert/strict";

const [baseURL, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: "unused", maxRetries: 0, timeout: 240_000 });

const weather = {
  type: "function",
  name: "get_weather",
  description: "The weather of a city.",
  strict: true,
  parameters: { type: "object", properties: { city: { type: "string", enum: ["Paris", "Tokyo", "Osaka"] } }, required: ["city"], additionalProperties: false },
};
const agents = {
  type: "namespace",
  name: "multi_agent_v1",
  description: "Tools for spawning and managing sub-agents.",
  tools: [
    {
      type: "function",
      name: "spawn_agent",
      parameters: { type: "object", properties: { message: { type: "string", enum: ["Find the peach."] } }, required: ["message"], additionalProperties: false },
    },
  ],
};
const question = "What is the weather in Osaka?";
const callBody = { model, input: question, tools: [weather], tool_choice: "required", parallel_tool_calls: false, temperature: 0, max_output_tokens: 160 };

function assertWeatherCall(call) {
  assert.equal(call.type, "function_call");
  assert.equal(call.name, "get_weather");
  assert.match(call.call_id, /^call_/);
  assert.ok(["Paris", "Tokyo", "Osaka"].includes(JSON.parse(call.arguments).city));
}

const scenarios = {
  async create_text() {
    const response = await client.responses.create({ model, input: "Once upon a time", max_output_tokens: 6, temperature: 0 });
    assert.equal(response.object, "response");
    assert.equal(response.status, "incomplete");
    assert.equal(response.incomplete_details.reason, "max_output_tokens");
    assert.ok(response.output_text.length > 0, "output_text gathers the message text");
    assert.equal(response.usage.output_tokens, 6);
    return { id: response.id };
  },
  async create_function_call_round_trip() {
    const first = await client.responses.create(callBody);
    assert.equal(first.status, "completed");
    const [call] = first.output;
    assertWeatherCall(call);
    const second = await client.responses.create({
      model,
      input: [{ role: "user", content: question }, call, { type: "function_call_output", call_id: call.call_id, output: "Sunny, 21 C" }],
      tools: [weather],
      tool_choice: "none",
      max_output_tokens: 4,
    });
    assert.equal(second.output[0].type, "message");
    return { arguments: call.arguments };
  },
  async create_namespaced_call() {
    const response = await client.responses.create({
      model, input: "Send a helper.", tools: [weather, agents], tool_choice: { type: "function", name: "spawn_agent" }, temperature: 0, max_output_tokens: 160,
    });
    const [call] = response.output;
    assert.equal(call.name, "spawn_agent");
    assert.equal(call.namespace, "multi_agent_v1");
    assert.deepEqual(JSON.parse(call.arguments), { message: "Find the peach." });
    return {};
  },
  async create_json_schema() {
    const schema = { type: "object", properties: { finder: { type: "string", enum: ["old woman", "old man"] } }, required: ["finder"], additionalProperties: false };
    const response = await client.responses.create({
      model, input: "Who found the peach?", text: { format: { type: "json_schema", name: "peach", strict: true, schema } }, temperature: 0, max_output_tokens: 160,
    });
    assert.equal(response.status, "completed");
    assert.ok(["old woman", "old man"].includes(JSON.parse(response.output_text).finder));
    return {};
  },
  async create_with_previous_response_id() {
    const first = await client.responses.create({ model, input: "The old man went to the mountain", max_output_tokens: 3, temperature: 0 });
    const second = await client.responses.create({ model, previous_response_id: first.id, input: "The dog said", max_output_tokens: 3 });
    assert.equal(second.previous_response_id, first.id);
    assert.ok(second.usage.input_tokens > first.usage.input_tokens);
    await assert.rejects(
      client.responses.create({ model, previous_response_id: "resp_unknown", input: "x" }),
      (error) => error.status === 400 && error.param === "previous_response_id");
    return {};
  },
  async stream_text() {
    const stream = client.responses.stream({ model, input: "Once upon a time", max_output_tokens: 6, temperature: 0 });
    const types = [];
    let deltas = "";
    let sequence = -1;
    for await (const event of stream) {
      types.push(event.type);
      assert.equal(event.sequence_number, sequence + 1, "sequence numbers run without a gap");
      sequence = event.sequence_number;
      if (event.type === "response.output_text.delta") deltas += event.delta;
    }
    const final = await stream.finalResponse();
    assert.equal(types[0], "response.created");
    assert.equal(types.at(-1), "response.incomplete");
    assert.equal(final.output_text, deltas);
    return { events: types.length };
  },
  async create_with_logprobs() {
    const response = await client.responses.create({
      model, input: "Once upon a time", max_output_tokens: 6, temperature: 0, include: ["message.output_text.logprobs"], top_logprobs: 2,
    });
    const [part] = response.output[0].content;
    assert.equal(part.logprobs.map((entry) => entry.token).join(""), part.text);
    for (const entry of part.logprobs) {
      assert.ok(entry.logprob <= 0);
      assert.equal(Buffer.from(entry.bytes).toString("utf8"), entry.token);
      assert.equal(entry.top_logprobs.length, 2);
      assert.equal(entry.top_logprobs[0].token, entry.token, "greedy: the most likely token");
    }
    return { tokens: part.logprobs.length };
  },
  async stream_with_logprobs() {
    const stream = client.responses.stream({
      model, input: "Once upon a time", max_output_tokens: 6, temperature: 0, include: ["message.output_text.logprobs"], top_logprobs: 1,
    });
    const streamed = [];
    stream.on("response.output_text.delta", (event) => { streamed.push(...event.logprobs); });
    const final = await stream.finalResponse();
    const [part] = final.output[0].content;
    assert.deepEqual(streamed.map((entry) => entry.token), part.logprobs.map((entry) => entry.token));
    assert.equal(streamed.map((entry) => entry.token).join(""), final.output_text);
    return { tokens: streamed.length };
  },
  async stream_function_call() {
    const stream = client.responses.stream(callBody);
    let argumentDeltas = "";
    stream.on("response.function_call_arguments.delta", (event) => { argumentDeltas += event.delta; });
    const final = await stream.finalResponse();
    assert.equal(final.status, "completed");
    const [call] = final.output;
    assertWeatherCall(call);
    assert.equal(call.arguments, argumentDeltas);
    return { arguments: call.arguments };
  },
};

for (const [name, run] of Object.entries(scenarios)) {
  try {
    console.log(JSON.stringify({ scenario: name, ok: true, ...(await run()) }));
  } catch (error) {
    console.log(JSON.stringify({ scenario: name, ok: false, error: String(error?.stack ?? error) }));
    process.exit(1);
  }
}
