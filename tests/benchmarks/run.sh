#!/usr/bin/env bash
# Hookline delivery throughput against its references, on this machine, in one run.
# A script, not a test: run it by hand (about 1-2 minutes, loopback only).
#
#   tests/benchmarks/run.sh [PATH/TO/hookline-cli]      (default build/bin/hookline-cli;
#                                                        hookline-qnam-reference beside it)
#
# A throw-away nginx (nginx-light; one worker; `return 204` on POST /hook/N;
# stub_status to count requests) listens on a plain and a TLS port of 127.0.0.1
# (a throw-away CA and server certificate made with openssl). Then, plain HTTP:
#   1. wrk -t2 -c64 -d5s -s post.lua       the ceiling: nginx's own limit here
#   2. hookline-qnam-reference             the transport's limit: 2 threads x 1 QNAM x 32
#                                          in flight, same bodies, same headers, same
#                                          `standard` signature per request, nothing stored
#   3. node node_reference.mjs             what a team would write: fetch + HMAC, 64 in flight
#   4. hookline-cli deliver --until-idle --workers 2   on a fresh database with 10 standard
#                                          webhooks and 2 000 events = 20 000 deliveries,
#                                          under /usr/bin/time -v (peak RSS, page faults)
# and 1-4 again over TLS (the CA trusted through extraCaCertificates, --ca and
# NODE_EXTRA_CA_CERTS). Hookline's run is checked: 20 000 deliveries succeeded
# in the database, 20 000 attempts rows, 20 000 more requests counted by nginx.
#
# (2)-(4) run REPEAT times (default 5), interleaved, each Hookline run on a
# copy of a freshly prepared database; the table shows medians (and the range).
# The machine may be shared: the load average is printed before and after.
#
# Environment: EVENTS (2000), WEBHOOKS (10), WORKERS (2), CONCURRENCY (32 per
# worker), NODE_CONCURRENCY (64), WRK_SECONDS (5), REPEAT (5), TLS (1; 0 skips
# the TLS half), RECEIVER_SESSION (own; shared runs nginx in this script's
# session, where it shares a scheduling group with the client measured: see
# common.sh's start_nginx).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CLI=${1:-$ROOT/build/bin/hookline-cli}
[[ $CLI == /* ]] || CLI=$PWD/$CLI
QNAM=$(dirname "$CLI")/hookline-qnam-reference
EVENTS=${EVENTS:-2000}
WEBHOOKS=${WEBHOOKS:-10}
WORKERS=${WORKERS:-2}
CONCURRENCY=${CONCURRENCY:-32}
NODE_CONCURRENCY=${NODE_CONCURRENCY:-64}
WRK_SECONDS=${WRK_SECONDS:-5}
TLS=${TLS:-1}
REPEAT=${REPEAT:-5}
TOTAL=$((EVENTS * WEBHOOKS))
SECRET='whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

source "$HERE/common.sh"
bench_begin run nginx wrk node openssl curl sqlite3
[[ -x /usr/bin/time ]] || die "/usr/bin/time is required (apt-get install time)"
[[ -x $CLI ]] || die "no hookline-cli at $CLI"
[[ -x $QNAM ]] || die "no hookline-qnam-reference at $QNAM (cmake --build the tree first)"

cli() { timeout 300 "$CLI" "$@"; }
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(String(v))})' "$1"; }

# --- certificates -----------------------------------------------------------
step "making a throw-away CA and server certificate"
mkdir -p "$WORK/tls"
(
    cd "$WORK/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
        -subj "/CN=Hookline benchmark CA" -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >ext.cnf
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf 2>/dev/null
)

# --- nginx ------------------------------------------------------------------
HTTP_PORT=$(free_port)
HTTPS_PORT=$(free_port)
[[ $HTTP_PORT != "$HTTPS_PORT" ]] || HTTPS_PORT=$(free_port)
step "starting nginx on 127.0.0.1:$HTTP_PORT (http) and :$HTTPS_PORT (https)"
start_nginx "127.0.0.1:$HTTP_PORT" <<EOF
    client_body_buffer_size 1m;
    ssl_session_cache shared:bench:1m;
    server {
        listen 127.0.0.1:$HTTP_PORT;
        listen 127.0.0.1:$HTTPS_PORT ssl;
        ssl_certificate $WORK/tls/server.pem;
        ssl_certificate_key $WORK/tls/server.key;
        location /hook/ {
            if (\$request_method != POST) { return 405; }
            return 204;
        }
        location = /status { stub_status; }
    }
EOF
curl -sf --cacert "$WORK/tls/ca.pem" -o /dev/null -X POST -d '{}' "https://127.0.0.1:$HTTPS_PORT/hook/1" -w '' \
    || die "the TLS server block does not verify with the throw-away CA"
# Requests nginx has handled so far (stub_status counts its own request too).
nginx_requests() { curl -sf "http://127.0.0.1:$HTTP_PORT/status" | awk 'NR==3 {print $3}'; }

# Where the machine's CPU goes during a measured run: the receiver (nginx's one
# worker) shares the two cores with the client, so a client below 200 % may be
# leaving nothing idle. cpu_sample prints "<nginx worker ticks> <host idle
# ticks> <host total ticks>"; cpu_shares turns two samples into "<nginx %>
# <host idle %>" (nginx in % of one core, idle in % of the whole machine).
NGINX_WORKER=
cpu_sample() {
    [[ -n $NGINX_WORKER ]] || NGINX_WORKER=$(pgrep -P "$NGINX_PID" nginx | head -n 1)
    local worker=0
    [[ -n $NGINX_WORKER && -r /proc/$NGINX_WORKER/stat ]] && worker=$(awk '{print $14 + $15}' "/proc/$NGINX_WORKER/stat")
    awk -v w="$worker" '/^cpu / {t = 0; for (i = 2; i <= NF; i++) t += $i; print w, $5 + $6, t; exit}' /proc/stat
}
cpu_shares() { # $1 sample before, $2 sample after
    awk -v hz="$(getconf CLK_TCK)" -v cores="$(nproc)" -v a="$1" -v b="$2" 'BEGIN {
        split(a, x, " "); split(b, y, " ");
        total = y[3] - x[3]; if (total <= 0) { print "- -"; exit }
        wall = total / cores / hz;
        printf "%.0f %.0f\n", (y[1] - x[1]) / hz / wall * 100, (y[2] - x[2]) / total * 100 }'
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- events and bodies --------------------------------------------------------
node "$HERE/make_events.mjs" "$EVENTS" >"$WORK/events.jsonl"

# A fresh database with WEBHOOKS standard webhooks and EVENTS events fanned out.
prepare_db() { # $1 db, $2 base url
    cli --db "$1" settings set allowInsecureUrls true >/dev/null
    cli --db "$1" settings set allowPrivateAddresses true >/dev/null
    cli --db "$1" settings set retention 1000000 >/dev/null
    cli --db "$1" settings set extraCaCertificates "$WORK/tls/ca.pem" >/dev/null
    for i in $(seq "$WEBHOOKS"); do
        cli --db "$1" webhook add --url "$2/hook/$i" --events lead.created --scheme standard --secret "$SECRET" \
            --name "bench $i" --json >/dev/null
    done
    local n
    n=$(cli --db "$1" emit --batch "$WORK/events.jsonl" | field deliveries)
    [[ $n == "$TOTAL" ]] || die "emit --batch made $n deliveries, expected $TOTAL"
}

urls() { for i in $(seq "$WEBHOOKS"); do printf -- '--url\n%s/hook/%s\n' "$1" "$i"; done; }

# --- the four measurements ---------------------------------------------------
declare -A R # results: R[plain.wrk] etc.


run_hookline() { # $1 label, $2 template db, $3 run number
    local label=$1 db=$WORK/$1.run.db before after out
    rm -f "$db" "$db-wal" "$db-shm" "$db.key"
    cp "$2" "$db"
    [[ -f $2-wal ]] && cp "$2-wal" "$db-wal"
    # The webhook secrets are sealed under the template's master key, kept
    # beside it (a Hookline from before encryption has none to copy).
    [[ -f $2.key ]] && cp -p "$2.key" "$db.key"
    before=$(nginx_requests)
    local cpu_before shares
    cpu_before=$(cpu_sample)
    out=$(timeout 600 /usr/bin/time -v -o "$WORK/$label.time" "$CLI" --db "$db" deliver --until-idle \
        --workers "$WORKERS" --concurrency "$CONCURRENCY" --json 2>"$WORK/$label.stderr") \
        || die "deliver failed: $(cat "$WORK/$label.stderr")"
    shares=$(cpu_shares "$cpu_before" "$(cpu_sample)")
    R[$label.nginx]+=" ${shares% *}"
    R[$label.idle]+=" ${shares#* }"
    after=$(nginx_requests)
    local seconds succeeded
    seconds=$(field seconds <<<"$out")
    succeeded=$(field succeeded <<<"$out")
    R[$label.hookline]+=" $(awk -v n="$TOTAL" -v s="$seconds" 'BEGIN {printf "%.1f", n / s}')"
    R[$label.seconds]+=" $seconds"
    R[$label.wall]+=" $(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/$label.time")"
    R[$label.rss]+=" $(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$WORK/$label.time")"
    R[$label.cpu]+=" $(awk -F': ' '/Percent of CPU/ {print $2}' "$WORK/$label.time" | tr -d %)"
    # Memory the allocator gave back and took again shows up here (util/Allocator.h).
    R[$label.faults]+=" $(awk -F': ' '/Minor \(reclaiming a frame\) page faults/ {print $2}' "$WORK/$label.time")"
    # What the database and nginx say.
    local db_ok attempts counted check
    db_ok=$(sqlite3 "$db" "SELECT count(*) FROM deliveries WHERE status = 'succeeded'")
    attempts=$(sqlite3 "$db" "SELECT count(*) FROM attempts")
    counted=$((after - before - 1))
    check="run $3: deliver said $succeeded succeeded; database: $db_ok succeeded, $attempts attempts; nginx counted $counted requests"
    if [[ $succeeded != "$TOTAL" || $db_ok != "$TOTAL" || $attempts != "$TOTAL" || $counted != "$TOTAL" ]]; then
        check="MISMATCH $check (expected $TOTAL each)"
        [[ -s $WORK/$label.stderr ]] && head -n 5 "$WORK/$label.stderr" >&2
    fi
    R[$label.check]+="$check"$'\n'
}

measure() { # $1 label (plain|tls), $2 base url
    local label=$1 base=$2 out

    step "$label: wrk -t2 -c64 -d${WRK_SECONDS}s (the ceiling)"
    head -n 1 "$WORK/bodies.txt" >"$WORK/body1.json"
    out=$(BENCH_BODY_FILE="$WORK/body1.json" timeout $((WRK_SECONDS + 30)) wrk -t2 -c64 -d"${WRK_SECONDS}s" \
        -s "$HERE/post.lua" "$base/hook/1")
    R[$label.wrk]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
    grep -q 'Non-2xx' <<<"$out" && die "wrk saw non-2xx answers: $out"

    step "$label: preparing a fresh database ($TOTAL deliveries)"
    prepare_db "$WORK/$label.template.db" "$base"

    local -a u
    mapfile -t u < <(urls "$base")
    for run in $(seq "$REPEAT"); do
        step "$label: run $run/$REPEAT: hookline-qnam-reference ($WORKERS threads x $CONCURRENCY in flight)"
        local qnam_before qnam_shares
        qnam_before=$(cpu_sample)
        out=$(timeout 300 "$QNAM" --bodies "$WORK/bodies.txt" "${u[@]}" --threads "$WORKERS" --concurrency "$CONCURRENCY" \
            --ca "$WORK/tls/ca.pem" --secret "$SECRET") || die "hookline-qnam-reference failed: $out"
        [[ $(field succeeded <<<"$out") == "$TOTAL" ]] || die "hookline-qnam-reference: $out"
        R[$label.qnam]+=" $(field perSecond <<<"$out")"
        qnam_shares=$(cpu_shares "$qnam_before" "$(cpu_sample)")
        R[$label.qnamnginx]+=" ${qnam_shares% *}"
        R[$label.qnamidle]+=" ${qnam_shares#* }"

        step "$label: run $run/$REPEAT: node_reference.mjs (fetch, $NODE_CONCURRENCY in flight)"
        out=$(NODE_EXTRA_CA_CERTS="$WORK/tls/ca.pem" timeout 300 node "$HERE/node_reference.mjs" --bodies "$WORK/bodies.txt" \
            "${u[@]}" --concurrency "$NODE_CONCURRENCY" --secret "$SECRET") || die "node_reference.mjs failed: $out"
        [[ $(field succeeded <<<"$out") == "$TOTAL" ]] || die "node_reference.mjs: $out"
        R[$label.node]+=" $(field perSecond <<<"$out")"

        step "$label: run $run/$REPEAT: hookline-cli deliver --until-idle --workers $WORKERS ($TOTAL deliveries)"
        run_hookline "$label" "$WORK/$label.template.db" "$run"
    done
}

# The bodies the references post: the envelopes Hookline stored for the same events.
step "preparing $EVENTS events x $WEBHOOKS webhooks"
prepare_db "$WORK/bodies.db" "http://127.0.0.1:$HTTP_PORT"
sqlite3 "$WORK/bodies.db" "SELECT body FROM events ORDER BY rowid" >"$WORK/bodies.txt"
[[ $(wc -l <"$WORK/bodies.txt") == "$EVENTS" ]] || die "could not read the event bodies back"

measure plain "http://127.0.0.1:$HTTP_PORT"
[[ $TLS == 1 ]] && measure tls "https://127.0.0.1:$HTTPS_PORT"

# --- the table --------------------------------------------------------------
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'; }
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN {ok = (op == ">=") ? v >= t : v < t; print ok ? "ok" : "MISSED"}'; }
row() { printf '%-46s %20s %20s\n' "$@"; }
med() { median <<<"${R[$1]:-}"; }
cell() { # median (range) of a series
    [[ -z ${R[$1]:-} ]] && { echo "-"; return; }
    if [[ $REPEAT -gt 1 ]]; then echo "$(med "$1") ($(range <<<"${R[$1]}"))"; else med "$1"; fi
}
tlscell() { [[ $TLS == 1 ]] && cell "tls.$1" || echo "-"; }

echo
echo "Hookline benchmark: $EVENTS events x $WEBHOOKS webhooks = $TOTAL deliveries, $REPEAT runs (median, range)"
echo "machine: $(nproc) cores; load average before $LOAD_BEFORE, after $LOAD_AFTER; $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "hookline-cli: $CLI, built $(date -u -r "$CLI" +%Y-%m-%dT%H:%M:%SZ); source tree HEAD $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "body: $(head -n 1 "$WORK/bodies.txt" | wc -c) bytes (first event); nginx-light, 1 worker, return 204, $NGINX_SESSION"
echo
row "" "plain HTTP" "TLS"
row "(1) wrk -t2 -c64 (ceiling), req/s" "${R[plain.wrk]}" "$( [[ $TLS == 1 ]] && echo "${R[tls.wrk]}" || echo -)"
row "(2) QNAM reference ${WORKERS}x${CONCURRENCY}, req/s" "$(cell plain.qnam)" "$(tlscell qnam)"
row "(3) Node fetch + HMAC c=$NODE_CONCURRENCY, req/s" "$(cell plain.node)" "$(tlscell node)"
row "(4) Hookline --workers $WORKERS, deliveries/s" "$(cell plain.hookline)" "$(tlscell hookline)"
row "    Hookline engine seconds" "$(cell plain.seconds)" "$(tlscell seconds)"
row "    Hookline CPU, %" "$(cell plain.cpu)" "$(tlscell cpu)"
row "    Hookline peak RSS, MB" "$(cell plain.rss)" "$(tlscell rss)"
row "    Hookline minor page faults" "$(cell plain.faults)" "$(tlscell faults)"
row "    nginx worker CPU during (4), %" "$(cell plain.nginx)" "$(tlscell nginx)"
row "    host idle during (4), % of $(nproc) cores" "$(cell plain.idle)" "$(tlscell idle)"
row "    nginx worker CPU during (2), %" "$(cell plain.qnamnginx)" "$(tlscell qnamnginx)"
row "    host idle during (2), % of $(nproc) cores" "$(cell plain.qnamidle)" "$(tlscell qnamidle)"
echo
status=0
for label in plain tls; do
    [[ $label == tls && $TLS != 1 ]] && continue
    h=$(med "$label.hookline")
    q=$(ratio "$h" "$(med "$label.qnam")")
    n=$(ratio "$h" "$(med "$label.node")")
    w=$(ratio "$h" "${R[$label.wrk]}")
    rss=$(tr ' ' '\n' <<<"${R[$label.rss]}" | grep . | sort -g | tail -n 1)
    target=0.85
    [[ $label == tls ]] && target=0.80
    # A run that did not deliver and record every delivery measured something else.
    invalid=
    grep -q MISMATCH <<<"${R[$label.check]}" && invalid=1
    judge() { if [[ -n $invalid ]]; then echo "INVALID (see checks)"; else verdict "$@"; fi; }
    row "$label: Hookline / QNAM reference (>= $target)" "$q" "$(judge "$q" "$target" '>=')"
    # Each Hookline run against the reference run of the same round, a minute
    # apart: the host's drift between rounds cancels out of these. Shown
    # beside the ratio of the medians, which stays the verdict.
    paired=$(paste -d' ' <(tr ' ' '\n' <<<"${R[$label.hookline]}" | grep .) <(tr ' ' '\n' <<<"${R[$label.qnam]}" | grep .) \
        | awk '{printf " %.3f", $1 / $2}')
    row "    the same, run by run (median, range)" "$(median 3 <<<"$paired") ($(range <<<"$paired"))" ""
    row "$label: Hookline / Node reference (>= 2.0)" "$n" "$(judge "$n" 2.0 '>=')"
    row "$label: Hookline / wrk ceiling" "$w" ""
    row "$label: Hookline peak RSS, worst run (< 150 MB)" "$rss" "$(judge "$rss" 150 '<')"
    printf '%s' "${R[$label.check]}" | sed "s/^/$label: /"
    [[ -n $invalid ]] && status=1
done
exit $status
