#!/usr/bin/env bash
# End-to-end accessibility test: the real Hookline window under Xvfb, on a real
# AT-SPI bus, driven by tests/atspi/window_test.py the way a screen reader
# user would (names, descriptions, roles, states, actions).
#
#   run_window_test.sh PATH/TO/hookline PATH/TO/hookline-cli
#
# Everything lives in a temporary directory and a private D-Bus session:
# Xvfb on a free display picked at random from :100-:199, a loopback HTTP receiver,
# a fresh SQLite database seeded with hookline-cli, at-spi2-core's bus
# launcher, then hookline and the python test. HOME and the XDG directories
# point into the temporary directory, so no user settings leak in. The exit
# code is the python test's; every failure of the harness itself prints one
# line starting with "atspi_window: FAIL:". The run stops by itself within
# about two minutes, and every process it started is ended on exit.
#
# Optional environment:
#   HOOKLINE_ATSPI_SCREENSHOT=FILE  a screenshot of the screen at the end (PNG)
#   HOOKLINE_ATSPI_ARTIFACTS=DIR    keep the logs and the tree dumps there
#
# Debian packages: xvfb, dbus-daemon (dbus-run-session), dbus-bin (dbus-send),
# at-spi2-core, python3-pyatspi; imagemagick for the screenshot.
set -uo pipefail

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
here="$(dirname "$self")"
PYTHON=/usr/bin/python3          # Debian's python, where python3-pyatspi lives (not a pyenv one)
TOTAL_LIMIT=115                  # seconds for the whole run, cleanup included

fail() {
    echo "atspi_window: FAIL: $*"
    exit 1
}

elapsed() { echo "$((SECONDS - ${1:-0}))"; }

