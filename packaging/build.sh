#!/usr/bin/env bash
# Configures and builds Hookline into build/. Extra arguments are build targets.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
generator=()
command -v ninja >/dev/null 2>&1 && [ ! -f "$root/build/Makefile" ] && generator=(-G Ninja)
cmake -S "$root" -B "$root/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$root/build" --parallel "$(nproc)" "${targets[@]}"
