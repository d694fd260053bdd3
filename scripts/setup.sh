#!/usr/bin/env bash
# Prepares this machine for the tests and the server: system packages the tests drive
# (chromium for the browser test, redis-server for the multi-node test) and the FerretDB
# binary the embedded database launcher runs. Idempotent, and quick when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '[setup] %s\n' "$*"; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)

if ((${#missing[@]} == 0)); then
  step "system packages: chromium and redis-server present"
else
  if [[ $(id -u) -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    step "missing ${missing[*]}: run as root or install sudo, or install them yourself:" >&2
    step "  apt-get update && apt-get install -y chromium redis-server" >&2
    exit 1
  fi
  step "installing ${missing[*]} with apt-get"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium redis-server >/dev/null
  step "installed ${missing[*]}"
fi

if [[ -n "${MONGODB_URI:-}" ]]; then
  step "database: MONGODB_URI is set, skipping the FerretDB build"
else
  ferretdb=$(node scripts/ensure-ferretdb.mjs) # builds on first run, progress on stderr
  step "database: FerretDB at $ferretdb"
fi