# ------------------------------------------------------------------ inside the private D-Bus session
# Run as: dbus-run-session -- run_window_test.sh --in-session (environment from the outer part).
if [ "${1:-}" = "--in-session" ]; then
    tmp="$HOOKLINE_ATSPI_TMP"
    session_start=$SECONDS
    launcher_pid="" app_pid=""
    stop_session() {
        for pid in $app_pid $launcher_pid; do
            kill -TERM "$pid" 2>/dev/null
        done
        for _ in $(seq 50); do
            local running=0
            for pid in $app_pid $launcher_pid; do
                kill -0 "$pid" 2>/dev/null && running=1
            done
            [ $running -eq 0 ] && break
            sleep 0.1
        done
        for pid in $app_pid $launcher_pid; do
            kill -KILL "$pid" 2>/dev/null
        done
        wait 2>/dev/null
    }
    trap stop_session EXIT
    trap 'exit 143' TERM INT HUP

    # The AT-SPI bus: a dbus-daemon of its own, found through org.a11y.Bus on
    # the session bus (and through the AT_SPI_BUS property of the X root window).
    # GSettings in memory: the launcher reads its keys, and dconf would be
    # activated on the session bus for nothing.
    export GSETTINGS_BACKEND=memory
    "$HOOKLINE_ATSPI_LAUNCHER" --launch-immediately >"$tmp/at-spi-bus-launcher.log" 2>&1 &
    launcher_pid=$!
    t0=$SECONDS
    address=""
    # Ask the bus daemon whether the name is owned yet (NameHasOwner): a call to
    # org.a11y.Bus itself before that would make the session bus start a second
    # launcher through D-Bus activation.
    for _ in $(seq 150); do
        if dbus-send --session --print-reply=literal --reply-timeout=1000 --dest=org.freedesktop.DBus \
               /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.a11y.Bus 2>/dev/null | grep -q true; then
            address="$(dbus-send --session --print-reply=literal --reply-timeout=2000 --dest=org.a11y.Bus \
                       /org/a11y/bus org.a11y.Bus.GetAddress 2>/dev/null)" && [ -n "$address" ] && break
            address=""
        fi
        kill -0 "$launcher_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$address" ]; then
        echo "atspi_window: FAIL: the AT-SPI bus did not come up within 15 s (at-spi-bus-launcher: $(tail -n 3 "$tmp/at-spi-bus-launcher.log" | tr '\n' ' '))"
        exit 1
    fi
    echo "atspi_window: AT-SPI bus up after $(elapsed "$t0") s at ${address//[[:space:]]/}"
    # Tell toolkits that read org.a11y.Status (Qt does, unless ALWAYS_ON) that a screen reader is there.
    dbus-send --session --print-reply --dest=org.a11y.Bus /org/a11y/bus org.freedesktop.DBus.Properties.Set \
        string:org.a11y.Status string:IsEnabled variant:boolean:true >/dev/null 2>&1 ||
        echo "atspi_window: note: could not set org.a11y.Status.IsEnabled (QT_LINUX_ACCESSIBILITY_ALWAYS_ON covers it)"

    # Qt's AT-SPI bridge: on always, whatever org.a11y.Status says; the xcb platform (a real X window).
    export QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 QT_ACCESSIBILITY=1 QT_QPA_PLATFORM=xcb
    unset NO_AT_BRIDGE QT_QPA_PLATFORMTHEME HOOKLINE_DB
    "$HOOKLINE_ATSPI_APP" --db "$tmp/hookline.sqlite" --lang en >"$tmp/hookline.log" 2>&1 &
    app_pid=$!
    echo "atspi_window: hookline started (pid $app_pid)"

    # What is left of the session's time, less 10 s to stop the application and take the screenshot.
    test_limit=$((HOOKLINE_ATSPI_SESSION_LIMIT - (SECONDS - session_start) - 10))
    HOOKLINE_ATSPI_APP_PID=$app_pid timeout -k 3 "$test_limit" "$PYTHON" "$here/window_test.py"
    rc=$?
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        echo "atspi_window: FAIL: the python test did not finish within $test_limit s"
        rc=1
    fi
    if ! kill -0 "$app_pid" 2>/dev/null; then
        wait "$app_pid"
        echo "atspi_window: FAIL: hookline exited during the test (status $?); its log ends with:"
        tail -n 20 "$tmp/hookline.log" | sed 's/^/    /'
        [ $rc -eq 0 ] && rc=1
    elif [ $rc -eq 2 ]; then
        echo "atspi_window: hookline's log ends with:"
        tail -n 20 "$tmp/hookline.log" | sed 's/^/    /'
    fi
    if [ -n "${HOOKLINE_ATSPI_SCREENSHOT:-}" ]; then
        if timeout 5 import -display "$DISPLAY" -window root "$HOOKLINE_ATSPI_SCREENSHOT" 2>"$tmp/import.log"; then
            echo "atspi_window: screenshot written to $HOOKLINE_ATSPI_SCREENSHOT"
        else
            echo "atspi_window: FAIL: could not take the screenshot: $(head -n 2 "$tmp/import.log" | tr '\n' ' ')"
            [ $rc -eq 0 ] && rc=1
        fi
    fi
    exit $rc
fi

# ------------------------------------------------------------------ outside: checks, temp dir, X, receiver, database
[ $# -eq 2 ] || { echo "usage: $0 PATH/TO/hookline PATH/TO/hookline-cli" >&2; exit 2; }
app="$1" cli="$2"
[ -x "$app" ] || fail "hookline is not an executable file: $app"
[ -x "$cli" ] || fail "hookline-cli is not an executable file: $cli"
app="$(cd "$(dirname "$app")" && pwd)/$(basename "$app")"
cli="$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")"

need() { # command, Debian package
    command -v "$1" >/dev/null 2>&1 || fail "missing $1: install the Debian package $2"
}
need Xvfb xvfb
need dbus-run-session dbus-daemon
need dbus-send dbus-bin
need timeout coreutils
[ -x "$PYTHON" ] || fail "missing $PYTHON: install the Debian package python3"
"$PYTHON" -c 'import pyatspi' 2>/dev/null || fail "python3 cannot import pyatspi: install the Debian package python3-pyatspi"
launcher=""
for candidate in /usr/libexec/at-spi-bus-launcher /usr/lib/at-spi2-core/at-spi-bus-launcher; do
    [ -x "$candidate" ] && { launcher="$candidate"; break; }
