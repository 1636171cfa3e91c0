#!/usr/bin/env bash
# Runs one real Apache Kafka broker (KRaft, combined broker+controller) on loopback, from jars
# that Maven resolves from the pom next to this script. No Docker, no Kafka distribution tarball.
# KAFKA_CLUSTER=3 runs three such brokers instead, a three-voter KRaft quorum, each with its own
# data, config, log and pid under cluster/broker-<n>/, on KAFKA_PORT, +2, +4 (controllers on
# KAFKA_CONTROLLER_PORT, +2, +4), with replication factor 3 and min.insync.replicas=2.
#
#   kafka.sh start|stop|status|restart|reset | add-user NAME PASSWORD_FILE
#   KAFKA_CLUSTER=3 kafka.sh start-broker N|stop-broker N|kill-broker N   (one broker of the cluster)
#
# Everything it writes lives under KAFKA_CACHE_DIR (default: deploy/kafka/.cache): libs/ (jars),
# data/ (KRaft log dir), logs/, kafka.pid, server.properties, log4j files and the pom stamp; a
# cluster's brokers keep theirs in cluster/broker-<n>/ and share the jars.
#
# The client listener requires SASL/SCRAM-SHA-512 and every request is authorised by the
# StandardAuthorizer with allow.everyone.if.no.acl.found=false. The admin principal's password
# is generated here on first start (KAFKA_CREDENTIALS_DIR/admin.password, 0600) and written into
# the storage at format time; `npm run setup` registers the services' principals and ACLs.
set -euo pipefail

