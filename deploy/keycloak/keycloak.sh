#!/usr/bin/env bash
# Runs a real Keycloak (the OIDC provider of the tests and of a development machine) on loopback,
# from the server distribution Maven resolves from the pom next to this script. No Docker.
#
#   keycloak.sh start|stop|status|issuer|password USERNAME
#
# The realm (deploy/keycloak/realm-northshire.json: the demo people, the console client, the
# roles/mailboxes/agency claims) is imported on every start into a fresh dev database, with a
# password per demo person generated on this machine (KEYCLOAK_CACHE_DIR/demo-passwords.json,
# mode 0600, git-ignored): no password is ever committed.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
POM="$SCRIPT_DIR/pom.xml"
REALM_FILE="$SCRIPT_DIR/realm-northshire.json"
CACHE_DIR="${KEYCLOAK_CACHE_DIR:-$SCRIPT_DIR/.cache}"
HOST=127.0.0.1
# Each worktree has its own STACK_BASE_PORT; Keycloak sits 80 above it unless told otherwise.
PORT="${KEYCLOAK_PORT:-$((${STACK_BASE_PORT:-3000} + 80))}"
MANAGEMENT_PORT="${KEYCLOAK_MANAGEMENT_PORT:-$((PORT + 1))}"
START_TIMEOUT="${KEYCLOAK_START_TIMEOUT:-180}"
REALM=northshire

DIST_DIR="$CACHE_DIR/dist"
STAMP_FILE="$CACHE_DIR/dist.pom.sha256"
PID_FILE="$CACHE_DIR/keycloak.pid"
LOG_FILE="$CACHE_DIR/keycloak.log"
# Keycloak imports realms from its own data/import folder (start-dev --import-realm).
IMPORT_DIR="$DIST_DIR/data/import"
PASSWORDS_FILE="$CACHE_DIR/demo-passwords.json"

say() { printf 'keycloak: %s\n' "$*"; }
die() { printf 'keycloak.sh: %s\n' "$*" >&2; exit 1; }

# Keycloak 26 needs Java 21+; JAVA_HOME wins, then any JDK 21+ under /usr/lib/jvm, then PATH.
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
find_java() {
  local candidate
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    if (($(java_major "$candidate") >= 21)); then
      JAVA_HOME="$(cd "$(dirname "$candidate")/.." && pwd -P)"
      export JAVA_HOME
      return 0
    fi
  done
  die "Keycloak needs Java 21 or later; install one (apt-get install openjdk-21-jre-headless) or set JAVA_HOME"
}

# Unpacks the distribution once; a changed pom (new Keycloak version) unpacks it again.
resolve_dist() {
  local sha
  sha="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [[ -f "$STAMP_FILE" && "$(<"$STAMP_FILE")" == "$sha" && -x "$DIST_DIR/bin/kc.sh" ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found; install Maven (apt-get install maven)"
  say "resolving the Keycloak distribution from $POM (once per pom change)"
  local tmp="$CACHE_DIR/dist.tmp" out
  rm -rf "$tmp" "$tmp.markers"
  if ! out="$(mvn -q -B -Dstyle.color=never -f "$POM" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack-dependencies \
    -DincludeTypes=zip -DoutputDirectory="$tmp" -DmarkersDirectory="$tmp.markers" 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "mvn could not resolve Keycloak (its output is above)"
  fi
  rm -rf "$DIST_DIR"
  mv "$tmp"/keycloak-* "$DIST_DIR"
  rm -rf "$tmp" "$tmp.markers"
  printf '%s\n' "$sha" >"$STAMP_FILE"
  say "distribution ready in $DIST_DIR"
}

