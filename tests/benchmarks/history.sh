#!/usr/bin/env bash
# Opens the delivery history of a webhook with 1 000 000 deliveries (or $1) and
# scrolls to its end, timing the window's model beside the raw SQL it uses.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/packaging/build.sh" hookline-history-benchmark >/dev/null
"$root/build/tests/hookline-history-benchmark" "${1:-1000000}"
