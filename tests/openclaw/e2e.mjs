// OpenClaw end to end against a running momo server (issue 12), run by run.sh with the Node 24 it installs.
//
//   node e2e.mjs --openclaw PATH/openclaw.mjs --momo http://127.0.0.1:PORT --model ID --out DIR [--scenario exec|gateway|all]
//
// exec:    `openclaw agent exec` in a fresh workspace holding notes.txt; the model must call `read`, OpenClaw runs it
//          and sends the result back, and the model answers in prose.
// gateway: a local gateway on loopback; one `openclaw agent` turn asks for a helper, the model spawns a subagent
//          (tool_call → sessions_spawn, OpenClaw's default tool surface), the subagent's own turns (read, then prose)
//          run on momo too, and the parent answers the completion announcement.
// Every step is time-bounded. Results (exit codes, wall times, requests momo served, prompt-cache hits from momo's
// /metrics) go to DIR/results.json; the process exits 0 only when every scenario passed.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import {
  childEnv, delta, finish, keep, kill, momoCounters, parseJson, parseOptions, prepare, round, run,
} from '../clients/lib.mjs';

const options = parseOptions(process.argv.slice(2), ['openclaw', 'momo', 'model', 'out']);
const out = resolve(options.out);
const scenarios = (options.scenario ?? 'all') === 'all' ? ['exec', 'gateway'] : [options.scenario];
const turnSeconds = Number(options['turn-timeout'] ?? 900);
// OpenClaw stops its workers more slowly than the agent clients stop theirs.
const graceSeconds = 15;

// The provider entry OpenClaw needs for momo (docs/openclaw.md shows the same). Temperature 0: greedy, so the
// forged agent family's choices are deterministic.
function providerConfig() {
  return {
    models: {
      providers: {
        momo: {
          baseUrl: `${options.momo}/v1`,
          apiKey: 'unused',
          api: 'openai-completions',
          models: [{
            id: options.model, name: 'momo-kibidango', reasoning: false, input: ['text'],
            cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, contextWindow: 32768, maxTokens: 256,
          }],
        },
      },
    },
  };
}

function agentDefaults(workspace) {
  return {
    workspace,
    skipBootstrap: true, // no AGENTS.md/SOUL.md/... written into the workspace and quoted into every prompt
    heartbeat: { every: '0m' }, // no background turns while the test waits
    model: { primary: `momo/${options.model}` },
    models: { [`momo/${options.model}`]: { params: { temperature: 0 } } },
    subagents: { maxSpawnDepth: 1 }, // the helper is a leaf: it reads, it does not spawn again
  };
}

// OpenClaw on this Node, with this process's whole environment plus env (the run's own HOME and state folder).
function openclaw(args, { env, cwd, seconds }) {
  return run(process.execPath, [options.openclaw, ...args], { env, cwd, seconds, inherit: true, graceSeconds });
}

function prepareRun(name) {
  const { dir, workspace, home } = prepare(out, name);
  const state = join(dir, 'state');
  mkdirSync(state, { recursive: true });
  // HOME and the state folder are the run's own, so nothing of the user's ~/.openclaw is read or written.
  return { dir, workspace, env: { HOME: home, OPENCLAW_STATE_DIR: state, NO_COLOR: '1' } };
}

async function execScenario() {
  const { dir, workspace, env } = prepareRun('exec');
  const config = join(dir, 'openclaw.json');
  writeFileSync(config, JSON.stringify({ ...providerConfig(), agents: { defaults: agentDefaults(workspace) } }, null, 2));
  const before = await momoCounters(options.momo);
  const result = await openclaw(['agent', 'exec', 'Read notes.txt and tell me what it says.',
    '--config', config, '--cwd', workspace, '--json', '--timeout', String(turnSeconds)], { env, cwd: workspace, seconds: turnSeconds + 60 });
  keep(dir, result, 'stdout.json');
  const envelope = parseJson(result.stdout);
  const tools = envelope?.toolSummary?.tools ?? [];
  const checks = {
    exitCode0: result.code === 0,
    calledRead: tools.includes('read'),
    answeredInProse: typeof envelope?.final === 'string' && envelope.final.includes('peach') && !envelope.final.includes('<tool_call>'),
  };
  return {
    command: `openclaw agent exec "Read notes.txt and tell me what it says." --config ${config} --cwd ${workspace} --json --timeout ${turnSeconds}`,
    exitCode: result.code, seconds: result.seconds, final: envelope?.final ?? null, tools, assistantTurns: envelope?.assistantTurns ?? null,
    openclawUsage: envelope?.usage ?? null, momo: delta(before, await momoCounters(options.momo)), checks, ok: Object.values(checks).every(Boolean),
  };
}

