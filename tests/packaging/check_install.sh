#!/usr/bin/env bash
# What `cmake --install` lays out, checked the way a distribution would:
# every file in its place, the .desktop file, the AppStream metainfo, both
# man pages and the systemd unit through their validators, the maintainer
# scripts' syntax, and the installed programs running from their paths.
#   check_install.sh BUILD_DIR
set -euo pipefail
build="$1"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

DESTDIR="$root" cmake --install "$build" --prefix /usr >/dev/null
id=org.hookline.Hookline
for f in usr/bin/hookline usr/bin/hookline-cli \
         usr/share/man/man1/hookline.1 usr/share/man/man1/hookline-cli.1 \
         usr/share/applications/$id.desktop usr/share/metainfo/$id.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/$id.svg \
         usr/share/icons/hicolor/16x16/apps/$id.png usr/share/icons/hicolor/256x256/apps/$id.png \
         usr/share/hookline/catalogs/crm.json usr/lib/systemd/system/hookline.service; do
    [ -e "$root/$f" ] || fail "cmake --install did not install /$f"
done
# No test, benchmark or library gets installed.
extra="$(cd "$root" && find . -type f | grep -vE '^\./usr/(bin/hookline(-cli)?|share/(man|applications|metainfo|icons|hookline)/.*|lib/systemd/system/hookline\.service)$' || true)"
[ -z "$extra" ] || fail "unexpected installed files: $extra"
readelf -d "$root/usr/bin/hookline-cli" | grep -qE 'RPATH|RUNPATH' && fail "hookline-cli is installed with an RPATH"

desktop-file-validate "$root/usr/share/applications/$id.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net "$root/usr/share/metainfo/$id.metainfo.xml" || fail "appstreamcli validate"

for page in hookline hookline-cli; do
    warnings="$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$root/usr/share/man/man1/$page.1" 2>&1 >/dev/null)"
    [ -z "$warnings" ] || fail "man --warnings on $page.1: $warnings"
done
# Every command word of the help is in the man page (one table drives both).
for word in $("$root/usr/bin/hookline-cli" --help | sed -n 's/^  \([a-z][a-z-]*\).*/\1/p' | sort -u); do
    grep -qF ".B ${word//-/\\-}" "$root/usr/share/man/man1/hookline-cli.1" || fail "hookline-cli.1 lacks the command $word"
done

# systemd-analyze needs the program where ExecStart names it: the same unit,
# pointed at the installed copy. Any complaint fails (it exits 0 on some).
unit="$root/hookline.service"
sed "s|^ExecStart=/usr/bin/hookline-cli|ExecStart=$root/usr/bin/hookline-cli|" "$root/usr/lib/systemd/system/hookline.service" > "$unit"
complaints="$(MANPATH="$root/usr/share/man" SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "$unit" 2>&1)" || fail "systemd-analyze verify: $complaints"
[ -z "$complaints" ] || fail "systemd-analyze verify: $complaints"

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
for script in postinst prerm postrm; do
    sh -n "$src/packaging/debian/$script" || fail "packaging/debian/$script does not parse"
done

version="$("$root/usr/bin/hookline-cli" --version)"
[[ "$version" == "hookline-cli "* ]] || fail "installed hookline-cli --version said: $version"
db="$root/smoke.db"
HOOKLINE_MASTER_KEY="$(head -c 32 /dev/urandom | base64)" "$root/usr/bin/hookline-cli" --db "$db" settings list >/dev/null \
    || fail "installed hookline-cli could not open a new database"
"$root/usr/bin/hookline" --man | grep -q '^\.SH OPTIONS' || fail "installed hookline --man"
echo "install layout, validators and installed programs: ok"
