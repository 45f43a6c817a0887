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

const options = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
for (const required of ['openclaw', 'momo', 'model', 'out']) {
  if (!options[required]) {
    console.error(`missing --${required}`);
    process.exit(2);
  }
}
const out = resolve(options.out);
const scenarios = (options.scenario ?? 'all') === 'all' ? ['exec', 'gateway'] : [options.scenario];
const turnSeconds = Number(options['turn-timeout'] ?? 900);
const notes = 'The peach came down the river.\n';

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

function run(file, args, { env, cwd, seconds }) {
  return new Promise(done => {
    const started = performance.now();
    const child = spawn(file, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; void kill(child); }, seconds * 1000);
    child.on('close', code => {
      clearTimeout(timer);
      done({ code: timedOut ? 124 : code, seconds: round((performance.now() - started) / 1000), stdout, stderr });
    });
  });
}

// The whole process group (OpenClaw starts workers of its own): SIGTERM, then SIGKILL after a grace period.
async function kill(child, graceSeconds = 15) {
  const signal = name => {
    try {
      process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise(r => child.once('exit', r));
    await Promise.race([exited, new Promise(r => setTimeout(r, graceSeconds * 1000))]);
  }
  signal('SIGKILL');
}

async function momoCounters() {
  const text = await (await fetch(`${options.momo}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  const sum = name => text.split('\n').filter(l => l.startsWith(name + '{') || l.startsWith(name + ' '))
    .reduce((total, l) => total + Number(l.trim().split(/\s+/).pop()), 0);
  return {
    requests: sum('request_success_total'),
    promptTokens: sum('prompt_tokens_total'),
    cachedTokens: sum('prompt_tokens_cached_total'),
  };
}

function delta(before, after) {
  const prompt = after.promptTokens - before.promptTokens;
  const cached = after.cachedTokens - before.cachedTokens;
  return { requests: after.requests - before.requests, promptTokens: prompt, cachedTokens: cached, cacheHitRate: prompt > 0 ? round(cached / prompt) : null };
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function round(x) {
  return Math.round(x * 1000) / 1000;
}

function prepare(name) {
  const dir = join(out, name);
  const workspace = join(dir, 'workspace');
  for (const d of [workspace, join(dir, 'home'), join(dir, 'state')]) {
    mkdirSync(d, { recursive: true });
  }
  writeFileSync(join(workspace, 'notes.txt'), notes);
  // HOME and the state folder are the run's own, so nothing of the user's ~/.openclaw is read or written.
  return { dir, workspace, env: { HOME: join(dir, 'home'), OPENCLAW_STATE_DIR: join(dir, 'state'), NO_COLOR: '1' } };
}

async function execScenario() {
  const { dir, workspace, env } = prepare('exec');
  const config = join(dir, 'openclaw.json');
  writeFileSync(config, JSON.stringify({ ...providerConfig(), agents: { defaults: agentDefaults(workspace) } }, null, 2));
  const before = await momoCounters();
  const result = await run(process.execPath, [options.openclaw, 'agent', 'exec', 'Read notes.txt and tell me what it says.',
    '--config', config, '--cwd', workspace, '--json', '--timeout', String(turnSeconds)], { env, cwd: workspace, seconds: turnSeconds + 60 });
  writeFileSync(join(dir, 'stdout.json'), result.stdout);
  writeFileSync(join(dir, 'stderr.log'), result.stderr);
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
    openclawUsage: envelope?.usage ?? null, momo: delta(before, await momoCounters()), checks, ok: Object.values(checks).every(Boolean),
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
  const { dir, workspace, env: base } = prepare('gateway');
  const port = await freePort();
  const token = `momo-e2e-${process.pid}`;
  const config = join(dir, 'openclaw.json');
  writeFileSync(config, JSON.stringify({
    gateway: { mode: 'local', port, bind: 'loopback', auth: { mode: 'token', token } },
    ...providerConfig(),
    agents: { defaults: agentDefaults(workspace) },
  }, null, 2));
  const env = { ...base, OPENCLAW_CONFIG_PATH: config, OPENCLAW_GATEWAY_TOKEN: token };
  const before = await momoCounters();
  const started = performance.now();
  const gateway = spawn(process.execPath, [options.openclaw, 'gateway', 'run', '--port', String(port), '--bind', 'loopback', '--auth', 'token', '--token', token],
    { env: { ...process.env, ...env }, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
    const turn = await run(process.execPath, [options.openclaw, 'agent', '--agent', 'main', '--message', message, '--json', '--timeout', String(turnSeconds)],
      { env, cwd: dir, seconds: turnSeconds + 60 });
    writeFileSync(join(dir, 'stdout.json'), turn.stdout);
    writeFileSync(join(dir, 'stderr.log'), turn.stderr);
    const envelope = parseJson(turn.stdout);
    // The subagent runs in the background after the parent's turn; its completion is announced to the parent,
    // which answers it (the gateway logs "run announce:… ended"). Wait for both.
    const sessions = async () => parseJson((await run(process.execPath, [options.openclaw, 'sessions', '--json'], { env, cwd: dir, seconds: 60 })).stdout)?.sessions ?? [];
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
      momo: delta(before, await momoCounters()), checks, ok: Object.values(checks).every(Boolean),
    };
  } finally {
    await kill(gateway);
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
writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2));
console.log(JSON.stringify(results));
process.exit(scenarios.every(s => results[s].ok) ? 0 : 1);