# --- locations ------------------------------------------------------------------------------
# Only bash builtins until java is found: the "java not found" message must still come out
# when PATH is broken (no dirname, no readlink).
case "${BASH_SOURCE[0]}" in
  */*) SCRIPT_DIR="${BASH_SOURCE[0]%/*}" ;;
  *) SCRIPT_DIR="." ;;
esac
SCRIPT_DIR="$(cd "$SCRIPT_DIR" && pwd -P)"
POM="$SCRIPT_DIR/pom.xml"
FORMAT_SOURCE="$SCRIPT_DIR/FormatWithAdmin.java"

CACHE_DIR="${KAFKA_CACHE_DIR:-$SCRIPT_DIR/.cache}"
HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
# 1 (the default): one broker; 3: a three-broker cluster on loopback.
CLUSTER_SIZE="${KAFKA_CLUSTER:-1}"
[[ "$CLUSTER_SIZE" == 1 || "$CLUSTER_SIZE" == 3 ]] || { printf 'kafka.sh: KAFKA_CLUSTER must be 1 or 3\n' >&2; exit 2; }
BASE_PORT="$PORT"
BASE_CONTROLLER_PORT="$CONTROLLER_PORT"
# Three brokers share the machine: each gets a smaller heap unless told otherwise.
if ((CLUSTER_SIZE == 1)); then
  HEAP="${KAFKA_HEAP:--Xms256m -Xmx512m}"
else
  HEAP="${KAFKA_HEAP:--Xms128m -Xmx384m}"
fi
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT=30
# Beside the node keys by default (git-ignored); the services read their passwords from here.
CREDENTIALS_DIR="${KAFKA_CREDENTIALS_DIR:-${SCRIPT_DIR%/deploy/kafka}/.keys/kafka}"
ADMIN_USER="${KAFKA_ADMIN_USERNAME:-admin}"
ADMIN_PASSWORD_FILE="$CREDENTIALS_DIR/$ADMIN_USER.password"
# KAFKA_SSL=true: the client listener is SASL_SSL, with a broker certificate signed at each start
# by a local CA (made on first use, or KAFKA_TLS_CA_CERT/KAFKA_TLS_CA_KEY given by the caller).
SSL="${KAFKA_SSL:-false}"
[[ "$SSL" == true || "$SSL" == false ]] || { printf 'kafka.sh: KAFKA_SSL must be true or false\n' >&2; exit 2; }
LISTENER=SASL_PLAINTEXT
[[ "$SSL" == true ]] && LISTENER=SASL_SSL

LIBS_DIR="$CACHE_DIR/libs"
CLUSTER_DIR="$CACHE_DIR/cluster"
# Every broker of a cluster is formatted with this one id, made on the first start.
CLUSTER_ID_FILE="$CLUSTER_DIR/cluster.id"
LOG4J_FILE="$CACHE_DIR/log4j.properties"
TOOLS_LOG4J_FILE="$CACHE_DIR/tools-log4j.properties"
STAMP_FILE="$CACHE_DIR/libs.pom.sha256"
TLS_DIR="$CACHE_DIR/tls"
CA_CERT="${KAFKA_TLS_CA_CERT:-$TLS_DIR/ca.pem}"
CA_KEY="${KAFKA_TLS_CA_KEY:-$TLS_DIR/ca.key}"
BROKER_KEYSTORE="$TLS_DIR/broker.p12"
BROKER_KEYSTORE_PASSWORD_FILE="$TLS_DIR/broker.p12.password"

JAVA=""

# Points the per-broker variables at broker N (1 for the single broker, whose files stay
# directly in the cache, as before there was a cluster).
use_broker() {
  BROKER="$1"
  if ((CLUSTER_SIZE == 1)); then
    NODE_DIR="$CACHE_DIR"
    BROKER_NAME="broker"
    LABEL=""
  else
    NODE_DIR="$CLUSTER_DIR/broker-$1"
    BROKER_NAME="broker $1"
    LABEL=" broker $1"
  fi
  PORT=$((BASE_PORT + 2 * ($1 - 1)))
  CONTROLLER_PORT=$((BASE_CONTROLLER_PORT + 2 * ($1 - 1)))
  DATA_DIR="$NODE_DIR/data"
  LOG_DIR="$NODE_DIR/logs"
  PID_FILE="$NODE_DIR/kafka.pid"
  PROPS_FILE="$NODE_DIR/server.properties"
  SERVER_LOG="$LOG_DIR/server.log"
  OUT_LOG="$LOG_DIR/kafka.out"
  # Written after a format that registered the admin's SCRAM credential; storage formatted by an
  # older kafka.sh (anonymous PLAINTEXT) has none and is formatted afresh.
  SECURED_MARK="$DATA_DIR/sgx-scram-admin"
}
use_broker 1

all_brokers() { seq 1 "$CLUSTER_SIZE"; }

# host:port of every broker's client listener, as clients list them in KAFKA_BROKERS.
bootstrap_servers() {
  local i list=""
  for i in $(all_brokers); do list+="${list:+,}$HOST:$((BASE_PORT + 2 * (i - 1)))"; done
  printf '%s\n' "$list"
}

quorum_voters() {
  local i list=""
  for i in $(all_brokers); do list+="${list:+,}$i@$HOST:$((BASE_CONTROLLER_PORT + 2 * (i - 1)))"; done
  printf '%s\n' "$list"
}

say() { printf 'kafka: %s\n' "$*"; }
die() { printf 'kafka.sh: %s\n' "$*" >&2; exit 1; }

usage() {
  printf 'usage: %s start|stop|status|restart|reset | add-user NAME PASSWORD_FILE | start-broker N | stop-broker N | kill-broker N\n' "${0##*/}" >&2
  exit 2
}

# --- prerequisites --------------------------------------------------------------------------
find_java() {
  # JAVA_HOME wins so a machine with several JDKs can pick one without touching PATH.
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    JAVA="$(command -v java)"
  else
    die "java not found; install OpenJDK 17+ (apt-get install openjdk-17-jre-headless)"
  fi
}

pom_sha() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$POM" | cut -d' ' -f1
  else
    shasum -a 256 "$POM" | cut -d' ' -f1
  fi
}

