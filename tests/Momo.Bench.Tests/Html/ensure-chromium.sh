#!/usr/bin/env bash
# Installs Debian's chromium package when no chromium is on PATH (the HTML report test loads the page in it).
# Prints the binary's path. Idempotent; safe to run as root in CI.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
command -v chromium