async function freePort() {
  return new Promise(done => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function until(predicate, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await predicate()) {
      return true;
    }
    await new Promise(r => setTimeout(r, 5000));
  }
  return false;
}

async function gatewayScenario() {
  const { dir, workspace, env: base } = prepareRun('gateway');
  const port = await freePort();
  const token = `momo-e2e-${process.pid}`;
  const config = join(dir, 'openclaw.json');
  writeFileSync(config, JSON.stringify({
    gateway: { mode: 'local', port, bind: 'loopback', auth: { mode: 'token', token } },
    ...providerConfig(),
    agents: { defaults: agentDefaults(workspace) },
  }, null, 2));
  const env = { ...base, OPENCLAW_CONFIG_PATH: config, OPENCLAW_GATEWAY_TOKEN: token };
  const before = await momoCounters(options.momo);
  const started = performance.now();
  const gateway = spawn(process.execPath, [options.openclaw, 'gateway', 'run', '--port', String(port), '--bind', 'loopback', '--auth', 'token', '--token', token],
    { env: childEnv(env, true), cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let gatewayLog = '';
  gateway.stdout.on('data', d => { gatewayLog += d; });
  gateway.stderr.on('data', d => { gatewayLog += d; });
  try {
    const up = await until(async () => {
      try {
        await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
        return true;
      } catch {
        return false;
      }
    }, 120);
    const gatewaySeconds = round((performance.now() - started) / 1000);
    if (!up) {
      return { exitCode: null, gatewaySeconds, error: 'gateway did not listen within 120 s', ok: false };
    }
    const message = 'Ask a helper to read notes.txt and tell me what it says.';
    const turn = await openclaw(['agent', '--agent', 'main', '--message', message, '--json', '--timeout', String(turnSeconds)],
      { env, cwd: dir, seconds: turnSeconds + 60 });
    keep(dir, turn, 'stdout.json');
    const envelope = parseJson(turn.stdout);
    // The subagent runs in the background after the parent's turn; its completion is announced to the parent,
    // which answers it (the gateway logs "run announce:… ended"). Wait for both.
    const sessions = async () => parseJson((await openclaw(['sessions', '--json'], { env, cwd: dir, seconds: 60 })).stdout)?.sessions ?? [];
    const waitStarted = performance.now();
    let children = [];
    let subagentDoneSeconds = null;
    const settled = await until(async () => {
      children = (await sessions()).filter(s => s.spawnedBy);
      if (subagentDoneSeconds === null && children.length > 0 && children.every(s => s.status === 'done')) {
        subagentDoneSeconds = round((performance.now() - started) / 1000);
      }
      return subagentDoneSeconds !== null && /run announce:\S+ ended with stopReason=stop/.test(gatewayLog);
    }, turnSeconds * 2);
    const meta = envelope?.result?.meta;
    const tools = meta?.toolSummary?.tools ?? [];
    const checks = {
      exitCode0: turn.code === 0,
      spawnedThroughToolCall: tools.includes('tool_call') && tools.includes('sessions_spawn'),
      subagentRanAndFinished: subagentDoneSeconds !== null && children.length === 1 && children[0].outputTokens > 0,
      parentAnsweredTheAnnouncement: settled,
      parentAnsweredInProse: (envelope?.result?.payloads ?? []).some(p => typeof p.text === 'string' && p.text.includes('peach')),
    };
    return {
      command: `openclaw gateway run --port ${port} --bind loopback --auth token --token …; openclaw agent --agent main --message "${message}" --json --timeout ${turnSeconds}`,
      exitCode: turn.code, gatewayStartSeconds: gatewaySeconds, turnSeconds: turn.seconds,
      subagentDoneAfterSeconds: subagentDoneSeconds, announceAnsweredAfterSeconds: settled ? round((performance.now() - started) / 1000) : null,
      waitedSeconds: round((performance.now() - waitStarted) / 1000),
      final: envelope?.result?.payloads?.map(p => p.text).join('\n') ?? null, tools,
      subagents: children.map(s => ({ key: s.key, status: s.status, inputTokens: s.inputTokens, outputTokens: s.outputTokens })),
      momo: delta(before, await momoCounters(options.momo)), checks, ok: Object.values(checks).every(Boolean),
    };
  } finally {
    await kill(gateway, graceSeconds);
    writeFileSync(join(dir, 'gateway.log'), gatewayLog);
  }
}

mkdirSync(out, { recursive: true });
const results = { openclaw: options.openclaw, momo: options.momo, model: options.model };
for (const name of scenarios) {
  console.error(`[openclaw-e2e] ${name}…`);
  results[name] = name === 'exec' ? await execScenario() : await gatewayScenario();
  console.error(`[openclaw-e2e] ${name}: ${results[name].ok ? 'ok' : 'FAILED'} ${JSON.stringify(results[name].checks)}`);
}
finish(out, results, scenarios);
