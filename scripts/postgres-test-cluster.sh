#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster for pb4j's tests, for runs that want to reuse one
# server instead of the cluster each test run starts by itself (pb-userstore's PostgresServer).
#
#   eval "$(scripts/postgres-test-cluster.sh start)"   # exports PB4J_POSTGRES_URL and _USER
#   mvn -B -pl pb-userstore test
#   scripts/postgres-test-cluster.sh stop
#
# Environment: PB4J_POSTGRES_DIR (default /tmp/pb4j-postgres-cluster), PB4J_POSTGRES_PORT
# (default 55432), PB4J_POSTGRES_BINDIR (default: newest /usr/lib/postgresql/*/bin).
# The cluster trusts every local connection: use it for tests only.
set -euo pipefail

dir="${PB4J_POSTGRES_DIR:-/tmp/pb4j-postgres-cluster}"
port="${PB4J_POSTGRES_PORT:-55432}"

find_bindir() {
  if [[ -n "${PB4J_POSTGRES_BINDIR:-}" ]]; then
    echo "$PB4J_POSTGRES_BINDIR"
    return
  fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$newest" ]]; then
    echo "$newest"
  elif command -v initdb >/dev/null; then
    dirname "$(command -v initdb)"
  fi
}

bindir="$(find_bindir)"
if [[ -z "$bindir" || ! -x "$bindir/initdb" || ! -x "$bindir/postgres" ]]; then
  echo "PostgreSQL server binaries not found: apt-get install -y postgresql" >&2
  exit 1
fi

# initdb refuses to run as root.
as_owner=()
if [[ "$(id -u)" == 0 ]]; then
  as_owner=(runuser -u postgres --)
fi

case "${1:-}" in
  start)
    if [[ ! -d "$dir/data" ]]; then
      mkdir -p "$dir"
      [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$dir"
      "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
        --no-locale --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    "${as_owner[@]}" "$bindir/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -h 127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off" >&2 \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "export PB4J_POSTGRES_URL=jdbc:postgresql://127.0.0.1:$port/postgres"
    echo "export PB4J_POSTGRES_USER=postgres"
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      "${as_owner[@]}" "$bindir/pg_ctl" stop -D "$dir/data" -m fast -w -t 30 >&2
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
