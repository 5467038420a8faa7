#!/usr/bin/env bash
# One sick receiver among healthy ones: how long the healthy webhooks take,
# beside the same run without the sick one, on this machine, in one run.
# A script, not a test: run it by hand (about 3-5 minutes, loopback only).
#
#   tests/benchmarks/fairness.sh [PATH/TO/hookline-cli]   (default build/bin/hookline-cli)
#
# Receivers: a throw-away nginx (`return 204` on /hook/N) listening on
# 127.0.0.1 and 127.0.0.2 (two hosts to Hookline: another connection pool),
# and a small Node.js server behind the same nginx on /sick/: /sick/hang never
# answers (Hookline's 10 s deadline ends each attempt), /sick/slow answers 200
# after 3 s. The sick webhook is always http://127.0.0.1:PORT/sick/...; the
# ten healthy ones are on the same host (127.0.0.1:PORT/hook/N) or on
# another (127.0.0.2:PORT/hook/N).
#
# Each case: a fresh database with the webhooks and EVENTS events (default
# 1000) that each of them gets, then `hookline-cli deliver --workers 2` until
# the healthy deliveries have all succeeded. Printed per case: when the last
# healthy delivery succeeded and the 99th percentile of that time over the
# healthy deliveries (from the start of `deliver`, read from the database),
# beside the same run without the sick webhook. Target: within 1.5x.
#
# Then the crash: deliver to a receiver that answers after 200 ms, SIGKILL
# the engine while requests are in flight, start it again, and time until
# every delivery the dead engine held is attempted again.
#
# Environment: EVENTS (1000), HEALTHY (10), WORKERS (2), REPEAT (1), MAX_WAIT
# (120: seconds a case may take before it is reported as "> MAX_WAIT").
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CLI=${1:-$ROOT/build/bin/hookline-cli}
[[ $CLI == /* ]] || CLI=$PWD/$CLI
EVENTS=${EVENTS:-1000}
HEALTHY=${HEALTHY:-10}
WORKERS=${WORKERS:-2}
REPEAT=${REPEAT:-1}
MAX_WAIT=${MAX_WAIT:-120}

source "$HERE/common.sh"
bench_begin fairness nginx node curl sqlite3
[[ -x $CLI ]] || die "no hookline-cli at $CLI"
ENGINE_PID=
cli() { timeout 300 "$CLI" "$@"; }

# --- receivers ----------------------------------------------------------------
PORT=$(free_port)
SICK_PORT=$(free_port)
[[ $PORT != "$SICK_PORT" ]] || SICK_PORT=$(free_port)
cat >"$WORK/sick.mjs" <<'EOF'
import http from 'node:http';
const port = Number(process.argv[2]);
http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
        if (req.url.startsWith('/sick/slow')) setTimeout(() => res.end('ok'), 3000);
        // /sick/hang: never answered; the client gives up.
    });
}).listen(port, '127.0.0.1');
EOF
node "$WORK/sick.mjs" "$SICK_PORT" &

step "starting nginx on 127.0.0.1:$PORT and 127.0.0.2:$PORT, the sick receiver behind it"
start_nginx "127.0.0.2:$PORT" <<EOF
    upstream sick { server 127.0.0.1:$SICK_PORT; keepalive 64; }
    server {
        listen 127.0.0.1:$PORT;
        listen 127.0.0.2:$PORT;
        location /hook/ { return 204; }
        location /sick/ {
            proxy_pass http://sick;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_read_timeout 600s;
        }
        location = /status { stub_status; }
    }
EOF

node "$HERE/make_events.mjs" "$EVENTS" >"$WORK/events.jsonl"

# --- one case ------------------------------------------------------------------
prepare_db() { # $1 db, $2 healthy host, $3 sick path or "none"
    cli --db "$1" settings set allowInsecureUrls true >/dev/null
    cli --db "$1" settings set allowPrivateAddresses true >/dev/null
    cli --db "$1" settings set retention 1000000 >/dev/null
    if [[ $3 != none ]]; then
        cli --db "$1" webhook add --url "http://127.0.0.1:$PORT$3" --events lead.created --name sick --json >/dev/null
    fi
    for i in $(seq "$HEALTHY"); do
        cli --db "$1" webhook add --url "http://$2:$PORT/hook/$i" --events lead.created --name "healthy $i" --json >/dev/null
    done
    cli --db "$1" emit --batch "$WORK/events.jsonl" >/dev/null
}

HEALTHY_SQL="SELECT d.updated_at FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name LIKE 'healthy %' AND d.status = 'succeeded'"

# Prints "<completion s> <p99 s>" of the healthy deliveries.
run_case() { # $1 label, $2 healthy host, $3 sick path or "none"
    local db=$WORK/$1.db want t0 done_count
    rm -f "$db" "$db-wal" "$db-shm"
    prepare_db "$db" "$2" "$3"
    want=$((EVENTS * HEALTHY))
    t0=$(now_ms)
    "$CLI" --db "$db" deliver --workers "$WORKERS" --json >"$WORK/$1.out" 2>"$WORK/$1.err" &
    ENGINE_PID=$!
    for _ in $(seq $((MAX_WAIT * 10))); do
        done_count=$(sqlite3 "$db" "SELECT COUNT(*) FROM ($HEALTHY_SQL)" 2>/dev/null || echo 0)
        [[ $done_count -ge $want ]] && break
        kill -0 "$ENGINE_PID" 2>/dev/null || die "deliver exited: $(cat "$WORK/$1.err")"
        sleep 0.1
    done
    kill -TERM "$ENGINE_PID"
    wait "$ENGINE_PID" || true
    ENGINE_PID=
    if [[ $done_count -lt $want ]]; then
        step "$1: only $done_count of $want healthy deliveries succeeded in $MAX_WAIT s"
        echo "$MAX_WAIT+ $MAX_WAIT+"
        return
    fi
    sqlite3 "$db" "$HEALTHY_SQL" | sort -n | awk -v t0="$t0" '{v[NR] = ($1 - t0) / 1000} END {
        i = int(NR * 0.99); if (i < 1) i = 1; printf "%.2f %.2f\n", v[NR], v[i] }'
}

declare -A R
CASES=("hang same" "hang other" "slow same" "slow other")
for r in $(seq "$REPEAT"); do
    for host in same other; do
        h=127.0.0.1; [[ $host == other ]] && h=127.0.0.2
        step "round $r: healthy on the $host host, no sick webhook"
        R[base.$host]+=" $(run_case "base-$host" "$h" none)"
    done
    for c in "${CASES[@]}"; do
        read -r sick host <<<"$c"
        h=127.0.0.1; [[ $host == other ]] && h=127.0.0.2
        step "round $r: healthy on the $host host, sick webhook: /sick/$sick"
        R[$sick.$host]+=" $(run_case "$sick-$host" "$h" "/sick/$sick")"
    done
done

# --- crash recovery -------------------------------------------------------------
# Requests in flight when the engine is killed stay 'delivering' under a lease;
# a restarted engine must send them again within seconds.
step "crash: a receiver answering after 200 ms, SIGKILL during the run, restart"
cat >"$WORK/slowish.mjs" <<'EOF'
import http from 'node:http';
http.createServer((req, res) => { req.resume(); req.on('end', () => setTimeout(() => res.end('ok'), 200)); })
    .listen(Number(process.argv[2]), '127.0.0.1');
EOF
CRASH_PORT=$(free_port)
node "$WORK/slowish.mjs" "$CRASH_PORT" &
CRASH_RECEIVER=$!
CRASH_DB=$WORK/crash.db
cli --db "$CRASH_DB" settings set allowInsecureUrls true >/dev/null
cli --db "$CRASH_DB" settings set allowPrivateAddresses true >/dev/null
for i in 1 2 3 4; do
    cli --db "$CRASH_DB" webhook add --url "http://127.0.0.1:$CRASH_PORT/hook/$i" --events lead.created --json >/dev/null
done
cli --db "$CRASH_DB" emit --batch "$WORK/events.jsonl" >/dev/null
"$CLI" --db "$CRASH_DB" deliver --workers "$WORKERS" >/dev/null 2>&1 &
ENGINE_PID=$!
for _ in $(seq 300); do
    held=$(sqlite3 "$CRASH_DB" "SELECT COUNT(*) FROM deliveries WHERE status = 'delivering'" 2>/dev/null || echo 0)
    finished=$(sqlite3 "$CRASH_DB" "SELECT COUNT(*) FROM deliveries WHERE status = 'succeeded'" 2>/dev/null || echo 0)
    [[ $held -gt 0 && $finished -gt 100 ]] && break
    sleep 0.1
done
kill -KILL "$ENGINE_PID"
wait "$ENGINE_PID" 2>/dev/null || true
ENGINE_PID=
held_ids=$(sqlite3 "$CRASH_DB" "SELECT COUNT(*) FROM deliveries WHERE status = 'delivering'")
sqlite3 "$CRASH_DB" "CREATE TABLE crash_held AS SELECT id, attempts FROM deliveries WHERE status = 'delivering'"
t0=$(now_ms)
"$CLI" --db "$CRASH_DB" deliver --workers "$WORKERS" >/dev/null 2>&1 &
ENGINE_PID=$!
recovered=
for _ in $(seq 1200); do
    left=$(sqlite3 "$CRASH_DB" "SELECT COUNT(*) FROM crash_held h JOIN deliveries d ON d.id = h.id WHERE d.attempts <= h.attempts" 2>/dev/null || echo "$held_ids")
    if [[ $left -eq 0 ]]; then recovered=$(( $(now_ms) - t0 )); break; fi
    sleep 0.1
done
kill -TERM "$ENGINE_PID"; wait "$ENGINE_PID" 2>/dev/null || true; ENGINE_PID=
kill "$CRASH_RECEIVER" 2>/dev/null || true

# --- report ---------------------------------------------------------------------
first() { awk '{print $1}'; }
# R[x] holds " done p99 done p99 ...": the medians of each.
col() {
    local v
    v=$(echo "${R[$1]}" | awk -v k="$2" '{for (i = k; i <= NF; i += 2) printf "%s ", $i}')
    if [[ $v == *+* ]]; then echo "> $MAX_WAIT"; else echo "$v" | median 2; fi
}

echo
echo "Hookline fairness, $(nproc) cores, $HEALTHY healthy webhooks x $EVENTS deliveries, --workers $WORKERS, $REPEAT round(s); seconds from the start of deliver"
printf '%-34s %12s %10s %14s %12s %8s %s\n' "sick webhook, healthy ones on" "healthy done" "p99" "without sick" "p99 without" "ratio" "(target <= 1.5)"
verdict=met
for c in "${CASES[@]}"; do
    read -r sick host <<<"$c"
    d=$(col "$sick.$host" 1); p=$(col "$sick.$host" 2)
    bd=$(col "base.$host" 1); bp=$(col "base.$host" 2)
    if [[ $d == ">"* ]]; then
        ratio=">$(awk -v a="$MAX_WAIT" -v b="$bd" 'BEGIN {printf "%.0f", a / b}')"
        verdict="NOT met"
    else
        ratio=$(awk -v a="$d" -v b="$bd" 'BEGIN {printf "%.2f", a / b}')
        awk -v r="$ratio" 'BEGIN {exit !(r > 1.5)}' && verdict="NOT met"
    fi
    label="never answers, same host"
    [[ $sick == slow ]] && label="answers after 3 s, same host"
    [[ $host == other ]] && label=${label/same host/other host}
    printf '%-34s %12s %10s %14s %12s %8s\n' "$label" "$d" "$p" "$bd" "$bp" "$ratio"
done
echo "target (healthy within 1.5x of the run without the sick webhook): $verdict"
if [[ -n $recovered ]]; then
    printf 'crash recovery: %s deliveries held by the killed engine, all attempted again %.1f s after the restart (target < 10 s)\n' \
        "$held_ids" "$(awk -v m="$recovered" 'BEGIN {print m / 1000}')"
else
    echo "crash recovery: $held_ids deliveries held by the killed engine, NOT all attempted again within 120 s (target < 10 s)"
fi
step "done"