done
if [ -z "$launcher" ] && command -v dpkg >/dev/null 2>&1; then
    launcher="$(dpkg -L at-spi2-core 2>/dev/null | grep '/at-spi-bus-launcher$' | head -n 1)"
fi
[ -n "$launcher" ] && [ -x "$launcher" ] || fail "missing at-spi-bus-launcher: install the Debian package at-spi2-core"
if [ -n "${HOOKLINE_ATSPI_SCREENSHOT:-}" ]; then
    need import imagemagick
    HOOKLINE_ATSPI_SCREENSHOT="$(cd "$(dirname "$HOOKLINE_ATSPI_SCREENSHOT")" 2>/dev/null && pwd)/$(basename "$HOOKLINE_ATSPI_SCREENSHOT")" ||
        fail "the folder of HOOKLINE_ATSPI_SCREENSHOT does not exist"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hookline-atspi.XXXXXX")" || fail "cannot create a temporary directory"
xvfb_pid="" receiver_pid="" session_pid=""

# Every process started here carries this variable, also those that D-Bus
# activation or the bus launcher start in turn: the last sweep of the cleanup
# ends exactly those, by process id.
export HOOKLINE_ATSPI_RUN="$tmp"

# Sets the array `marked` to the processes carrying that variable (this shell excepted).
collect_marked() {
    marked=()
    local dir pid v vars
    for dir in /proc/[0-9]*; do
        pid="${dir#/proc/}"
        [ "$pid" = "$$" ] && continue
        vars=()
        mapfile -d '' -t vars 2>/dev/null <"$dir/environ" || continue
        for v in "${vars[@]}"; do
            if [ "$v" = "HOOKLINE_ATSPI_RUN=$tmp" ]; then
                marked+=("$pid")
                break
            fi
        done
    done
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM HUP
    # The session runs in a process group of its own (timeout makes one).
    [ -n "$session_pid" ] && kill -TERM -- "-$session_pid" 2>/dev/null
    for pid in $receiver_pid $xvfb_pid; do
        kill -TERM "$pid" 2>/dev/null
    done
    for _ in $(seq 30); do
        collect_marked
        [ ${#marked[@]} -eq 0 ] && break
        sleep 0.1
    done
    if [ ${#marked[@]} -gt 0 ]; then
        echo "atspi_window: killing what is still running: $(ps -o pid=,comm= -p "$(IFS=,; echo "${marked[*]}")" 2>/dev/null | tr -s ' \n' ' ')"
        kill -KILL "${marked[@]}" 2>/dev/null
        sleep 0.2
    fi
    wait 2>/dev/null
    if [ -n "${HOOKLINE_ATSPI_ARTIFACTS:-}" ]; then
        mkdir -p "$HOOKLINE_ATSPI_ARTIFACTS" &&
            cp "$tmp"/*.log "$tmp"/tree-*.txt "$HOOKLINE_ATSPI_ARTIFACTS"/ 2>/dev/null
        echo "atspi_window: logs and tree dumps kept in $HOOKLINE_ATSPI_ARTIFACTS"
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

start=$SECONDS
mkdir -p "$tmp/home/.config" "$tmp/home/.local/share" "$tmp/home/.cache" "$tmp/runtime"
chmod 700 "$tmp/runtime"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share" \
       XDG_CACHE_HOME="$tmp/home/.cache" XDG_RUNTIME_DIR="$tmp/runtime" LC_ALL=C.UTF-8
unset DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS SESSION_MANAGER

# X: a display :100-:199 that looks free (no socket, no lock), picked at random;
# another one if Xvfb still finds it taken. Xvfb writes the number to fd 3 once
# it accepts clients.
display=""
for _ in $(seq 10); do
    n=$((100 + RANDOM % 100))
    [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] && continue
    : >"$tmp/display"
    Xvfb ":$n" -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp -noreset 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 100); do
        grep -q '^[0-9][0-9]*$' "$tmp/display" 2>/dev/null && break
        kill -0 "$xvfb_pid" 2>/dev/null || break
        sleep 0.1
    done
    if grep -q '^[0-9][0-9]*$' "$tmp/display" 2>/dev/null; then
        display=":$n"
        break
    fi
    kill -KILL "$xvfb_pid" 2>/dev/null
    wait "$xvfb_pid" 2>/dev/null
    xvfb_pid=""
done
[ -n "$display" ] || fail "Xvfb did not start on a free display :100-:199 (10 tries): $(tail -n 3 "$tmp/xvfb.log" | tr '\n' ' ')"
export DISPLAY="$display"
echo "atspi_window: Xvfb on $DISPLAY"

# The receiver: 200 "ok" to every POST, one line per request in requests.log.
"$PYTHON" - "$tmp/receiver.port" "$tmp/requests.log" >"$tmp/receiver.log" 2>&1 <<'EOF' &
import http.server, os, sys
port_file, log_file = sys.argv[1], sys.argv[2]

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with open(log_file, "a", encoding="utf-8") as f:
            f.write(f"POST {self.path} {len(body)} bytes {self.headers.get('Content-Type', '')}\n")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, fmt, *args):
        sys.stderr.write("receiver: " + (fmt % args) + "\n")

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".new", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".new", port_file)
server.serve_forever()
EOF
receiver_pid=$!
for _ in $(seq 50); do
    [ -s "$tmp/receiver.port" ] && break
    kill -0 "$receiver_pid" 2>/dev/null || break
    sleep 0.1
done
[ -s "$tmp/receiver.port" ] || fail "the loopback receiver did not start: $(tail -n 3 "$tmp/receiver.log" | tr '\n' ' ')"
port="$(cat "$tmp/receiver.port")"
: >"$tmp/requests.log"
echo "atspi_window: receiver on 127.0.0.1:$port"

# A fresh database: loopback http allowed, one webhook to the receiver.
db="$tmp/hookline.sqlite"
cli_run() {
    if ! timeout 15 "$cli" --db "$db" "$@" >>"$tmp/cli.log" 2>&1; then
        fail "hookline-cli $* failed: $(tail -n 3 "$tmp/cli.log" | tr '\n' ' ')"
    fi
}
unset HOOKLINE_DB
cli_run settings set allowInsecureUrls true
cli_run settings set allowPrivateAddresses true
cli_run webhook add --name "Loopback receiver" --url "http://127.0.0.1:$port/hook" --events lead.created
echo "atspi_window: database seeded ($(elapsed "$start") s so far)"

# The rest in a private D-Bus session, as its own process group under timeout,
# with what is left of the run's time less 10 s for the cleanup.
session_limit=$((TOTAL_LIMIT - (SECONDS - start) - 10))
[ "$session_limit" -ge 40 ] || fail "only $session_limit s left for the session after the setup"
export HOOKLINE_ATSPI_TMP="$tmp" HOOKLINE_ATSPI_REQUESTS="$tmp/requests.log" HOOKLINE_ATSPI_SESSION_LIMIT="$session_limit" \
       HOOKLINE_ATSPI_LAUNCHER="$launcher" HOOKLINE_ATSPI_APP="$app" HOOKLINE_ATSPI_SCREENSHOT="${HOOKLINE_ATSPI_SCREENSHOT:-}"
timeout -k 3 "$session_limit" dbus-run-session -- "$self" --in-session </dev/null &
session_pid=$!
wait "$session_pid"
rc=$?
session_pid=""
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    echo "atspi_window: FAIL: the session did not finish within $session_limit s"
    rc=1
fi
if [ $rc -ne 0 ]; then
    echo "atspi_window: receiver got $(grep -c '^POST ' "$tmp/requests.log") POST request(s); hookline log: $(wc -l <"$tmp/hookline.log" 2>/dev/null || echo 0) lines"
fi
echo "atspi_window: finished in $(elapsed "$start") s, exit code $rc"
exit $rc
