// What every client scenario needs: a bounded child process with its own environment, momo's counters, and a
// fresh scratch folder. Used by e2e.mjs.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What notes.txt says; every scenario's answer must come back with "peach". */
export const notes = 'The peach came down the river.\n';

/** Runs file with args, stdin closed, killed (with its process group) after `seconds`. Only PATH, HOME and the given
 *  variables reach the client, so nothing of the user's own keys or settings leaks into a run. */
export function run(file, args, { env, cwd, seconds }) {
  return new Promise(done => {
    const started = performance.now();
    const child = spawn(file, args, {
      cwd, env: { PATH: process.env.PATH, LANG: 'C.UTF-8', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
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

// The whole process group (both clients start helpers of their own): SIGTERM, then SIGKILL after a grace period.
async function kill(child, graceSeconds = 10) {
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

/** The JSON objects of a JSON-lines output (other lines skipped). */
export function jsonLines(text) {
  return text.split('\n').flatMap(line => {
    try {
      const value = JSON.parse(line);
      return value && typeof value === 'object' ? [value] : [];
    } catch {
      return [];
    }
  });
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
export function keep(dir, result) {
  writeFileSync(join(dir, 'stdout.log'), result.stdout);
  writeFileSync(join(dir, 'stderr.log'), result.stderr);
}
