#!/usr/bin/env bash
# Hookline's event ingestion (POST /api/v1/events) against its references, on
# this machine, in one run. A script, not a test: run it by hand (about 1-2
# minutes, loopback only).
#
#   tests/benchmarks/ingest.sh [PATH/TO/hookline-cli]   (default build/bin/hookline-cli;
#                                                        hookline-http-reference in build/bin)
#
# wrk -t2 -c64 -d${DURATION}s with ingest.lua (single events, each body
# different) against, in turn:
#   1. nginx `return 202` (nginx-light, one worker)   the transport's ceiling
#   2. hookline-http-reference                        the framework's: Qt's QHttpServer
#                                                     answering 202, storing nothing
#   3. hookline-cli serve --no-engine                 on a fresh SQLite database with
#                                                     WEBHOOKS webhooks subscribed: each
#                                                     202 means the event and its
#                                                     deliveries are committed
# Hookline's run is checked: every accepted event is in the database with
# WEBHOOKS deliveries, and no request was refused. The key is the default
# tenant's, so its plan's rate limit applies as in production.
# The request log (hookline.api) is on, as by default; it goes to a file.
#
# The three run REPEAT times, interleaved (nginx, QHttpServer, Hookline, nginx,
# ...), each Hookline run on a fresh database; the table shows medians (and the
# range), and the ratio is of the medians. This host's figures move by a third
# from minute to minute (the bare QHttpServer gave 30 000 to 47 000 requests/s),
# so a single run says little.
#
# Environment: DURATION (20), WEBHOOKS (1), THREADS (2), CONNECTIONS (64), REPEAT (3).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CLI=${1:-$ROOT/build/bin/hookline-cli}
[[ $CLI == /* ]] || CLI=$PWD/$CLI
REFERENCE=$(dirname "$CLI")/hookline-http-reference
DURATION=${DURATION:-20}
WEBHOOKS=${WEBHOOKS:-1}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
REPEAT=${REPEAT:-3}

source "$HERE/common.sh"
bench_begin ingest nginx wrk node curl sqlite3
[[ -x $CLI ]] || die "no hookline-cli at $CLI"
[[ -x $REFERENCE ]] || die "no hookline-http-reference at $REFERENCE (cmake --build the tree first)"

cli() { timeout 300 "$CLI" "$@"; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# wrk's figures: "<requests/s> <p50 ms> <p99 ms> <requests> <non-2xx>"
run_wrk() { # $1 url
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/ingest.lua" "$1" >"$WORK/wrk.txt" 2>&1 \
        || die "wrk failed: $(cat "$WORK/wrk.txt")"
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /Requests\/sec/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        / requests in / { n = $1 }
        /Non-2xx/ { bad = $5 }
        END { printf "%.0f %.2f %.2f %d %d\n", rps, p50, p99, n, bad + 0 }' "$WORK/wrk.txt"
}

wait_http() { # $1 url
    for _ in $(seq 100); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    die "nothing answers at $1"
}

declare -A R # results of every run: R[ref.rps] = " 30329 41012 ..."
add() { R[$1]="${R[$1]:-} $2"; }

run_nginx() { # $1 run
    local port rps p50 p99
    port=$(free_port)
    step "run $1/$REPEAT: nginx return 202 on 127.0.0.1:$port"
    start_nginx "127.0.0.1:$port" <<EOF
    server {
        listen 127.0.0.1:$port;
        location = /api/v1/events { default_type application/json; return 202 '{"id":"evt_0","deliveries":1}'; }
        location = /status { stub_status; }
    }
EOF
    read -r rps p50 p99 _ _ < <(run_wrk "http://127.0.0.1:$port/api/v1/events")
    kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true
    add nginx.rps "$rps"; add nginx.p50 "$p50"; add nginx.p99 "$p99"
}

run_reference() { # $1 run
    local port pid rps p50 p99
    port=$(free_port)
    step "run $1/$REPEAT: bare QHttpServer on 127.0.0.1:$port"
    "$REFERENCE" "$port" &
    pid=$!
    wait_http "http://127.0.0.1:$port/"
    read -r rps p50 p99 _ _ < <(run_wrk "http://127.0.0.1:$port/api/v1/events")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    add ref.rps "$rps"; add ref.p50 "$p50"; add ref.p99 "$p99"
}

# A fresh database with WEBHOOKS webhooks and a key of the default tenant.
export HOOKLINE_MASTER_KEY BENCH_API_KEY
HOOKLINE_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
prepare_database() { # $1 path
    rm -f "$1" "$1-wal" "$1-shm" "$1.key"
    cli --db "$1" settings set allowInsecureUrls true >/dev/null
    cli --db "$1" settings set allowPrivateAddresses true >/dev/null
    for i in $(seq "$WEBHOOKS"); do
        cli --db "$1" webhook add --url "http://127.0.0.1:9/hook/$i" --events lead.created --json >/dev/null
    done
    BENCH_API_KEY=$(cli --db "$1" apikey create --tenant default --name bench --json | node -e \
        'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).key))')
    PLAN=$(cli --db "$1" tenant list --json | node -e \
        'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).find(t=>t.id==="default").plan))')
}

# Hookline's run, checked: every accepted event is in the database with its
# deliveries, and no request was refused.
run_hookline() { # $1 run
    local db=$WORK/ingest.db port pid rps p50 p99 n bad events deliveries
    prepare_database "$db"
    port=$(free_port)
    step "run $1/$REPEAT: hookline-cli serve --no-engine on 127.0.0.1:$port (SQLite, $WEBHOOKS webhook(s), default tenant on $PLAN)"
    "$CLI" --db "$db" serve --no-engine --listen "127.0.0.1:$port" 2>"$WORK/serve.log" &
    pid=$!
    wait_http "http://127.0.0.1:$port/api/v1/health"
    read -r rps p50 p99 n bad < <(run_wrk "http://127.0.0.1:$port/api/v1/events")
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true

    events=$(sqlite3 "$db" "SELECT COUNT(*) FROM events WHERE type = 'lead.created'")
    deliveries=$(sqlite3 "$db" "SELECT COUNT(*) FROM deliveries")
    [[ $bad == 0 ]] || die "Hookline refused $bad requests (see $WORK/serve.log)"
    (( events >= n )) || die "wrk saw $n accepted events, the database holds $events"
    (( deliveries == events * WEBHOOKS )) || die "$events events made $deliveries deliveries, expected $((events * WEBHOOKS))"
    add api.rps "$rps"; add api.p50 "$p50"; add api.p99 "$p99"; add api.events "$events"
}

for run in $(seq "$REPEAT"); do
    run_nginx "$run"
    run_reference "$run"
    run_hookline "$run"
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
med() { median <<<"${R[$1]}"; }
cell() { # median (range) of a series
    if [[ $REPEAT -gt 1 ]]; then echo "$(med "$1") ($(range <<<"${R[$1]}"))"; else med "$1"; fi
}
row() { printf '%-40s %22s %9s %9s %14s\n' "$@"; }
echo
echo "POST /api/v1/events, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $REPEAT runs each (median, range), $(nproc) cores"
echo "load average $LOAD_BEFORE before, $LOAD_AFTER after; source tree HEAD $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
row "" "requests/s" "p50 ms" "p99 ms" "vs QHttpServer"
row "nginx return 202 (transport)" "$(cell nginx.rps)" "$(med nginx.p50)" "$(med nginx.p99)" "$(ratio "$(med nginx.rps)" "$(med ref.rps)")"
row "bare QHttpServer 202 (framework)" "$(cell ref.rps)" "$(med ref.p50)" "$(med ref.p99)" "1.00"
row "Hookline serve, SQLite, $WEBHOOKS webhook(s)" "$(cell api.rps)" "$(med api.p50)" "$(med api.p99)" "$(ratio "$(med api.rps)" "$(med ref.rps)")"
echo "Hookline, events committed in each run (each with $WEBHOOKS deliveries):${R[api.events]}; every request answered 202."
echo "Hookline p99 of each run, ms:${R[api.p99]}"
echo "Targets: >= 5000 accepted events/s, p99 < 50 ms, >= 0.50 of the bare QHttpServer."
