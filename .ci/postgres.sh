#!/usr/bin/env bash
# A throwaway PostgreSQL/PostGIS cluster on localhost for the store tests.
#
#   .ci/postgres.sh start [DIR] [PORT]   initdb + start + role/database with postgis; prints the URL
#   .ci/postgres.sh stop  [DIR]          stop the cluster (the directory is left for inspection)
#
# Installs nothing: needs Debian's `postgresql` and `postgis` packages (binaries under
# /usr/lib/postgresql/<major>/bin). Listens on 127.0.0.1 only, socket in DIR; trust
# authentication for local connections only (a test cluster, never a real one). Durability
# is switched off (fsync=off) because the cluster is thrown away after the tests.
# Run as root (the server then runs as the `postgres` user) or as an ordinary user.
set -euo pipefail

action="${1:-}"
dir="${2:-${CONTESTED_PG_DIR:-/tmp/contested-pg}}"
port="${3:-${CONTESTED_PG_PORT:-54329}}"
db="contested"
role="contested"

bindir="${PG_BINDIR:-}"
if [ -z "$bindir" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "postgres.sh: no PostgreSQL server binaries (apt-get install -y postgresql postgis)" >&2
  exit 3
fi

as_owner() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then chown postgres: "$dir"; fi
    chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    fi
    psql=(env PGOPTIONS=--client-min-messages=warning "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres)
    if ! as_owner "${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$role'" | grep -q 1; then
      as_owner "${psql[@]}" -d postgres -c "CREATE ROLE $role LOGIN"
    fi
    if ! as_owner "${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      as_owner "${psql[@]}" -d postgres -c "CREATE DATABASE $db OWNER $role"
    fi
    as_owner "${psql[@]}" -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis"
    echo "postgresql://$role@127.0.0.1:$port/$db"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    ;;
  *)
    echo "usage: $0 start|stop [DIR] [PORT]" >&2
    exit 2
    ;;
esac
