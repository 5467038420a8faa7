#!/usr/bin/env bash
# End-to-end check of Hookline's wire contract against the receivers' own code:
# the seeds' verification functions (copied verbatim in receiver.js) and the
# public Standard Webhooks, GitHub (@octokit/webhooks-methods) and Stripe
# libraries. Loopback only; about 10 s.
#
#   tests/receivers/run_seed_receivers.sh [PATH/TO/hookline-cli]
#
# Three databases, one per header prefix (an installation has one):
#   X-Webhook      standard, github, stripe, seed 001 (hmac-hex), seed 004 (hmac-base64),
#                  and two webhooks for the rotation check (standard, stripe)
#   X-FinSight     seed 000 (hmac-hex), verified by its Node code (re-serialised
#                  body) and its Python code (raw body)
#   X-Audit-Trail  seed 002 (timestamped) for a tenant other than default, verified
#                  by its Node code (re-serialised body) and its Python code (raw body)
# Every database gets the same ~75 events (canonical JSON edge cases and the
# seeds' payloads), through `emit --batch` and `emit --data @FILE`. Exits 0
# only when every delivery verified on every path, carried the rest of the wire
# contract (headers under the installation's prefix, the default envelope,
# tenantId for a tenant other than default), the delivered data are the emitted
# data, and a forged request is refused on every path.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CLI=${1:-$ROOT/build/bin/hookline-cli}
[[ $CLI == /* ]] || CLI=$PWD/$CLI
if [[ ! -x $CLI ]]; then
    echo "run_seed_receivers.sh: no hookline-cli at $CLI" >&2
    exit 2
fi
command -v node >/dev/null || { echo "run_seed_receivers.sh: node (>= 18) is required" >&2; exit 2; }

SECONDS=0
WORK=$(mktemp -d -t hookline-receivers.XXXXXX)
RECEIVER_PID=
cleanup() {
    local rc=$?
    if [[ -n $RECEIVER_PID ]]; then
        kill "$RECEIVER_PID" 2>/dev/null || true
        wait "$RECEIVER_PID" 2>/dev/null || true
    fi
    if [[ $rc -ne 0 && -s $WORK/receiver.log ]]; then
        echo "--- receiver log (last 60 lines) ---" >&2
        tail -n 60 "$WORK/receiver.log" >&2
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '[%3ds] %s\n' "$SECONDS" "$*"; }
die() { echo "run_seed_receivers.sh: $*" >&2; exit 1; }
# Everything the CLI does is bounded in time.
cli() { timeout 60 "$CLI" "$@"; }
# A member of the JSON object on standard input.
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(typeof v==="string"?v:JSON.stringify(v))})' "$1"; }

# --- node modules ---------------------------------------------------------
if [[ ! -d $HERE/node_modules/standardwebhooks || ! -d $HERE/node_modules/stripe || ! -d $HERE/node_modules/@octokit/webhooks-methods ]]; then
    step "npm ci (tests/receivers)"
    timeout 300 npm ci --prefix "$HERE" --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1 \
        || { cat "$WORK/npm.log" >&2; die "npm ci failed"; }
fi

# --- secrets (known to the receiver) --------------------------------------
STANDARD_SECRET='whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'            # the Standard Webhooks test vector's
ROTATION_SECRET='whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD'
STRIPE_SECRET='whsec_hooklineTestStripeSecret0123456789abcd'         # used as-is, never decoded
ROTATION_STRIPE_SECRET='whsec_hooklineRotationStripeSecret98765'
GITHUB_SECRET="It's-a-Secret-to-Everybody"
SEED000_SECRET='whsec_your_secret'                                   # seed 000's example
SEED001_SECRET='5d1fa0ad0f97e2c94b1b7d3c8e0a6f4d2b9c1e7a3f5d8b0c6e2a4f1d9b7c3e5a'
SEED002_SECRET='whsec_abc123def456'                                  # seed 002's example
SEED004_SECRET='whsec_abc123~!@#$%^&*()_+{}|:"<>?[]\;,./'            # printable ASCII, punctuation included

json_str() { node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$1"; }

write_config() { # $1: extra JSON members (rotation)
    cat >"$WORK/config.tmp" <<EOF
{
  "/standard":        {"verifier": "standard",       "prefix": "X-Webhook",     "secrets": [$(json_str "$STANDARD_SECRET")]},
  "/github":          {"verifier": "github",         "prefix": "X-Webhook",     "secrets": [$(json_str "$GITHUB_SECRET")]},
  "/stripe":          {"verifier": "stripe",         "prefix": "X-Webhook",     "secrets": [$(json_str "$STRIPE_SECRET")]},
  "/seed001":         {"verifier": "seed001",        "prefix": "X-Webhook",     "secrets": [$(json_str "$SEED001_SECRET")]},
  "/seed004":         {"verifier": "seed004",        "prefix": "X-Webhook",     "secrets": [$(json_str "$SEED004_SECRET")]},
  "/seed000":         {"verifier": "seed000",        "prefix": "X-FinSight",    "secrets": [$(json_str "$SEED000_SECRET")]},
  "/seed000-python":  {"verifier": "seed000-python", "prefix": "X-FinSight",    "secrets": [$(json_str "$SEED000_SECRET")]},
  "/seed002":         {"verifier": "seed002",        "prefix": "X-Audit-Trail", "tenant": "tenant-001", "secrets": [$(json_str "$SEED002_SECRET")]},
  "/seed002-python":  {"verifier": "seed002-python", "prefix": "X-Audit-Trail", "tenant": "tenant-001", "secrets": [$(json_str "$SEED002_SECRET")]}$1
}
EOF
    mv "$WORK/config.tmp" "$WORK/config.json" # atomic: the receiver reads it on every request
}
write_config ",
  \"/rotation\":        {\"verifier\": \"standard\", \"prefix\": \"X-Webhook\", \"secrets\": [$(json_str "$ROTATION_SECRET")]},
  \"/rotation-stripe\": {\"verifier\": \"stripe\",   \"prefix\": \"X-Webhook\", \"secrets\": [$(json_str "$ROTATION_STRIPE_SECRET")]}"

# --- receiver --------------------------------------------------------------
step "starting receiver.js"
node "$HERE/receiver.js" 0 "$WORK/config.json" "$WORK/port" >"$WORK/receiver.log" 2>&1 &
RECEIVER_PID=$!
for _ in $(seq 100); do
    [[ -s $WORK/port ]] && break
    kill -0 "$RECEIVER_PID" 2>/dev/null || die "receiver.js exited: $(cat "$WORK/receiver.log")"
    sleep 0.1
done
[[ -s $WORK/port ]] || die "receiver.js did not start within 10 s"
PORT=$(cat "$WORK/port")
BASE="http://127.0.0.1:$PORT"
step "receiver on $BASE"

# --- events ----------------------------------------------------------------
node "$HERE/make_events.js" "$WORK/events" >/dev/null
node "$HERE/make_events.js" "$WORK/events-tenant" tenant-001 >/dev/null
EXPECTED=$(node -p "require('$WORK/events/expected.json').count")
EVENTS='dashboard.created,kpi.threshold_reached,lead.created,event.created,dossier.created'

# --- databases and webhooks -------------------------------------------------
setup_db() { # $1 db, $2 header prefix
    cli --db "$1" settings set allowInsecureUrls true >/dev/null
    cli --db "$1" settings set allowPrivateAddresses true >/dev/null
    cli --db "$1" settings set retention 100000 >/dev/null
    cli --db "$1" settings set headerPrefix "$2" >/dev/null
}
add_webhook() { # $1 db, $2 path, $3 scheme, $4 secret, $5 events, [$6 tenant]; prints the id
    local extra=()
    [[ -n ${6:-} ]] && extra=(--tenant "$6")
    cli --db "$1" webhook add --url "$BASE$2" --events "$5" --scheme "$3" --secret "$4" \
        --name "seed receivers $2" --max-retries 0 --auto-disable-after 0 "${extra[@]}" --json | field id
}
emit_all() { # $1 db, $2 events dir, [$3 tenant]
    local extra=() type file
    [[ -n ${3:-} ]] && extra=(--tenant "$3")
    cli --db "$1" emit --batch "$2/events.jsonl" >/dev/null
    while IFS=$'\t' read -r type file; do
        cli --db "$1" emit "$type" --data "@$file" "${extra[@]}" >/dev/null
    done <"$2/single.tsv"
}
deliver() { # $1 db, $2 expected successes
    local out
    out=$(cli --db "$1" deliver --until-idle --workers 2 --json) || die "deliver failed on $(basename "$1")"
    local ok failed retry
    ok=$(field succeeded <<<"$out"); failed=$(field failed <<<"$out"); retry=$(field retryScheduled <<<"$out")
    step "$(basename "$1"): $ok succeeded, $failed failed, $retry to retry (expected $2 succeeded)"
    [[ $ok == "$2" && $failed == 0 && $retry == 0 ]]
}

PLAIN=$WORK/plain.db FINSIGHT=$WORK/finsight.db AUDIT=$WORK/audit.db
step "creating databases and webhooks"
setup_db "$PLAIN" X-Webhook
add_webhook "$PLAIN" /standard standard "$STANDARD_SECRET" "$EVENTS" >/dev/null
add_webhook "$PLAIN" /github github "$GITHUB_SECRET" "$EVENTS" >/dev/null
add_webhook "$PLAIN" /stripe stripe "$STRIPE_SECRET" "$EVENTS" >/dev/null
add_webhook "$PLAIN" /seed001 hmac-hex "$SEED001_SECRET" "$EVENTS" >/dev/null
add_webhook "$PLAIN" /seed004 hmac-base64 "$SEED004_SECRET" "$EVENTS" >/dev/null
ROTATION_ID=$(add_webhook "$PLAIN" /rotation standard "$ROTATION_SECRET" lead.deleted)
ROTATION_STRIPE_ID=$(add_webhook "$PLAIN" /rotation-stripe stripe "$ROTATION_STRIPE_SECRET" lead.deleted)

setup_db "$FINSIGHT" X-FinSight
add_webhook "$FINSIGHT" /seed000 hmac-hex "$SEED000_SECRET" "$EVENTS" >/dev/null
add_webhook "$FINSIGHT" /seed000-python hmac-hex "$SEED000_SECRET" "$EVENTS" >/dev/null

setup_db "$AUDIT" X-Audit-Trail
cli --db "$AUDIT" tenant add tenant-001 --plan PRO >/dev/null # seed 002's payloads carry tenantId
add_webhook "$AUDIT" /seed002 timestamped "$SEED002_SECRET" "$EVENTS" tenant-001 >/dev/null
add_webhook "$AUDIT" /seed002-python timestamped "$SEED002_SECRET" "$EVENTS" tenant-001 >/dev/null

step "emitting $EXPECTED events into each database"
emit_all "$PLAIN" "$WORK/events"
emit_all "$FINSIGHT" "$WORK/events"
emit_all "$AUDIT" "$WORK/events-tenant" tenant-001

step "delivering"
status=0
deliver "$PLAIN" $((EXPECTED * 5)) || status=1
deliver "$FINSIGHT" $((EXPECTED * 2)) || status=1
deliver "$AUDIT" $((EXPECTED * 2)) || status=1

# --- rotation: the next delivery verifies with the old AND the new secret ----
step "rotating the secrets of $ROTATION_ID and $ROTATION_STRIPE_ID (grace 3600 s)"
NEW_ROTATION_SECRET=$(cli --db "$PLAIN" webhook rotate-secret "$ROTATION_ID" --grace 3600 | field secret)
NEW_ROTATION_STRIPE_SECRET=$(cli --db "$PLAIN" webhook rotate-secret "$ROTATION_STRIPE_ID" --grace 3600 | field secret)
[[ $NEW_ROTATION_SECRET == whsec_* && $NEW_ROTATION_SECRET != "$ROTATION_SECRET" ]] || die "rotate-secret gave no new whsec_ secret"
write_config ",
  \"/rotation\":        {\"verifier\": \"standard\", \"prefix\": \"X-Webhook\", \"requireAll\": true, \"secrets\": [$(json_str "$ROTATION_SECRET"), $(json_str "$NEW_ROTATION_SECRET")]},
  \"/rotation-stripe\": {\"verifier\": \"stripe\",   \"prefix\": \"X-Webhook\", \"requireAll\": true, \"secrets\": [$(json_str "$ROTATION_STRIPE_SECRET"), $(json_str "$NEW_ROTATION_STRIPE_SECRET")]}"
ROTATION_DATA='{"id":"lead_42","reason":"rotation check","2":"b","1":"a","amount":1.0}'
cli --db "$PLAIN" emit lead.deleted --data "$ROTATION_DATA" >/dev/null
deliver "$PLAIN" 2 || status=1

# --- results ---------------------------------------------------------------
node - "$WORK" "$ROTATION_DATA" <<'EOF' >"$WORK/plan.json"
const [work, rotationData] = process.argv.slice(2);
const plain = require(`${work}/events/expected.json`).data;
const tenant = require(`${work}/events-tenant/expected.json`).data;
const rot = [JSON.stringify(JSON.parse(rotationData))];
const p = (scheme, verifier, data) => ({ scheme, verifier, expected: data.length, data });
console.log(JSON.stringify({
    '/standard': p('standard', 'standardwebhooks Webhook.verify', plain),
    '/github': p('github', '@octokit/webhooks-methods verify', plain),
    '/stripe': p('stripe', 'stripe.webhooks.constructEvent', plain),
    '/seed001': p('hmac-hex', 'seed 001 Python (raw body)', plain),
    '/seed004': p('hmac-base64', 'seed 004 Node (raw body)', plain),
    '/seed000': p('hmac-hex', 'seed 000 Node (JSON.stringify(parsed))', plain),
    '/seed000-python': p('hmac-hex', 'seed 000 Python (raw body)', plain),
    '/seed002': p('timestamped', 'seed 002 Node (JSON.stringify(parsed))', tenant),
    '/seed002-python': p('timestamped', 'seed 002 Python (raw body)', tenant),
    '/rotation': p('standard', 'standardwebhooks, old AND new secret', rot),
    '/rotation-stripe': p('stripe', 'constructEvent, old AND new secret', rot),
}));
EOF
step "results"
node "$HERE/check_results.js" "$BASE" "$WORK/plan.json" || status=1

if [[ $status -eq 0 ]]; then
    step "all deliveries verified"
else
    echo "seed receivers: FAILED" >&2
fi
exit $status
