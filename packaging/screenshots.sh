#!/usr/bin/env bash
# Seeds a demo database, runs the window under Xvfb, and writes screenshots
# of every screen (English, French, and English in a dark palette, plus a
# first start on an empty database) to docs/screenshots/ (or $1).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/docs/screenshots}"
"$root/packaging/install-deps.sh"
"$root/packaging/build.sh" hookline hookline-cli >/dev/null
bin="$root/build/bin"
work="$(mktemp -d)"
db="$work/demo.db"
port=18090
display=":$((90 + RANDOM % 100))"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

node "$root/packaging/demo-receiver.js" "$port" & pids+=($!)
cli() { "$bin/hookline-cli" --db "$db" "$@" >/dev/null; }
cli settings set allowInsecureUrls true
cli settings set allowPrivateAddresses true
cli webhook add --name "Lead sync (DevLink CRM)" --url "http://127.0.0.1:$port/ok/leads" --events 'lead.*,appointment.created' \
    --description "Pushes new leads to the marketing automation" --header 'Authorization: Bearer demo-token' \
    --schedule 0.2,0.5,1 --jitter 0.1
cli webhook add --name "Audit SIEM" --url "http://127.0.0.1:$port/flaky/audit" --events 'alert.*,event.created' \
    --scheme timestamped --max-retries 1 --retry-delay 0.2 --auto-disable-after 0
cli webhook add --name "FinSight Slack bridge" --url "http://127.0.0.1:$port/slow/finsight" --events 'kpi.threshold_reached,dashboard.*' --scheme hmac-hex
# Its receiver is down: the window shows it failing (an alert, the banner).
cli webhook add --name "Billing export" --url "http://127.0.0.1:$port/down/billing" --events 'kpi.threshold_reached' \
    --max-retries 0 --auto-disable-after 0
cli webhook add --name "Case tool (paused)" --url "https://hooks.example.com/dossiers" --events 'dossier.*' --scheme github --inactive
for i in $(seq 1 40); do
    echo "{\"event\":\"lead.created\",\"data\":{\"id\":\"lead-$i\",\"nom\":\"Dupont\",\"prenom\":\"Jean\",\"statut\":\"nouveau\"}}"
    echo "{\"event\":\"alert.triggered\",\"data\":{\"alert\":{\"id\":\"al-$i\",\"severity\":\"HIGH\",\"title\":\"Multiple failed logins\"}}}"
    echo "{\"event\":\"kpi.threshold_reached\",\"data\":{\"metric\":\"cashFlow\",\"value\":-12000,\"threshold\":-10000}}"
done > "$work/events.jsonl"
cli emit --batch "$work/events.jsonl"
timeout 120 "$bin/hookline-cli" --db "$db" deliver --until-idle --workers 2 >/dev/null

Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 & pids+=($!)
sleep 1
# A settings folder of its own: a saved window layout or language of the user's
# must not change the pictures.
shoot() { XDG_CONFIG_HOME="$work/config" DISPLAY="$display" QT_QPA_PLATFORM=xcb timeout 60 "$bin/hookline" "$@" --screenshots "$out"; }
# A first start: an empty database.
"$bin/hookline-cli" --db "$work/empty.db" settings list >/dev/null
shoot --db "$work/empty.db" --lang en --palette light
for lang in en fr; do
    shoot --db "$db" --lang "$lang" --palette light
done
# The same screens in a dark palette.
shoot --db "$db" --lang en --palette dark
ls "$out"
