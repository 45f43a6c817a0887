#!/usr/bin/env bash
# Claude Code and Codex CLI end to end against momo (issue 20; docs/claude-code.md, docs/codex.md).
#
#   tests/agent-clients/run.sh [--scenario basic|all|claude-all|codex-all|SCENARIO] [--out DIR]
#                              [--momo URL --model ID]
#
# Installs Claude Code and Codex CLI from npm at pinned versions into a cache folder outside the repository
# (MOMO_AGENT_CLIENTS_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/momo/agent-clients), reused between runs; both
# ship native linux-x64 binaries in optional packages. Without --momo it starts a momo server on loopback serving the
# forged agent family (Momo:DemoFamily=agent, a 32k context, flash attention off: see docs/claude-code.md) and stops it
# afterwards. Then runs
# tests/agent-clients/e2e.mjs with the Node that came with npm, which writes DIR/results.json (exit codes, wall
# times, requests, prompt cache hits) and exits 0 only when every scenario passed. "basic" is the two one-agent
# scenarios; "all" adds the two subagent ones. Every step is time-bounded.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
claude_version=2.1.328
codex_version=0.169.0
cache=${MOMO_AGENT_CLIENTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/momo/agent-clients}
scenario=basic out= momo= model=
while [ $# -gt 0 ]; do
  case $1 in
    --scenario) scenario=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --momo) momo=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
out=${out:-$(mktemp -d -t momo-agent-clients-XXXXXX)}
mkdir -p "$out"
command -v node >/dev/null || { echo "node (18 or later) is needed to drive the clients" >&2; exit 2; }

claude=$cache/node_modules/@anthropic-ai/claude-code-linux-x64/claude
codex=$cache/node_modules/@openai/codex/bin/codex.js
installed() { # the cached copy matches both pinned versions, native packages included
  [ -x "$claude" ] && [ -f "$codex" ] &&
    grep -q "\"version\": \"$claude_version\"" "$cache/node_modules/@anthropic-ai/claude-code-linux-x64/package.json" 2>/dev/null &&
    grep -q "\"version\": \"$codex_version\"" "$cache/node_modules/@openai/codex/package.json" 2>/dev/null &&
    [ -d "$cache/node_modules/@openai/codex-linux-x64/vendor" ]
}
if ! installed; then
  command -v npm >/dev/null || { echo "npm is needed once, to install the clients into $cache" >&2; exit 2; }
  [ "$(uname -sm)" = "Linux x86_64" ] || { echo "the pinned native packages are linux-x64 (glibc)" >&2; exit 2; }
  mkdir -p "$cache"
  [ -f "$cache/package.json" ] || echo '{ "private": true }' > "$cache/package.json"
  echo "installing @anthropic-ai/claude-code@$claude_version and @openai/codex@$codex_version into $cache" >&2
  # No install scripts: Claude Code's postinstall only copies the native binary over its bin stub; the binary is
  # run from its platform package instead. The platform packages are named so npm never skips them.
  timeout 900 npm install --prefix "$cache" --no-audit --no-fund --ignore-scripts --loglevel=error \
    "@anthropic-ai/claude-code@$claude_version" "@anthropic-ai/claude-code-linux-x64@$claude_version" \
    "@openai/codex@$codex_version" "@openai/codex-linux-x64@npm:@openai/codex@$codex_version-linux-x64" >&2
  installed || { echo "the install into $cache is incomplete" >&2; exit 1; }
fi

server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap stop_server EXIT
if [ -z "$momo" ]; then
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  momo=http://127.0.0.1:$port
  model=momo-agent
  echo "starting momo (agent family) on $momo; log: $out/momo.log" >&2
  timeout 600 dotnet build "$root/src/Momo.Server" -c Debug -v q -nologo >&2
  # The server itself (not `dotnet run`), so that stopping this pid stops it.
  # Flash attention off and 2,048-token prefill steps: on a CPU the family's narrow heads prefill ten times faster so.
  ASPNETCORE_URLS=$momo Momo__ModelId=$model Momo__DemoFamily=agent Momo__ContextSize=32768 Momo__MaxSequences=2 \
    Momo__FlashAttention=Disabled Momo__PrefillTokensPerStep=2048 \
    dotnet "$root/src/Momo.Server/bin/Debug/net10.0/Momo.Server.dll" > "$out/momo.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -sf "$momo/health" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { echo "momo exited; see $out/momo.log" >&2; exit 1; }
    sleep 1
  done
  curl -sf "$momo/health" >/dev/null || { echo "momo was not ready within 300 s; see $out/momo.log" >&2; exit 1; }
fi
: "${model:?--model is needed with --momo}"
echo "results: $out/results.json" >&2
node "$root/tests/agent-clients/e2e.mjs" --claude "$claude" --codex "$codex" --momo "$momo" --model "$model" --out "$out" --scenario "$scenario"