# Copies the broker's runtime jars once; a changed pom (new Kafka version) re-resolves them.
resolve_jars() {
  [[ -f "$POM" ]] || die "pom not found at $POM"
  local sha
  sha="$(pom_sha)"
  if [[ -f "$STAMP_FILE" && "$(<"$STAMP_FILE")" == "$sha" ]] && compgen -G "$LIBS_DIR/kafka_2.13-*.jar" >/dev/null; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 ||
    die "mvn not found; install Maven 3.6+ (apt-get install maven) to fetch the Kafka jars once"

  say "resolving Kafka jars from $POM (once per pom change)"
  # Resolve into a fresh folder and swap it in, so jars of an older version never linger on
  # the classpath and an interrupted download never leaves a half-filled libs/.
  local tmp="$CACHE_DIR/libs.tmp"
  rm -rf "$tmp"
  # The plugin version is pinned: Maven 3.8's default (2.8) is a decade old. Its output is
  # shown only on failure: even with -q, Maven 3.8 prints stray colour-reset codes.
  local out
  if ! out="$(mvn -q -B -Dstyle.color=never -f "$POM" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "mvn could not resolve the Kafka jars (its output is above)"
  fi
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  printf '%s\n' "$sha" >"$STAMP_FILE"
  say "jars ready in $LIBS_DIR"
}

# --- generated configuration ----------------------------------------------------------------
# Written on every start so a changed KAFKA_PORT or KAFKA_CONTROLLER_PORT takes effect; the
# ports are not part of the formatted storage, so the data survives such a change.
write_config() {
  local admin_password
  admin_password="$(<"$ADMIN_PASSWORD_FILE")"
  # The file holds the admin's password (inter-broker login): readable by this user only.
  (umask 077 && : >"$PROPS_FILE")
  chmod 600 "$PROPS_FILE"
  cat >"$PROPS_FILE" <<EOF
# Generated by deploy/kafka/kafka.sh on every start: edit the script, not this file.
process.roles=broker,controller
node.id=${BROKER}
controller.quorum.voters=$(quorum_voters)
listeners=${LISTENER}://${HOST}:${PORT},CONTROLLER://${HOST}:${CONTROLLER_PORT}
advertised.listeners=${LISTENER}://${HOST}:${PORT}
listener.security.protocol.map=${LISTENER}:${LISTENER},CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=${LISTENER}
log.dirs=${DATA_DIR}

# Every client authenticates with SCRAM-SHA-512; the broker talks to itself as the admin.
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.${LISTENER,,}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${ADMIN_USER}" password="${admin_password}";
# Nothing is allowed unless an ACL allows it. The admin (set-up) is a super user; so is
# ANONYMOUS, which is only ever the broker itself on the loopback-only PLAINTEXT controller
# listener (the SASL client listener never yields an anonymous principal).
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:${ADMIN_USER};User:ANONYMOUS

EOF
  if ((CLUSTER_SIZE == 1)); then
    cat >>"$PROPS_FILE" <<EOF
# The defaults assume three brokers; on one node they leave the group coordinator and
# transactions unavailable.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
EOF
  else
    cat >>"$PROPS_FILE" <<EOF
# Every partition on all three brokers, and a write (acks=all) taken only when two have it:
# losing any one broker loses nothing and stops nothing. The internal topics alike.
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
# Only an in-sync replica may become leader, or a leader change could drop acknowledged records.
unclean.leader.election.enable=false
EOF
  fi
  cat >>"$PROPS_FILE" <<EOF
# Consumer groups in tests join at once instead of waiting 3 s for more members.
group.initial.rebalance.delay.ms=0

# The project creates its topics with an admin client; a typo must fail, not create a topic.
auto.create.topics.enable=false
num.partitions=3
EOF
  if [[ "$SSL" == true ]]; then
    cat >>"$PROPS_FILE" <<EOF

# TLS on the client listener: the broker's key and certificate chain (PKCS12, its password
# generated with it), and the CA it trusts for its own inter-broker connections.
ssl.keystore.type=PKCS12
ssl.keystore.location=${BROKER_KEYSTORE}
ssl.keystore.password=$(<"$BROKER_KEYSTORE_PASSWORD_FILE")
ssl.key.password=$(<"$BROKER_KEYSTORE_PASSWORD_FILE")
ssl.truststore.type=PEM
ssl.truststore.location=${CA_CERT}
EOF
  fi
}

