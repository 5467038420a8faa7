#!/usr/bin/env bash
# Installs the Debian packages listed in packaging/debian-packages.txt that are
# missing. Runs apt-get as root, or through sudo otherwise. Idempotent and quiet
# when everything is already there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

wanted=()
while read -r line; do
    pkg="${line%%#*}"
    pkg="${pkg//[[:space:]]/}"
    [ -n "$pkg" ] && wanted+=("$pkg")
done < "$here/debian-packages.txt"

missing=()
for pkg in "${wanted[@]}"; do
    case "$pkg" in
        # A machine may carry Node.js from another Debian repository, which
        # bundles npm and conflicts with Debian's npm package: the commands are
        # what we need, not the package names.
        nodejs) command -v node >/dev/null 2>&1 && continue ;;
        npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
