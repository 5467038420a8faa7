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
# Environment: DURATION (20), WEBHOOKS (1), THREADS (2), CONNECTIONS (64).
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

# --- 1. nginx -------------------------------------------------------------------
NGINX_PORT=$(free_port)
step "nginx return 202 on 127.0.0.1:$NGINX_PORT"
start_nginx "127.0.0.1:$NGINX_PORT" <<EOF
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location = /api/v1/events { default_type application/json; return 202 '{"id":"evt_0","deliveries":1}'; }
        location = /status { stub_status; }
    }
EOF
read -r NGINX_RPS NGINX_P50 NGINX_P99 _ _ < <(run_wrk "http://127.0.0.1:$NGINX_PORT/api/v1/events")
kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true

# --- 2. bare QHttpServer ------------------------------------------------------------
REF_PORT=$(free_port)
step "bare QHttpServer on 127.0.0.1:$REF_PORT"
"$REFERENCE" "$REF_PORT" &
REF_PID=$!
wait_http "http://127.0.0.1:$REF_PORT/"
read -r REF_RPS REF_P50 REF_P99 _ _ < <(run_wrk "http://127.0.0.1:$REF_PORT/api/v1/events")
kill "$REF_PID"; wait "$REF_PID" 2>/dev/null || true

# --- 3. Hookline ---------------------------------------------------------------------
DB=$WORK/ingest.db
export HOOKLINE_MASTER_KEY
HOOKLINE_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
cli --db "$DB" settings set allowInsecureUrls true >/dev/null
cli --db "$DB" settings set allowPrivateAddresses true >/dev/null
for i in $(seq "$WEBHOOKS"); do
    cli --db "$DB" webhook add --url "http://127.0.0.1:9/hook/$i" --events lead.created --json >/dev/null
done
BENCH_API_KEY=$(cli --db "$DB" apikey create --tenant default --name bench --json | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).key))')
export BENCH_API_KEY
PLAN=$(cli --db "$DB" tenant list --json | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).find(t=>t.id==="default").plan))')
API_PORT=$(free_port)
step "hookline-cli serve --no-engine on 127.0.0.1:$API_PORT (SQLite, $WEBHOOKS webhook(s), default tenant on $PLAN)"
"$CLI" --db "$DB" serve --no-engine --listen "127.0.0.1:$API_PORT" 2>"$WORK/serve.log" &
API_PID=$!
wait_http "http://127.0.0.1:$API_PORT/api/v1/health"
read -r API_RPS API_P50 API_P99 API_N API_BAD < <(run_wrk "http://127.0.0.1:$API_PORT/api/v1/events")
kill -TERM "$API_PID"; wait "$API_PID" 2>/dev/null || true

EVENTS=$(sqlite3 "$DB" "SELECT COUNT(*) FROM events WHERE type = 'lead.created'")
DELIVERIES=$(sqlite3 "$DB" "SELECT COUNT(*) FROM deliveries")
[[ $API_BAD == 0 ]] || die "Hookline refused $API_BAD requests (see $WORK/serve.log)"
(( EVENTS >= API_N )) || die "wrk saw $API_N accepted events, the database holds $EVENTS"
(( DELIVERIES == EVENTS * WEBHOOKS )) || die "$EVENTS events made $DELIVERIES deliveries, expected $((EVENTS * WEBHOOKS))"

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
echo
echo "POST /api/v1/events, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $(nproc) cores, load average $LOAD_BEFORE before, $LOAD_AFTER after"
printf '%-42s %12s %9s %9s %14s\n' "" "requests/s" "p50 ms" "p99 ms" "vs QHttpServer"
printf '%-42s %12s %9s %9s %14s\n' "nginx return 202 (transport)" "$NGINX_RPS" "$NGINX_P50" "$NGINX_P99" "$(ratio "$NGINX_RPS" "$REF_RPS")"
printf '%-42s %12s %9s %9s %14s\n' "bare QHttpServer 202 (framework)" "$REF_RPS" "$REF_P50" "$REF_P99" "1.00"
printf '%-42s %12s %9s %9s %14s\n' "Hookline serve, SQLite, $WEBHOOKS webhook(s)" "$API_RPS" "$API_P50" "$API_P99" "$(ratio "$API_RPS" "$REF_RPS")"
echo "Hookline: $EVENTS events and $DELIVERIES deliveries committed; every request answered 202."
echo "Targets: >= 5000 accepted events/s, p99 < 50 ms, >= 0.50 of the bare QHttpServer."