# The log4j files, shared by every broker (each logs into its own kafka.logs.dir).
write_log_config() {
  cat >"$LOG4J_FILE" <<'EOF'
# Generated by deploy/kafka/kafka.sh: the broker's log4j (reload4j) configuration.
log4j.rootLogger=INFO, serverFile

log4j.appender.serverFile=org.apache.log4j.RollingFileAppender
log4j.appender.serverFile.File=${kafka.logs.dir}/server.log
log4j.appender.serverFile.MaxFileSize=20MB
log4j.appender.serverFile.MaxBackupIndex=5
log4j.appender.serverFile.layout=org.apache.log4j.PatternLayout
log4j.appender.serverFile.layout.ConversionPattern=[%d] %p %m (%c)%n

# Quieted because they repeat per partition, per request or dump the whole config at INFO,
# which buries the lines that explain a failure.
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.kafka.log=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
log4j.logger.kafka.cluster.Partition=WARN
# Loading offsets logs four lines for each of the 50 __consumer_offsets partitions on every
# start; kafka.coordinator.group.GroupCoordinator (rebalances) stays at INFO.
log4j.logger.kafka.coordinator.group.GroupMetadataManager=WARN
log4j.logger.org.apache.kafka.common.config=WARN
# A 300-line dump of every setting on each start; server.properties holds what was set.
log4j.logger.kafka.server.KafkaConfig=WARN
log4j.logger.org.apache.kafka.common.utils.AppInfoParser=WARN
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.org.apache.zookeeper=WARN
EOF

  # The storage tool is a one-shot command: its messages belong on the terminal, warnings only.
  cat >"$TOOLS_LOG4J_FILE" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

storage_tool() {
  "$JAVA" -Dlog4j.configuration="file:$TOOLS_LOG4J_FILE" -cp "$LIBS_DIR/*" kafka.tools.StorageTool "$@"
}

# KRaft refuses to start on an unformatted log dir; format it once with a fresh cluster id.
format_storage() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    [[ -f "$SECURED_MARK" ]] && return 0
    say "$DATA_DIR was formatted without SASL/SCRAM (no admin credential): deleting it to format afresh"
    rm -rf "$DATA_DIR"
  fi
  say "formatting KRaft storage in $DATA_DIR (first start)"
  local cluster_id
  if ((CLUSTER_SIZE > 1)) && [[ -s "$CLUSTER_ID_FILE" ]]; then
    cluster_id="$(<"$CLUSTER_ID_FILE")"
  else
    cluster_id="$(storage_tool random-uuid)" || die "kafka.tools.StorageTool random-uuid failed"
    if ((CLUSTER_SIZE > 1)); then
      mkdir -p "$CLUSTER_DIR"
      printf '%s\n' "$cluster_id" >"$CLUSTER_ID_FILE"
    fi
  fi
  mkdir -p "$DATA_DIR"
  # A launcher reads the admin password from its file, so it never shows on a command line.
  "$JAVA" -Dlog4j.configuration="file:$TOOLS_LOG4J_FILE" -cp "$LIBS_DIR/*" "$FORMAT_SOURCE" \
    "$PROPS_FILE" "$cluster_id" "$ADMIN_USER" "$ADMIN_PASSWORD_FILE" >/dev/null ||
    die "formatting $DATA_DIR failed"
  : >"$SECURED_MARK"
  say "cluster id $cluster_id"
}

