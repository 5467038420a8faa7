# Shared by the benchmark scripts (sourced, not run): a work folder cleaned up
# on exit with every process the script started, progress lines, free ports,
# and a throw-away nginx.
#
#   source "$HERE/common.sh"; bench_begin NAME tool...
#   some-server &                     # every background job is stopped (TERM) and waited for at exit
#   start_nginx HOST:PORT <<'EOF'     # the server blocks; waits until HOST:PORT/status answers
#   server { listen ...; location = /status { stub_status; } }
#   EOF

# Checks the tools, makes $WORK and arms the cleanup. $BENCH names messages.
bench_begin() {
    BENCH=$1
    shift
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || die "$tool is required (Debian: nginx-light, wrk, nodejs, openssl, curl, sqlite3)"
    done
    SECONDS=0
    WORK=$(mktemp -d -t "hookline-$BENCH.XXXXXX")
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

bench_cleanup() {
    local rc=$? jobs
    # The shell's own background jobs only: a process id kept in a list
    # could belong to another program by now.
    jobs=$(jobs -p)
    if [[ -n $jobs ]]; then
        kill $jobs 2>/dev/null || true
        wait $jobs 2>/dev/null || true
    fi
    rm -rf "$WORK"
    exit "$rc"
}

die() { echo "${BENCH:-bench}.sh: $*" >&2; exit 1; }
step() { printf '[%3ds] %s\n' "$SECONDS" "$*" >&2; }
now_ms() { date +%s%3N; }
# The median and the range of whitespace-separated figures on standard input;
# the mean of the middle two is printed with DECIMALS decimals (median [DECIMALS], 1).
median() { tr ' ' '\n' | grep . | sort -g | awk -v d="${1:-1}" '{v[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.*f\n", d, (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
range() { tr ' ' '\n' | grep . | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%s-%s", lo, hi}'; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# nginx with one worker and no access log; the http block's servers come on
# standard input. $1: the HOST:PORT whose /status tells it is up.
start_nginx() {
    local probe=$1
    mkdir -p "$WORK/nginx/tmp" "$WORK/nginx/logs"
    {
        cat <<CONF
daemon off;
master_process on;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; multi_accept on; }
http {
    access_log off;
    server_tokens off;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    client_max_body_size 2m;
CONF
        cat
        echo "}"
    } >"$WORK/nginx/nginx.conf"
    # nginx runs in a session of its own, as a daemon or a service does. The
    # kernel schedules by session (autogroup): started in the script's
    # session, the receiver would share one scheduling group with the client
    # under test and compete with its threads one for one, so that how
    # promptly it answers would depend on how many threads that client runs
    # (PROFILE.md, "2026-12-03"). RECEIVER_SESSION=shared starts it the old way.
    # NGINX_SESSION says which, for a script's report.
    local session=setsid
    NGINX_SESSION="in a session of its own"
    if [[ ${RECEIVER_SESSION:-own} == shared ]]; then
        session=
        NGINX_SESSION="in the script's session (RECEIVER_SESSION=shared)"
    fi
    $session nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" &
    NGINX_PID=$!
    for _ in $(seq 100); do
        curl -sf "http://$probe/status" >/dev/null 2>&1 && return 0
        kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited: $(cat "$WORK/nginx/logs/error.log")"
        sleep 0.1
    done
    die "nginx did not answer on $probe"
}
