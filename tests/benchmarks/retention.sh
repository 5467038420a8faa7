#!/usr/bin/env bash
# Retention under a sustained load: does the database stay flat?
# A script, not a test: run it by hand (DURATION seconds, default 600; loopback only).
#
#   tests/benchmarks/retention.sh [PATH/TO/hookline-cli]   (default build/bin/hookline-cli)
#
# A throw-away nginx answers 204 on /hook/N. WEBHOOKS (4) webhooks with the
# default retention (100 deliveries each) get events as fast as the engine
# sends them: `hookline-cli emit --batch` of 250 events (1000 deliveries)
# whenever fewer than 2000 are waiting, while `hookline-cli deliver
# --workers 2` runs flat out. Every SAMPLE seconds (10) it prints: requests
# nginx answered, the most finished deliveries any webhook holds, the
# deliveries waiting, and the size of the database file and its WAL.
# Targets: no webhook ever holds more finished deliveries than its retention
# and one claim of the engine (512); the file (with the WAL) after the first
# minute stays within 10 % of its size at the first minute.
#
# Environment: DURATION (600), SAMPLE (10), WEBHOOKS (4), WORKERS (2).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CLI=${1:-$ROOT/build/bin/hookline-cli}
[[ $CLI == /* ]] || CLI=$PWD/$CLI
DURATION=${DURATION:-600}
SAMPLE=${SAMPLE:-10}
WEBHOOKS=${WEBHOOKS:-4}
WORKERS=${WORKERS:-2}

source "$HERE/common.sh"
bench_begin retention nginx node curl sqlite3
[[ -x $CLI ]] || die "no hookline-cli at $CLI"

PORT=$(free_port)
start_nginx "127.0.0.1:$PORT" <<EOF
    server {
        listen 127.0.0.1:$PORT;
        location /hook/ { return 204; }
        location = /status { stub_status; }
    }
EOF
requests() { curl -sf "http://127.0.0.1:$PORT/status" | awk 'NR==3 {print $3}'; }

DB=$WORK/retention.db
"$CLI" --db "$DB" settings set allowInsecureUrls true >/dev/null
"$CLI" --db "$DB" settings set allowPrivateAddresses true >/dev/null
for i in $(seq "$WEBHOOKS"); do
    "$CLI" --db "$DB" webhook add --url "http://127.0.0.1:$PORT/hook/$i" --events lead.created --json >/dev/null
done
RETENTION=$("$CLI" --db "$DB" settings get retention)
node "$HERE/make_events.mjs" 250 >"$WORK/events.jsonl"

step "emitting and delivering for $DURATION s (retention $RETENTION per webhook, $WEBHOOKS webhooks)"
( while :; do
    waiting=$(sqlite3 "$DB" "SELECT COUNT(*) FROM deliveries WHERE status NOT IN ('succeeded','failed')" 2>/dev/null || echo 0)
    if [[ $waiting -lt 2000 ]]; then "$CLI" --db "$DB" emit --batch "$WORK/events.jsonl" >/dev/null 2>&1 || sleep 0.2; else sleep 0.05; fi
done ) &
EMITTER_PID=$!
"$CLI" --db "$DB" deliver --workers "$WORKERS" >/dev/null 2>"$WORK/deliver.err" &
ENGINE_PID=$!

bytes() { local n=0 f; for f in "$DB" "$DB-wal"; do [[ -f $f ]] && n=$((n + $(stat -c %s "$f"))); done; echo "$n"; }
printf '%8s %12s %10s %22s %12s %12s\n' "seconds" "requests" "per s" "most kept (finished)" "unfinished" "file+WAL MB"
start_requests=$(requests)
last_requests=$start_requests
worst=0
at_minute=
flat=yes
max_after=0
for t in $(seq "$SAMPLE" "$SAMPLE" "$DURATION"); do
    sleep "$SAMPLE"
    kill -0 "$ENGINE_PID" 2>/dev/null || die "deliver exited: $(cat "$WORK/deliver.err")"
    r=$(requests)
    kept=$(sqlite3 "$DB" "SELECT COALESCE(MAX(c), 0) FROM (SELECT COUNT(*) c FROM deliveries WHERE status IN ('succeeded','failed') GROUP BY webhook_id)" 2>/dev/null || echo "?")
    unfinished=$(sqlite3 "$DB" "SELECT COUNT(*) FROM deliveries WHERE status NOT IN ('succeeded','failed')" 2>/dev/null || echo "?")
    b=$(bytes)
    printf '%8s %12s %10s %22s %12s %12.1f\n' "$t" "$((r - start_requests))" "$(((r - last_requests) / SAMPLE))" "$kept" "$unfinished" \
        "$(awk -v b="$b" 'BEGIN {print b / 1048576}')"
    last_requests=$r
    [[ $kept =~ ^[0-9]+$ && $kept -gt $worst ]] && worst=$kept
    if [[ -z $at_minute && $t -ge 60 ]]; then
        at_minute=$b
    elif [[ -n $at_minute ]]; then
        ((b > max_after)) && max_after=$b
        awk -v b="$b" -v m="$at_minute" 'BEGIN {exit !(b > m * 1.10)}' && flat=no
    fi
done
kill -TERM "$EMITTER_PID" 2>/dev/null || true
wait "$EMITTER_PID" 2>/dev/null || true
EMITTER_PID=
kill -TERM "$ENGINE_PID"
wait "$ENGINE_PID" || true
ENGINE_PID=

echo
echo "most finished deliveries any webhook held: $worst (retention $RETENTION + one claim, 512: $((RETENTION + 512))) -> $([[ $worst -le $((RETENTION + 512)) ]] && echo met || echo NOT met)"
if [[ -n $at_minute ]]; then
    echo "file+WAL at the first minute $(awk -v b="$at_minute" 'BEGIN {printf "%.1f", b / 1048576}') MB, largest after it $(awk -v b="$max_after" 'BEGIN {printf "%.1f", b / 1048576}') MB (flat within 10 %: $flat)"
fi
echo "after the stop: $(sqlite3 "$DB" "SELECT COUNT(*) FROM deliveries") deliveries, file+WAL $(awk -v b="$(bytes)" 'BEGIN {printf "%.1f", b / 1048576}') MB"
step "done"