# The CA is made once (unless the caller brings one); the broker's certificate is signed by it
# at every start, for 127.0.0.1 and localhost. Keys are 0600 and live only in the cache.
ensure_tls() {
  [[ "$SSL" == true ]] || return 0
  command -v openssl >/dev/null 2>&1 || die "openssl not found; install it for KAFKA_SSL=true"
  (umask 077 && mkdir -p "$TLS_DIR")
  if [[ ! -f "$CA_CERT" ]]; then
    [[ -z "${KAFKA_TLS_CA_CERT:-}" ]] || die "KAFKA_TLS_CA_CERT $CA_CERT does not exist"
    (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=Safeguarding Exchange local Kafka CA" \
      -keyout "$CA_KEY" -out "$CA_CERT" 2>/dev/null) || die "creating the local CA failed"
    say "generated a local CA in $CA_CERT"
  fi
  [[ -f "$CA_KEY" ]] || die "the CA's key $CA_KEY is missing"
  local work
  work="$(umask 077 && mktemp -d)"
  (
    umask 077
    openssl req -newkey rsa:2048 -nodes -subj "/CN=${HOST}" \
      -keyout "$work/broker.key" -out "$work/broker.csr" 2>/dev/null &&
      printf 'subjectAltName=IP:%s,DNS:localhost\n' "$HOST" >"$work/san.ext" &&
      openssl x509 -req -in "$work/broker.csr" -CA "$CA_CERT" -CAkey "$CA_KEY" -set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
        -days 365 -extfile "$work/san.ext" -out "$work/broker.crt" 2>/dev/null &&
      od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$BROKER_KEYSTORE_PASSWORD_FILE" &&
      openssl pkcs12 -export -in "$work/broker.crt" -inkey "$work/broker.key" -certfile "$CA_CERT" \
        -passout "file:$BROKER_KEYSTORE_PASSWORD_FILE" -out "$BROKER_KEYSTORE" 2>/dev/null
  ) || { rm -rf "$work"; die "signing the broker certificate failed"; }
  rm -rf "$work"
}

# The admin password is generated once per machine, never printed; 64 hex digits (256 bits).
ensure_admin_password() {
  if [[ -f "$ADMIN_PASSWORD_FILE" ]]; then
    [[ -s "$ADMIN_PASSWORD_FILE" ]] || die "$ADMIN_PASSWORD_FILE is empty"
    return 0
  fi
  # Storage formatted with another password would refuse the broker's own login.
  if [[ -f "$SECURED_MARK" ]]; then
    die "$ADMIN_PASSWORD_FILE is missing but $DATA_DIR holds an admin credential made with it; restore the file or run kafka.sh reset"
  fi
  (
    umask 077
    mkdir -p "$CREDENTIALS_DIR"
    od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$ADMIN_PASSWORD_FILE"
  )
  say "generated the admin principal's password in $ADMIN_PASSWORD_FILE (0600)"
}

# --- process state --------------------------------------------------------------------------
# Accepting a TCP connection, with bash's own /dev/tcp so no netcat is needed.
port_open() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# Prints the pid from the pid file when that process is alive and really our broker; a stale
# file (crash, reboot, reused pid) counts as not running.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(<"$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    local cmdline
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
    [[ "$cmdline" == *kafka.Kafka* ]] || return 1
  fi
  printf '%s\n' "$pid"
}

clear_stale_pid() {
  if [[ -f "$PID_FILE" ]] && ! running_pid >/dev/null; then
    say "removing stale pid file (pid $(<"$PID_FILE") is not a running broker)"
    rm -f "$PID_FILE"
  fi
}

file_size() {
  if [[ -f "$1" ]]; then wc -c <"$1" | tr -d ' '; else echo 0; fi
}

# True once THIS start logged "Kafka Server started": server.log is appended across starts, so
# only bytes written after the launch count; kafka.out is truncated on each start.
started_logged() {
  local offset="$1" size
  size="$(file_size "$SERVER_LOG")"
  # A roll during start-up shrinks the file; then the whole new file belongs to this start.
  ((size < offset)) && offset=0
  # Process substitution rather than a pipe: grep -q quitting early would SIGPIPE tail, and
  # pipefail would turn a match into a failure.
  if [[ -f "$SERVER_LOG" ]] && grep -q 'Kafka Server started' < <(tail -c "+$((offset + 1))" "$SERVER_LOG"); then
    return 0
  fi
  grep -q 'Kafka Server started' "$OUT_LOG" 2>/dev/null
}

# Only what THIS start wrote, so an old stack trace from an earlier run does not mislead.
show_log_tail() {
  local offset="${1:-0}" log="$SERVER_LOG"
  (($(file_size "$log") < offset)) && offset=0
  if (($(file_size "$log") <= offset)); then
    log="$OUT_LOG"
    offset=0
  fi
  printf 'kafka: last 30 lines of %s:\n' "$log" >&2
  tail -c "+$((offset + 1))" "$log" 2>/dev/null | tail -n 30 >&2 || true
  if [[ "$log" != "$OUT_LOG" && -s "$OUT_LOG" ]]; then
    printf 'kafka: last 30 lines of %s:\n' "$OUT_LOG" >&2
    tail -n 30 "$OUT_LOG" >&2 || true
  fi
}

