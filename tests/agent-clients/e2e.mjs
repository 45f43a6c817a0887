// Claude Code and Codex CLI end to end against a running momo server (issue 20), run by run.sh with the Node 24 it
// installs.
//
//   node e2e.mjs --claude PATH/claude --codex PATH/codex.js --momo http://127.0.0.1:PORT --model ID --out DIR
//                [--scenario basic|all|claude-all|codex-all|claude-read|codex-exec|claude-agent|codex-agent]
//                [--turn-timeout SECONDS]
//
// claude-read:  `claude -p` in a fresh folder holding notes.txt; the model must call Read, Claude Code runs it and
//               sends the result back, and the model answers in prose (num_turns ≥ 2).
// codex-exec:   `codex exec --json` likewise; the model must call exec_command (a command_execution item), then answer.
// claude-agent: asked to let a helper do it, the model calls Agent; the subagent's own turns (Read, then prose) run on
//               momo too, and the parent answers from the subagent's report.
// codex-agent:  asked to let a companion do it, the model calls multi_agent_v1's spawn_agent; the subagent's own turn
//               runs on momo too.
// Each client gets its own HOME (and CODEX_HOME), only loopback URLs, and a time limit. Results (exit codes, wall
// times, requests momo served, prompt-cache hits from momo's /metrics) go to DIR/results.json; the process exits 0
// only when every scenario passed.
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { delta, finish, jsonLines, keep, momoCounters, parseOptions, prepare, run } from '../clients/lib.mjs';

const options = parseOptions(process.argv.slice(2), ['claude', 'codex', 'momo', 'model', 'out']);
const out = resolve(options.out);
const turnSeconds = Number(options['turn-timeout'] ?? 900);
const sets = {
  basic: ['claude-read', 'codex-exec'], all: ['claude-read', 'codex-exec', 'claude-agent', 'codex-agent'],
  'claude-all': ['claude-read', 'claude-agent'], 'codex-all': ['codex-exec', 'codex-agent'],
};
const scenarios = sets[options.scenario ?? 'basic'] ?? [options.scenario];

// Claude Code reads its endpoint and key from the environment; everything it would fetch besides the model is off.
// A CPU prefills its first prompt for a minute or more before the first token: without the longer stream timeouts
// Claude Code abandons a request after 300 s and sends it again.
function claudeEnv(home) {
  const patience = String(Math.min(turnSeconds * 1000, 1_800_000));
  return {
    HOME: home, ANTHROPIC_BASE_URL: options.momo, ANTHROPIC_API_KEY: 'unused',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_MAX_OUTPUT_TOKENS: '1024',
    API_TIMEOUT_MS: patience, CLAUDE_STREAM_FIRST_BYTE_TIMEOUT_MS: patience, CLAUDE_STREAM_IDLE_TIMEOUT_MS: patience,
    CLAUDE_BYTE_STREAM_IDLE_TIMEOUT_MS: patience,
  };
}

async function claudeScenario(name, prompt, wantAgent) {
  const { dir, workspace, home } = prepare(out, name);
  // Only the tools the task needs, as docs/claude-code.md advises for a small local model: all twelve built-in tools'
  // schemas are 33k tokens of the agent family's vocabulary, Read alone 13k, which a CPU prefills in about a minute.
  const tools = wantAgent ? 'Read,Agent' : 'Read';
  const args = ['-p', prompt, '--model', options.model, '--tools', tools, '--output-format', 'stream-json', '--verbose'];
  const before = await momoCounters(options.momo);
  const result = await run(options.claude, args, { env: claudeEnv(home), cwd: workspace, seconds: turnSeconds });
  keep(dir, result);
  const events = jsonLines(result.stdout);
  const final = events.findLast(e => e.type === 'result') ?? null;
  // Every assistant message, the subagent's included (those carry parent_tool_use_id), lists its tool calls.
  const calls = events.filter(e => e.type === 'assistant').flatMap(e => (e.message?.content ?? [])
    .filter(b => b.type === 'tool_use').map(b => ({ name: b.name, input: b.input, bySubagent: e.parent_tool_use_id != null })));
  const momo = delta(before, await momoCounters(options.momo));
  const checks = {
    exitCode0: result.code === 0,
    succeeded: final?.subtype === 'success' && final?.is_error === false,
    calledRead: calls.some(c => c.name === 'Read' && c.bySubagent === wantAgent),
    answeredInProse: typeof final?.result === 'string' && final.result.includes('peach') && !final.result.includes('<tool_call>'),
    ...(wantAgent
      ? { calledAgent: calls.some(c => c.name === 'Agent' && !c.bySubagent), subagentCompleted: (final?.subagent_stats?.completed ?? 0) >= 1, momoServedBoth: momo.requests >= 4 }
      : { atLeastTwoTurns: (final?.num_turns ?? 0) >= 2 }),
  };
  return {
    command: `claude ${args.map(a => (a.includes(' ') ? JSON.stringify(a) : a)).join(' ')}`, exitCode: result.code, seconds: result.seconds,
    final: final?.result ?? null, numTurns: final?.num_turns ?? null, calls, claudeUsage: final?.usage ?? null, momo, checks,
    ok: Object.values(checks).every(Boolean),
  };
}

