#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1:${PGPORT:-55432} for the test suite and prints
# the PAPERBOY_TEST_PG_URL to use. Safe to run twice: an already running cluster is reused.
set -euo pipefail
PGPORT=${PGPORT:-55432}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DIR=${PGDATA_DIR:-/tmp/paperboy-pg}
if ! "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
  rm -rf "$DIR"; mkdir -p "$DIR"; chown postgres:postgres "$DIR"
  run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
  run "'$PGBIN/initdb' -D '$DIR/data' -U postgres -A trust --no-sync --locale=en_US.UTF-8 --encoding=UTF8 >/dev/null"
  run "'$PGBIN/pg_ctl' -D '$DIR/data' -l '$DIR/log' -w -o \"-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start >/dev/null"
fi
echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
