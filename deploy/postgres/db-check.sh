#!/usr/bin/env bash
# Checks that the PostgreSQL server in DATABASE_URL answers and accepts its login, and tells
# "server not running" from "wrong URL or credentials" (scripts/db-login-check.js). On a Debian
# machine with the server installed but stopped, it starts the local cluster with pg_ctlcluster.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/safeguarding}"
# host and port from postgres://user[:pass]@host:port/db (never print the URL: it may hold a password)
hostport="${url#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"
host="${hostport%%:*}"; port="${hostport##*:}"; [ "$port" = "$hostport" ] && port=5432

NOT_RUNNING=2
login_check() { node "$root/scripts/db-login-check.js"; }

status=0; login_check || status=$?
[ "$status" -eq 0 ] && exit 0
[ "$status" -ne "$NOT_RUNNING" ] && exit 1

# A local cluster on that very port that is down: start it (pg_lsclusters: version name port status ...).
if [[ "$host" == "127.0.0.1" || "$host" == "localhost" ]] && command -v pg_lsclusters >/dev/null 2>&1; then
  cluster="$(pg_lsclusters -h 2>/dev/null | awk -v port="$port" '$3 == port && $4 == "down" { print $1 " " $2; exit }')"
  if [ -n "$cluster" ]; then
    echo "postgres: starting the local cluster ${cluster/ //} on port $port"
    # shellcheck disable=SC2086  # version and name
    pg_ctlcluster --skip-systemctl-redirect $cluster start || true
    for _ in $(seq 1 30); do
      status=0; login_check 2>/dev/null || status=$?
      [ "$status" -eq 0 ] && exit 0
      [ "$status" -ne "$NOT_RUNNING" ] && { login_check || true; exit 1; }
      sleep 1
    done
  fi
fi

echo "postgres: install and start PostgreSQL (apt-get install postgresql), or set DATABASE_URL to a running server" >&2
exit 1
