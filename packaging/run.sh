#!/usr/bin/env bash
# On a fresh Debian 12 machine: installs what is missing, builds, and starts
# Hookline on the embedded SQLite default database.
#   packaging/run.sh                  the desktop application (or, without one, a CLI demo)
#   packaging/run.sh webhook list     hookline-cli with those arguments
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/install-deps.sh"
bin="$root/build/bin"

if [ $# -gt 0 ]; then
    "$root/packaging/build.sh" hookline-cli >&2
    exec "$bin/hookline-cli" "$@"
fi

"$root/packaging/build.sh" >&2
if [ -x "$bin/hookline" ]; then
    exec "$bin/hookline"
fi

# No desktop application in this build: show the CLI and a short demo on a
# throw-away database, so the user's own database is left alone.
"$bin/hookline-cli" --help
demo="$(mktemp -d)/demo.db"
cli() { echo "\$ hookline-cli $*"; "$bin/hookline-cli" --db "$demo" "$@"; echo; }
echo
echo "--- demo on $demo ---"
cli settings set allowInsecureUrls true
cli settings set allowPrivateAddresses true
cli webhook add --name "Lead sync" --url http://127.0.0.1:8080/hooks --events 'lead.*' --scheme standard
cli emit lead.created --data '{"id":"123e4567-e89b-12d3-a456-426614174000","nom":"Dupont","prenom":"Jean","statut":"nouveau"}'
cli deliveries
