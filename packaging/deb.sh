#!/usr/bin/env bash
# Builds the Debian package build/hookline_VERSION_ARCH.deb (CPack; its
# dependencies come from the programs through dpkg-shlibdeps).
#   packaging/deb.sh && sudo apt-get install ./build/hookline_*.deb
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/install-deps.sh"
"$root/packaging/build.sh" hookline hookline-cli hookline_man_pages >&2
cd "$root/build"
rm -f hookline_*.deb
cpack -G DEB >&2
ls "$root"/build/hookline_*.deb
