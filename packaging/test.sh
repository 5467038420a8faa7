#!/usr/bin/env bash
# On a fresh Debian 12 machine: installs what is missing, builds, and runs
# every test through ctest. Its exit code is the tests'.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/install-deps.sh"
"$root/packaging/build.sh"
cd "$root/build"
ctest --output-on-failure --timeout 900 --parallel 2
