#!/usr/bin/env bash
# Checks that the PostgreSQL server in DATABASE_URL answers. On a Debian machine with the
# server installed but stopped, it starts the local cluster with pg_ctlcluster first.
set -euo pipefail

url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/safeguarding}"
# host and port from postgres://user[:pass]@host:port/db (never print the URL: it may hold a password)
hostport="${url#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"
host="${hostport%%:*}"; port="${hostport##*:}"; [ "$port" = "$hostport" ] && port=5432

reachable() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

if reachable; then
  echo "postgres: reachable on $host:$port"
  exit 0
fi

if [[ "$host" == "127.0.0.1" || "$host" == "localhost" ]] && command -v pg_ctlcluster >/dev/null 2>&1; then
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$version" ]; then
    echo "postgres: not answering on $host:$port; starting cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do
      reachable && { echo "postgres: reachable on $host:$port"; exit 0; }
      sleep 1
    done
  fi
fi

echo "postgres: not reachable on $host:$port; install and start PostgreSQL (apt-get install postgresql) or set DATABASE_URL" >&2
exit 1
