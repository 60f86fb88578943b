#!/usr/bin/env bash
# Install what this machine lacks to build (and with --test, to test; with --bench, to
# benchmark) the portal. Everything is skipped when already present, so it is cheap to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
want_bench=false
for arg in "$@"; do
  case "$arg" in
    --test) want_test=true ;;
    --bench) want_bench=true ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# System packages (Debian).
apt_pkgs=()
dpkg -s libpq-dev >/dev/null 2>&1 || apt_pkgs+=(libpq-dev)
command -v pkg-config >/dev/null || apt_pkgs+=(pkg-config)
# Node.js runs the pinned wasm-opt (scripts/binaryen) for every release build.
command -v node >/dev/null || apt_pkgs+=(nodejs npm)
if $want_test; then
  command -v chromium >/dev/null || apt_pkgs+=(chromium)
  command -v psql >/dev/null || apt_pkgs+=(postgresql-client)
  command -v python3 >/dev/null || apt_pkgs+=(python3)
  # The application-form test reads the PDF back and checks its structure.
  command -v pdftotext >/dev/null || apt_pkgs+=(poppler-utils)
  command -v qpdf >/dev/null || apt_pkgs+=(qpdf)
fi
if $want_bench; then
  command -v wrk >/dev/null || apt_pkgs+=(wrk)
  command -v curl >/dev/null || apt_pkgs+=(curl)
fi
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  echo "setup: installing ${apt_pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_pkgs[@]}" >/dev/null
fi

# Rust: the wasm target, cargo-leptos and the wasm-bindgen CLI matching Cargo.lock.
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
if ! cargo leptos --version >/dev/null 2>&1; then
  echo "setup: installing cargo-leptos (about 20 minutes, once per machine)"
  cargo install cargo-leptos --locked --version 0.3.10
fi
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb_version\$"; then
  echo "setup: installing wasm-bindgen-cli $wb_version"
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

# wasm-opt for the release build: Binaryen's Node.js build, pinned (Debian's binaryen 108
# mis-optimizes what Rust 1.95 emits). scripts/build-release.sh puts it first on PATH.
if [ ! -x scripts/binaryen/node_modules/.bin/wasm-opt ] || [ scripts/binaryen/package-lock.json -nt scripts/binaryen/node_modules/.package-lock.json ]; then
  (cd scripts/binaryen && npm ci --no-audit --no-fund)
fi

# The storage test's S3-compatible API server (moto), and the API fuzzer (schemathesis, with
# pyotp for the admin's second factor).
if $want_test && ! python3 -c 'import moto.server' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check 'moto[server]==5.2.1'
fi
if $want_test && ! python3 -c 'import schemathesis.cli' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
fi
# Signing staff in from scripts (the fuzzer, the benchmarks) computes TOTP codes with pyotp.
if { $want_test || $want_bench; } && ! python3 -c 'import pyotp' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check 'pyotp==2.9.0'
fi

# Browser tests: Playwright (driving the system Chromium; it never downloads a browser).
if $want_test; then
  if [ ! -d e2e/node_modules/@playwright/test ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
    (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
