#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb into a new temporary folder (as the unprivileged
# `postgres` user when run as root, since PostgreSQL refuses to run as root), password authentication only,
# listening on 127.0.0.1 on a free port, with its socket in that folder. Nothing outside the folder is touched.
#
#   scripts/pgcluster.sh start   prints `export PROMPTSCOPE_TEST_PG_URI=...; export PROMPTSCOPE_TEST_PG_DIR=...`
#   scripts/pgcluster.sh stop    stops the cluster named by PROMPTSCOPE_TEST_PG_DIR and removes its folder
#
# Tests read PROMPTSCOPE_TEST_PG_URI (postgresql://promptscope:PASSWORD@127.0.0.1:PORT/postgres). Under CI=true a
# test that needs the server fails when the variable is missing or the server does not answer.
set -euo pipefail

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "pgcluster: PostgreSQL's server programs are not installed" >&2; exit 1; }
  echo "$dir"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin dir port password
  bin=$(pg_bin)
  dir=$(mktemp -d /tmp/promptscope-pg.XXXXXX)
  chmod 755 "$dir"
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  printf '%s\n' "$password" >"$dir/pwfile"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$dir"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U promptscope --pwfile="$dir/pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  port=$(free_port)
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "export PROMPTSCOPE_TEST_PG_URI=postgresql://promptscope:${password}@127.0.0.1:${port}/postgres"
  echo "export PROMPTSCOPE_TEST_PG_DIR=$dir"
}

stop() {
  local dir=${PROMPTSCOPE_TEST_PG_DIR:-}
  [ -n "$dir" ] && [ -d "$dir/data" ] || exit 0
  as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