// Codex reads the provider from $CODEX_HOME/config.toml; the key's variable is named there. Its built-in instructions
// (17k characters) are replaced by a short file and the tools the task does not need are off, as docs/codex.md advises
// for a small local model: 26k prompt tokens of the agent family's vocabulary become 6k (13k with the subagent tools).
function codexConfig(home, wantAgent) {
  const codexHome = join(home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  const instructions = join(codexHome, 'instructions.md');
  writeFileSync(instructions, 'You are Codex, a coding agent in a terminal. Run commands to look at files, then answer the user briefly.\n');
  writeFileSync(join(codexHome, 'config.toml'), [
    `model = "${options.model}"`, 'model_provider = "momo"', 'approval_policy = "never"', 'sandbox_mode = "workspace-write"',
    `model_instructions_file = "${instructions}"`, '',
    '[features]', 'goals = false', `multi_agent = ${wantAgent}`, '',
    '[model_providers.momo]', 'name = "momo"', `base_url = "${options.momo}/v1"`, 'wire_api = "responses"', 'env_key = "MOMO_API_KEY"', '',
  ].join('\n'));
  return codexHome;
}

// Codex's rollouts of a thread (one JSON-lines file per thread, named with its id).
function rollout(codexHome, thread) {
  const root = join(codexHome, 'sessions');
  try {
    return readdirSync(root, { recursive: true }).map(String).filter(f => f.endsWith(`${thread}.jsonl`))
      .flatMap(f => jsonLines(readFileSync(join(root, f), 'utf8')));
  } catch {
    return [];
  }
}

function threadExists(codexHome, thread) {
  return rollout(codexHome, thread).some(l => l.type === 'session_meta');
}

async function codexScenario(name, prompt, wantAgent) {
  const { dir, workspace, home } = prepare(out, name);
  const codexHome = codexConfig(home, wantAgent);
  const args = ['exec', '--skip-git-repo-check', '--json', '-C', workspace, prompt];
  const before = await momoCounters(options.momo);
  const result = await run(process.execPath, [options.codex, ...args], {
    env: { HOME: home, CODEX_HOME: codexHome, MOMO_API_KEY: 'unused' }, cwd: workspace, seconds: turnSeconds,
  });
  keep(dir, result);
  const items = jsonLines(result.stdout).filter(e => e.type === 'item.completed').map(e => e.item);
  const commands = items.filter(i => i.type === 'command_execution');
  const spawns = items.filter(i => i.type === 'collab_tool_call' && i.tool === 'spawn_agent');
  const answer = items.filter(i => i.type === 'agent_message').map(i => i.text).join('\n');
  const momo = delta(before, await momoCounters(options.momo));
  const subagentThreads = spawns.flatMap(s => s.receiver_thread_ids ?? []);
  const checks = {
    exitCode0: result.code === 0,
    turnCompleted: jsonLines(result.stdout).some(e => e.type === 'turn.completed'),
    answeredInProse: answer.includes('peach') && !answer.includes('<tool_call>'),
    ...(wantAgent
      ? {
        spawnedThroughMultiAgent: spawns.some(s => s.status === 'completed') && subagentThreads.length === 1,
        // `codex exec` ends with the parent's turn; a subagent finishes first only if the parent waits (wait_agent
        // with the id spawn_agent returned), which the forged family cannot copy. Its first model call is the proof.
        subagentAskedMomo: momo.requests >= 3 && subagentThreads.length === 1 && threadExists(codexHome, subagentThreads[0]),
      }
      : { ranACommand: commands.some(c => c.exit_code === 0 && c.command.includes('notes.txt') && c.aggregated_output.includes('peach')) }),
  };
  return {
    command: `codex ${args.map(a => (a.includes(' ') ? JSON.stringify(a) : a)).join(' ')}`, exitCode: result.code, seconds: result.seconds,
    final: answer || null, commands: commands.map(c => ({ command: c.command, exitCode: c.exit_code })), subagentThreads,
    subagentCalls: subagentThreads.flatMap(t => rollout(codexHome, t)).filter(l => l.payload?.type === 'function_call').map(l => l.payload.name),
    codexUsage: jsonLines(result.stdout).findLast(e => e.type === 'turn.completed')?.usage ?? null, momo, checks,
    ok: Object.values(checks).every(Boolean),
  };
}

const runners = {
  'claude-read': () => claudeScenario('claude-read', 'Read notes.txt and tell me what it says.', false),
  'codex-exec': () => codexScenario('codex-exec', 'Read notes.txt and tell me what it says.', false),
  'claude-agent': () => claudeScenario('claude-agent', 'Ask a helper to read notes.txt and tell me what it says.', true),
  'codex-agent': () => codexScenario('codex-agent', 'Ask a companion to read notes.txt and tell me what it says.', true),
};
mkdirSync(out, { recursive: true });
const results = { claude: options.claude, codex: options.codex, momo: options.momo, model: options.model };
for (const name of scenarios) {
  if (!runners[name]) {
    console.error(`unknown scenario ${name}; use basic, all or one of ${Object.keys(runners).join(', ')}`);
    process.exit(2);
  }
  console.error(`[agent-clients-e2e] ${name}…`);
  results[name] = await runners[name]();
  console.error(`[agent-clients-e2e] ${name}: ${results[name].ok ? 'ok' : 'FAILED'} ${JSON.stringify(results[name].checks)}`);
}
finish(out, results, scenarios);
