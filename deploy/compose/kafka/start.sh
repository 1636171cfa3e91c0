#!/usr/bin/env bash
# The Compose stack's broker (apache/kafka image): one KRaft node whose client listener asks for
# SASL/SCRAM-SHA-512 and authorises every request (no ACL, no access). On the first start the
# storage is formatted with the admin's SCRAM credential; the services' principals and ACLs are
# made by the deploy step (prepare) as that admin. The admin password is read from its secret
# into a config file inside the container only.
set -euo pipefail

password="$(<"$KAFKA_ADMIN_PASSWORD_FILE")"
config=/tmp/server.properties
umask 077
cat >"$config" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=SASL_PLAINTEXT://:9092,CONTROLLER://localhost:9093
advertised.listeners=SASL_PLAINTEXT://kafka:9092
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${password}";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin
allow.everyone.if.no.acl.found=false
log.dirs=/var/lib/kafka/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
num.partitions=3
PROPS

if [[ ! -f /var/lib/kafka/data/meta.properties ]]; then
  /opt/kafka/bin/kafka-storage.sh format -c "$config" -t "$(/opt/kafka/bin/kafka-storage.sh random-uuid)" \
    --add-scram "SCRAM-SHA-512=[name=admin,password=${password}]"
fi
exec /opt/kafka/bin/kafka-server-start.sh "$config"
