#!/usr/bin/env bash
# The release build, the one way: `cargo leptos build --release` with the wasm-opt this project
# pins (Binaryen for Node.js from scripts/binaryen, installed by setup.sh) ahead of whatever
# wasm-opt the machine has. Extra arguments go to cargo leptos (e.g. --frontend-only).
# Afterwards it checks that the optimized wasm still instantiates with its JS glue (the
# failure Debian's binaryen 108 caused: every page's hydration died on WebAssembly.Table.set).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/binaryen/node_modules/.bin:$PATH"
command -v wasm-opt | grep -q scripts/binaryen || { echo "build-release: run ./scripts/setup.sh first (wasm-opt from scripts/binaryen is missing)" >&2; exit 1; }
cargo leptos build --release "$@"
node scripts/check-wasm.mjs target/site/pkg
