#!/usr/bin/env bash
# Installs Debian's package PACKAGE when no BINARY (default: PACKAGE) is on PATH, and prints the binary's path.
# The tests that need a real peer program use it (prometheus, chromium). Idempotent; safe to run as root in CI.
set -euo pipefail
package=${1:?usage: ensure-debian-package.sh PACKAGE [BINARY]}
binary=${2:-$package}
if ! command -v "$binary" >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "$package" >/dev/null
fi
command -v "$binary"