# One password per demo person, made here once and kept 0600; the realm copy that is imported
# carries them, the committed realm file never does.
write_import() {
  command -v jq >/dev/null 2>&1 || die "jq not found; install it (apt-get install jq)"
  if [[ ! -s "$PASSWORDS_FILE" ]]; then
    (
      umask 077
      jq -r '.users[].username' "$REALM_FILE" | while read -r user; do
        printf '%s\t%s\n' "$user" "$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
      done | jq -R -s 'split("\n") | map(select(length > 0) | split("\t") | {(.[0]): .[1]}) | add' >"$PASSWORDS_FILE"
    )
  fi
  mkdir -p "$IMPORT_DIR"
  (
    umask 077
    jq --slurpfile pw "$PASSWORDS_FILE" \
      '.users |= map(. + {credentials: [{type: "password", value: $pw[0][.username], temporary: false}]})' \
      "$REALM_FILE" >"$IMPORT_DIR/$REALM.json"
  )
}

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(<"$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  printf '%s\n' "$pid"
}

ready() {
  curl -fsS -o /dev/null "http://$HOST:$PORT/realms/$REALM/.well-known/openid-configuration" 2>/dev/null
}

cmd_start() {
  mkdir -p "$CACHE_DIR"
  [[ -f "$CACHE_DIR/.gitignore" ]] || printf '*\n' >"$CACHE_DIR/.gitignore"
  local pid
  if pid="$(running_pid)" && ready; then
    say "Keycloak already running on http://$HOST:$PORT (pid $pid)"
    return 0
  fi
  find_java
  resolve_dist
  # A fresh development database on every start, so the realm file is the whole truth.
  rm -rf "$DIST_DIR/data"
  write_import
  local started=$SECONDS
  say "starting Keycloak on http://$HOST:$PORT (Java $(java_major "$JAVA_HOME/bin/java"))"
  # start-dev: HTTP on loopback and a file database; never how production runs Keycloak.
  # --add-opens: JBoss threads' thread-local reset needs it on Java 24 and later.
  JAVA_OPTS_KC_HEAP="${KEYCLOAK_HEAP:--Xms64m -Xmx512m}" \
    JAVA_OPTS_APPEND="--add-opens=java.base/java.lang=ALL-UNNAMED" setsid nohup "$DIST_DIR/bin/kc.sh" start-dev \
    --http-host="$HOST" --http-port="$PORT" --http-management-port="$MANAGEMENT_PORT" \
    --hostname-strict=false --import-realm --health-enabled=false --metrics-enabled=false \
    --log-level=warn --log-console-output=default \
    >"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  printf '%s\n' "$pid" >"$PID_FILE"
  until ready; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      tail -n 40 "$LOG_FILE" >&2
      die "Keycloak exited during start-up (log above)"
    fi
    if ((SECONDS - started >= START_TIMEOUT)); then
      tail -n 40 "$LOG_FILE" >&2
      die "Keycloak not ready after ${START_TIMEOUT}s (KEYCLOAK_START_TIMEOUT); still running as pid $pid"
    fi
    sleep 1
  done
  say "Keycloak running: issuer http://$HOST:$PORT/realms/$REALM (ready in $((SECONDS - started))s)"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  say "stopping Keycloak (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null && ((waited < 60)); do
    sleep 0.5
    waited=$((waited + 1))
  done
  kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; }
  rm -f "$PID_FILE"
  say "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status)
    if pid="$(running_pid)" && ready; then
      printf 'running (pid %s) on http://%s:%s\n' "$pid" "$HOST" "$PORT"
    else
      printf 'stopped\n'
      exit 3
    fi
    ;;
  issuer) printf 'http://%s:%s/realms/%s\n' "$HOST" "$PORT" "$REALM" ;;
  password)
    [[ -n "${2:-}" && -s "$PASSWORDS_FILE" ]] || die "usage: keycloak.sh password USERNAME (after a start)"
    jq -er --arg user "$2" '.[$user]' "$PASSWORDS_FILE"
    ;;
  *)
    printf 'usage: %s start|stop|status|issuer|password USERNAME\n' "${0##*/}" >&2
    exit 2
    ;;
esac
