#!/usr/bin/env bash
# Installs Debian's prometheus package when no prometheus binary is on PATH (the real-Prometheus test needs one).
# Prints the binary's path. Idempotent; safe to run as root in CI.
set -euo pipefail
if ! command -v prometheus >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
command -v prometheus
