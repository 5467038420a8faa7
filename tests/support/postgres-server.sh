#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests, on 127.0.0.1 only.
#
#   postgres-server.sh start DIR    initdb in a new folder under /tmp (trust auth,
#                                   fsync off), start it on a free port, write its
#                                   URL to DIR/url and its folder to DIR/datadir
#   postgres-server.sh stop DIR     stop it and remove both folders
#
# The server's files live under /tmp because the server runs as `postgres`
# (below), which may not be allowed into the build tree (e.g. under /root).
#
# Debian's postgresql package provides the binaries (packaging/debian-packages.txt);
# the system cluster is left alone. PostgreSQL refuses to run as root, so as
# root the server runs as the `postgres` user that package creates.
set -euo pipefail

cmd=${1:?start|stop}
dir=${2:?directory}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[[ -n $bin && -x $bin/initdb ]] || { echo "postgres-server.sh: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

data_of() { [[ -f $dir/datadir ]] && cat "$dir/datadir" || true; }

case $cmd in
start)
    old=$(data_of)
    if [[ -n $old ]]; then
        "$0" stop "$dir" || true
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    data=$(mktemp -d /tmp/hookline-pg.XXXXXX)
    echo "$data" >"$dir/datadir"
    [[ $(id -u) == 0 ]] && chown postgres "$data"
    as_owner "$bin/initdb" -D "$data/data" -A trust -U hookline -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    # A port nobody answers on (bash's /dev/tcp: refused means free).
    port=
    for _ in $(seq 50); do
        candidate=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
            port=$candidate
            break
        fi
    done
    [[ -n $port ]] || { echo "postgres-server.sh: no free port found" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$data/data" -l "$data/server.log" -w -t 60 \
        -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" start >/dev/null \
        || { cat "$data/server.log" >&2; exit 1; }
    echo "postgresql://hookline@127.0.0.1:$port/postgres" >"$dir/url"
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($data)"
    ;;
stop)
    data=$(data_of)
    if [[ -n $data && -f $data/data/postmaster.pid ]]; then
        as_owner "$bin/pg_ctl" -D "$data/data" -m fast -w stop >/dev/null || true
    fi
    [[ -n $data && $data == /tmp/hookline-pg.* ]] && rm -rf "$data"
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
