#!/usr/bin/env bash
# The receivers `hookline-cli snippet` writes, run for real against the
# engine's deliveries: for every scheme and language, a webhook pointed at the
# snippet gets a test ping (its attempt must be answered 204), the same
# signed request with a tampered body must be refused (401) and the untouched
# one accepted. Node uses tests/receivers/node_modules (express and the
# scheme libraries); Python needs python3-flask, PHP php-cli, Go golang-go,
# Java default-jdk-headless (Java 17).
#   run_snippets.sh HOOKLINE_CLI
set -euo pipefail
CLI="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULES="$HERE/../receivers/node_modules"
WORK="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
die() { echo "FAIL: $*" >&2; exit 1; }

if [[ ! -d $MODULES/express || ! -d $MODULES/standardwebhooks ]]; then
    timeout 300 npm ci --prefix "$HERE/../receivers" --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1 \
        || { cat "$WORK/npm.log" >&2; die "npm ci failed"; }
fi
export HOOKLINE_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
DB="$WORK/snippets.db"
"$CLI" --db "$DB" --catalogs none settings set allowInsecureUrls true >/dev/null
"$CLI" --db "$DB" settings set allowPrivateAddresses true >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 900); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

languages=(node python)
command -v php >/dev/null && languages+=(php)
command -v go >/dev/null && languages+=(go)
command -v java >/dev/null && languages+=(java)
export GOCACHE="$WORK/go-cache" GOPATH="$WORK/go-path" GO111MODULE=off
body='{"event":"lead.created","data":{"id":42,"name":"Zoë"}}'
checked=0
for scheme in standard hmac-hex hmac-base64 timestamped github stripe; do
    for language in "${languages[@]}"; do
        port="$(free_port)"
        created="$("$CLI" --db "$DB" --json webhook add --name "$scheme-$language" --url "http://127.0.0.1:$port/webhook" \
                    --events 'webhook.*' --scheme "$scheme" --max-retries 0)"
        id="$(json "d['id']" <<<"$created")"
        secret="$(json "d['secret']" <<<"$created")"
        mkdir -p "$WORK/$scheme-$language"
        case $language in
            node) file="$WORK/$scheme-$language/receiver.js" ;;
            python) file="$WORK/$scheme-$language/receiver.py" ;;
            php) file="$WORK/$scheme-$language/receiver.php" ;;
            go) file="$WORK/$scheme-$language/receiver.go" ;;
            java) file="$WORK/$scheme-$language/Receiver.java" ;;
        esac
        "$CLI" snippet --scheme "$scheme" --language "$language" > "$file"
        case $language in
            node) WEBHOOK_SECRET="$secret" PORT="$port" NODE_PATH="$MODULES" node "$file" >"$file.log" 2>&1 & ;;
            python) WEBHOOK_SECRET="$secret" PORT="$port" python3 "$file" >"$file.log" 2>&1 & ;;
            php) WEBHOOK_SECRET="$secret" php -S "127.0.0.1:$port" "$file" >"$file.log" 2>&1 & ;;
            go) go build -o "${file%.go}" "$file" || die "$scheme/go: the receiver does not build"
                WEBHOOK_SECRET="$secret" PORT="$port" "${file%.go}" >"$file.log" 2>&1 & ;;
            java) WEBHOOK_SECRET="$secret" PORT="$port" java "$file" >"$file.log" 2>&1 & ;;
        esac
        pids+=($!)
        wait_port "$port" || { cat "$file.log" >&2; die "$scheme/$language: the receiver did not start"; }

        # A real delivery from the engine.
        ping="$("$CLI" --db "$DB" --json webhook test "$id" || true)"
        code="$(json "d.get('responseStatus')" <<<"$ping")"
        [[ $code == 204 ]] || { cat "$file.log" >&2; die "$scheme/$language: the test ping was answered $code: $ping"; }

        # The same signature over another body is refused; over its own body accepted.
        signed="$("$CLI" --json sign --scheme "$scheme" --secret "$secret" --body "$body")"
        headers=()
        while IFS= read -r h; do headers+=(-H "$h"); done < <(json "'\n'.join(f'{k}: {v}' for k, v in d['headers'].items())" <<<"$signed")
        post() { curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/webhook" -H 'Content-Type: application/json' "${headers[@]}" --data-binary "$1"; }
        tampered="$(post "${body/42/43}")"
        [[ $tampered == 401 ]] || die "$scheme/$language: a tampered body was answered $tampered, not 401"
        original="$(post "$body")"
        [[ $original == 204 ]] || { cat "$file.log" >&2; die "$scheme/$language: the signed body was answered $original, not 204"; }
        kill "${pids[-1]}" 2>/dev/null || true
        checked=$((checked + 1))
        echo "ok: $scheme / $language"
    done
done
echo "receiver snippets: $checked checked (${languages[*]})"
