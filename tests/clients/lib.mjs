// What every real-client scenario needs: its command-line options, a bounded child process, momo's counters, JSON
// helpers and a fresh scratch folder. Imported by tests/openclaw/e2e.mjs and tests/agent-clients/e2e.mjs.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What notes.txt says; every scenario's answer must come back with "peach". */
export const notes = 'The peach came down the river.\n';

/** `--name value` pairs of the command line; exits 2 naming the first required option that is missing. */
export function parseOptions(argv, required) {
  const options = Object.fromEntries(argv.reduce((pairs, arg, i, all) =>
    arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
  for (const name of required) {
    if (!options[name]) {
      console.error(`missing --${name}`);
      process.exit(2);
    }
  }
  return options;
}

/** A child's environment: by default only PATH, LANG, NO_COLOR and the given variables, so nothing of the user's own
 *  keys or settings leaks into a run; with `inherit`, this process's whole environment plus the given variables. */
export function childEnv(env, inherit = false) {
  return inherit ? { ...process.env, ...env } : { PATH: process.env.PATH, LANG: 'C.UTF-8', NO_COLOR: '1', ...env };
}

/** Runs file with args, stdin closed, killed (with its process group) after `seconds`; see childEnv for `inherit`. */
export function run(file, args, { env, cwd, seconds, inherit = false, graceSeconds = 10 }) {
  return new Promise(done => {
    const started = performance.now();
    const child = spawn(file, args, { cwd, env: childEnv(env, inherit), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; void kill(child, graceSeconds); }, seconds * 1000);
    child.on('close', code => {
      clearTimeout(timer);
      done({ code: timedOut ? 124 : code, seconds: round((performance.now() - started) / 1000), stdout, stderr });
    });
  });
}

/** Stops a child started detached, with its whole process group (the clients start helpers and workers of their own):
 *  SIGTERM, then SIGKILL after a grace period. */
export async function kill(child, graceSeconds = 10) {
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

/** momo's process-wide counters from /metrics, summed over their labels. */
export async function momoCounters(momo) {
  const text = await (await fetch(`${momo}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  const sum = name => text.split('\n').filter(l => l.startsWith(name + '{') || l.startsWith(name + ' '))
    .reduce((total, l) => total + Number(l.trim().split(/\s+/).pop()), 0);
  return {
    requests: sum('request_success_total'),
    promptTokens: sum('prompt_tokens_total'),
    cachedTokens: sum('prompt_tokens_cached_total'),
  };
}

/** What momo served between two readings, with the share of prompt tokens that came from its prefix cache. */
export function delta(before, after) {
  const prompt = after.promptTokens - before.promptTokens;
  const cached = after.cachedTokens - before.cachedTokens;
  return { requests: after.requests - before.requests, promptTokens: prompt, cachedTokens: cached, cacheHitRate: prompt > 0 ? round(cached / prompt) : null };
}

/** The value of a JSON text, or null where it is not JSON. */
export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The JSON objects of a JSON-lines output (other lines skipped). */
export function jsonLines(text) {
  return text.split('\n').map(parseJson).filter(value => value && typeof value === 'object');
}

export function round(x) {
  return Math.round(x * 1000) / 1000;
}

/** A scenario's folder: workspace/notes.txt and an empty home of its own. */
export function prepare(out, name) {
  const dir = join(out, name);
  const workspace = join(dir, 'workspace');
  const home = join(dir, 'home');
  for (const d of [workspace, home]) {
    mkdirSync(d, { recursive: true });
  }
  writeFileSync(join(workspace, 'notes.txt'), notes);
  return { dir, workspace, home };
}

/** Keeps a run's output beside its results. */
export function keep(dir, result, stdoutName = 'stdout.log') {
  writeFileSync(join(dir, stdoutName), result.stdout);
  writeFileSync(join(dir, 'stderr.log'), result.stderr);
}

/** Writes the results to OUT/results.json and prints them; exits 0 only when every scenario passed. */
export function finish(out, results, scenarios) {
  writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2));
  console.log(JSON.stringify(results));
  process.exit(scenarios.every(s => results[s].ok) ? 0 : 1);
}