# --- commands -------------------------------------------------------------------------------
# Starts the given brokers (all of them by default) that are not running, and returns once each
# is ready. A cluster's brokers are launched together: none is ready before a quorum is up.
cmd_start() {
  find_java
  mkdir -p "$CACHE_DIR"
  # The cache must never be committed, whatever the project's .gitignore says.
  [[ -f "$CACHE_DIR/.gitignore" ]] || printf '*\n' >"$CACHE_DIR/.gitignore"

  local i pid wanted=("$@") to_start=()
  ((${#wanted[@]})) || mapfile -t wanted < <(all_brokers)
  for i in "${wanted[@]}"; do
    use_broker "$i"
    if pid="$(running_pid)"; then
      say "Kafka$LABEL already running on $HOST:$PORT (pid $pid)"
      continue
    fi
    clear_stale_pid
    if port_open "$PORT"; then
      say "Kafka already running on $HOST:$PORT (not started by this script: no pid file)"
      continue
    fi
    to_start+=("$i")
  done
  ((${#to_start[@]})) || return 0

  resolve_jars
  ensure_admin_password
  ensure_tls
  write_log_config
  LAUNCHED=()
  local -A offset=()
  local started=$SECONDS
  # Interrupted before the brokers are ready (Ctrl-C, or npm start/npm test being stopped):
  # stop the brokers this start launched instead of leaving them running with nobody waiting.
  trap abort_start INT TERM HUP
  for i in "${to_start[@]}"; do
    use_broker "$i"
    mkdir -p "$DATA_DIR" "$LOG_DIR"
    write_config
    format_storage
    offset[$i]="$(file_size "$SERVER_LOG")"
    launch_broker
  done

  local pending=("${to_start[@]}") still
  while ((${#pending[@]})); do
    still=()
    for i in "${pending[@]}"; do
      use_broker "$i"
      pid="$(<"$PID_FILE")"
      if ! kill -0 "$pid" 2>/dev/null; then
        rm -f "$PID_FILE"
        printf 'kafka: %s exited during start-up\n' "$BROKER_NAME" >&2
        show_log_tail "${offset[$i]}"
        exit 1
      fi
      if started_logged "${offset[$i]}" && port_open "$PORT"; then
        if ((CLUSTER_SIZE == 1)); then
          say "Kafka running on $HOST:$PORT (pid $pid, ready in $((SECONDS - started))s); it keeps running until 'bash deploy/kafka/kafka.sh stop'"
        else
          say "Kafka$LABEL running on $HOST:$PORT (pid $pid, ready in $((SECONDS - started))s)"
        fi
      else
        still+=("$i")
      fi
    done
    pending=("${still[@]}")
    ((${#pending[@]})) || break
    if ((SECONDS - started >= START_TIMEOUT)); then
      for i in "${pending[@]}"; do
        use_broker "$i"
        printf 'kafka: %s not ready after %ss (KAFKA_START_TIMEOUT); it is still running as pid %s\n' \
          "$BROKER_NAME" "$START_TIMEOUT" "$(<"$PID_FILE")" >&2
        show_log_tail "${offset[$i]}"
      done
      exit 1
    fi
    sleep 0.5
  done
  trap - INT TERM HUP
  if ((CLUSTER_SIZE > 1)); then
    say "cluster of $CLUSTER_SIZE running; clients: KAFKA_BROKERS=$(bootstrap_servers); it keeps running until 'KAFKA_CLUSTER=$CLUSTER_SIZE bash deploy/kafka/kafka.sh stop'"
  fi
}

# Launches the current broker in the background and records its pid.
launch_broker() {
  local pid
  say "starting $BROKER_NAME on $HOST:$PORT ($LISTENER; controller $HOST:$CONTROLLER_PORT, heap $HEAP)"
  # setsid: the broker leads its own process group and session, so it outlives this script and
  # its terminal, and stop can signal the whole group. Without job control bash does not make
  # the background job a group leader, so setsid execs in place and $! is the java pid.
  # 9>&- keeps the start lock from being inherited by the broker.
  # shellcheck disable=SC2086  # HEAP is a list of JVM options
  setsid nohup "$JAVA" $HEAP -XX:+UseG1GC \
    -Dkafka.logs.dir="$LOG_DIR" \
    -Dlog4j.configuration="file:$LOG4J_FILE" \
    -cp "$LIBS_DIR/*" kafka.Kafka "$PROPS_FILE" \
    >"$OUT_LOG" 2>&1 </dev/null 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$PID_FILE"
  LAUNCHED+=("$pid")
}

abort_start() {
  trap - INT TERM HUP
  local pid
  for pid in "${LAUNCHED[@]}"; do
    say "start interrupted; stopping the broker it launched (pid $pid)"
    stop_pid "$pid"
  done
  # stop_pid removed the pid file of the broker last selected; the others' go here.
  local i
  for i in $(all_brokers); do
    use_broker "$i"
    clear_stale_pid >/dev/null
  done
  say "stopped; nothing left running"
  exit 130
}

# Stops the given brokers (all by default) at once, each with its clean shutdown.
cmd_stop() {
  local i wanted=("$@") stopping=()
  ((${#wanted[@]})) || mapfile -t wanted < <(all_brokers)
  for i in "${wanted[@]}"; do
    use_broker "$i"
    if running_pid >/dev/null; then
      stopping+=("$i")
    else
      clear_stale_pid
      say "${LABEL:+$BROKER_NAME }not running"
    fi
  done
  # In parallel: a cluster's last broker would otherwise wait for a quorum that is gone.
  for i in "${stopping[@]}"; do
    (
      use_broker "$i"
      local pid
      pid="$(running_pid)"
      say "stopping $BROKER_NAME (pid $pid)"
      stop_pid "$pid"
      say "${LABEL:+$BROKER_NAME }stopped"
    ) &
  done
  wait
}

stop_pid() {
  local pid="$1"
  # The broker leads its own group (setsid); signal the group so nothing it spawned is left.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null && ((waited < STOP_TIMEOUT * 2)); do
    sleep 0.5
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "broker did not exit within ${STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$PID_FILE"
}

# Exit 0: every broker running; 3: none; 4 (a cluster only): some.
cmd_status() {
  local i pid up=0 prefix=""
  for i in $(all_brokers); do
    use_broker "$i"
    ((CLUSTER_SIZE > 1)) && prefix="broker $i: "
    if pid="$(running_pid)"; then
      printf '%srunning (pid %s) on %s:%s\n' "$prefix" "$pid" "$HOST" "$PORT"
      up=$((up + 1))
      continue
    fi
    printf '%sstopped\n' "$prefix"
    if port_open "$PORT"; then
      printf 'kafka: note: %s:%s accepts connections, but not from a broker this script started\n' \
        "$HOST" "$PORT" >&2
    fi
  done
  ((up == CLUSTER_SIZE)) && return 0
  ((up == 0)) && exit 3
  exit 4
}

cmd_reset() {
  cmd_stop
  local i deleted=false
  for i in $(all_brokers); do
    use_broker "$i"
    if [[ -d "$DATA_DIR" ]]; then
      rm -rf "$DATA_DIR"
      say "deleted $DATA_DIR"
      deleted=true
    fi
  done
  ((CLUSTER_SIZE > 1)) && rm -f "$CLUSTER_ID_FILE"
  if [[ "$deleted" == true ]]; then
    say "the next start formats a fresh, empty $( ((CLUSTER_SIZE > 1)) && echo cluster || echo broker)"
  else
    say "no data to delete"
  fi
}

# SIGKILL to one broker: a crash, with no controlled shutdown (leaders move only once the
# controller misses its heartbeats).
cmd_kill() {
  use_broker "$1"
  local pid
  if ! pid="$(running_pid)"; then
    clear_stale_pid
    say "$BROKER_NAME not running"
    return 0
  fi
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  rm -f "$PID_FILE"
  say "$BROKER_NAME killed (pid $pid)"
}

# One broker of the cluster, by number, for tests and fault drills.
broker_number() {
  ((CLUSTER_SIZE > 1)) || die "$1 needs a cluster (KAFKA_CLUSTER=3)"
  [[ "${2:-}" =~ ^[0-9]+$ ]] && (($2 >= 1 && $2 <= CLUSTER_SIZE)) ||
    die "usage: KAFKA_CLUSTER=$CLUSTER_SIZE ${0##*/} $1 N (N from 1 to $CLUSTER_SIZE)"
}

# Registers (or replaces) a principal's SCRAM-SHA-512 credential through the broker, as the
# admin. Both passwords travel in 0600 files that are deleted afterwards, never on a command line.
cmd_add_user() {
  local name="$1" password_file="$2"
  [[ "$name" =~ ^[A-Za-z0-9._@-]{1,128}$ ]] || die "invalid principal name: $name"
  [[ -s "$password_file" ]] || die "password file $password_file is missing or empty"
  [[ -s "$ADMIN_PASSWORD_FILE" ]] || die "admin password $ADMIN_PASSWORD_FILE is missing: start the broker first"
  find_java
  resolve_jars
  local work
  work="$(umask 077 && mktemp -d)"
  # shellcheck disable=SC2064  # expand now: the folder is this call's own
  trap "rm -rf '$work'" EXIT
  (
    umask 077
    printf 'security.protocol=%s\nsasl.mechanism=SCRAM-SHA-512\nrequest.timeout.ms=15000\ndefault.api.timeout.ms=20000\n' "$LISTENER" >"$work/admin.properties"
    if [[ "$SSL" == true ]]; then
      printf 'ssl.truststore.type=PEM\nssl.truststore.location=%s\n' "${KAFKA_SSL_CA_FILE:-$CA_CERT}" >>"$work/admin.properties"
    fi
    printf 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' \
      "$ADMIN_USER" "$(<"$ADMIN_PASSWORD_FILE")" >>"$work/admin.properties"
    printf 'SCRAM-SHA-512=password=%s\n' "$(<"$password_file")" >"$work/credential.properties"
  )
  "$JAVA" -Dlog4j.configuration="file:$TOOLS_LOG4J_FILE" -cp "$LIBS_DIR/*" kafka.admin.ConfigCommand \
    --bootstrap-server "${KAFKA_BROKERS:-$(bootstrap_servers)}" --command-config "$work/admin.properties" \
    --alter --entity-type users --entity-name "$name" \
    --add-config-file "$work/credential.properties" >/dev/null ||
    die "registering the SCRAM credential of $name failed"
  say "SCRAM-SHA-512 credential of $name registered"
}

# --- main -----------------------------------------------------------------------------------
if [[ "${1:-}" == add-user ]]; then
  [[ $# -eq 3 ]] || die "usage: ${0##*/} add-user NAME PASSWORD_FILE"
  cmd_add_user "$2" "$3"
  exit 0
fi
case "${1:-}" in
  start | stop | restart | reset) [[ $# -eq 1 ]] || usage ;;
  status)
    [[ $# -eq 1 ]] || usage
    cmd_status
    exit 0
    ;;
  start-broker | stop-broker | kill-broker)
    [[ $# -eq 2 ]] || usage
    broker_number "$1" "$2"
    ;;
  *) usage ;;
esac

# Serialise commands that change state: two concurrent starts would otherwise both launch a
# broker on the same data dir. Checked for java first so a bare PATH still gets the clear message.
[[ "$1" == start || "$1" == restart || "$1" == start-broker ]] && find_java
mkdir -p "$CACHE_DIR"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_DIR/kafka.lock"
  flock -w 180 9 || die "another kafka.sh is still busy with $CACHE_DIR (lock held for 180s)"
fi

case "$1" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart)
    cmd_stop
    cmd_start
    ;;
  reset) cmd_reset ;;
  start-broker) cmd_start "$2" ;;
  stop-broker) cmd_stop "$2" ;;
  kill-broker) cmd_kill "$2" ;;
esac
