#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a throw-away GNOME
# Keyring (Secret Service) unlocked in it, HOME in a temporary directory: the
# keychain tests then store master keys in a keyring nobody else sees.
#
#   with_keyring.sh COMMAND [ARGS...]
#
# When no keyring can be started here, prints why and exits 77, which ctest
# reports as skipped (SKIP_RETURN_CODE). Debian packages: dbus (dbus-run-session),
# gnome-keyring.
set -uo pipefail

if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
    echo "with_keyring: SKIP: dbus-run-session or gnome-keyring-daemon is not installed"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/.local/share" XDG_CONFIG_HOME="$tmp/home/.config"
export XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# Inside the session: unlock a fresh login keyring with a throw-away password,
# check that it answers, then run the command.
inner='
eval "$(printf throwaway | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
for _ in 1 2 3 4 5 6 7 8 9 10; do
    if dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
        org.freedesktop.DBus.Peer.Ping >/dev/null 2>&1; then
        exec "$@"
    fi
    sleep 0.3
done
echo "with_keyring: SKIP: the Secret Service did not answer on the private session bus"
exit 77
'
exec timeout 120 dbus-run-session -- bash -c "$inner" with_keyring "$@" 2> >(grep -v "Failed to set fd limit" >&2)
