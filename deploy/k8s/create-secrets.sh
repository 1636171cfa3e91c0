#!/usr/bin/env bash
# Creates (or replaces) the Secrets the manifests name, in namespace safeguarding-exchange:
#   sgx-database             url: the PostgreSQL URL (from DATABASE_URL in this shell)
#   sgx-kafka-<principal>    password: a generated Kafka password per service, and the admin's
#                            (kept from an existing Secret; KAFKA_REGISTER_USERS=false and your
#                            own passwords for a managed Kafka whose users you make in its console)
#   sgx-keys-<node>          the node's private keys: KEYS_DIR/<node>/ as made by
#                            `npm run keys -- generate --node <node>` against the production registry
# Never prints a secret. Needs kubectl pointed at the cluster.
set -euo pipefail

ns="${NAMESPACE:-safeguarding-exchange}"
keys_dir="${KEYS_DIR:-.keys}"
: "${DATABASE_URL:?set DATABASE_URL to the production PostgreSQL URL}"

apply() { kubectl -n "$ns" create secret generic "$@" --dry-run=client -o yaml | kubectl -n "$ns" apply -f - >/dev/null; }
random() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }

apply sgx-database --from-literal=url="$DATABASE_URL"
echo "secret sgx-database"

for principal in admin hub audit console operator police education health social-care marac; do
  if kubectl -n "$ns" get secret "sgx-kafka-$principal" >/dev/null 2>&1; then
    echo "secret sgx-kafka-$principal kept"
  else
    apply "sgx-kafka-$principal" --from-literal=password="$(random)"
    echo "secret sgx-kafka-$principal generated"
  fi
done

for node in hub audit police education health social-care marac; do
  [[ -f "$keys_dir/$node/current.json" ]] || {
    echo "no keys for $node in $keys_dir/$node: npm run keys -- generate --node $node" >&2
    exit 1
  }
  apply "sgx-keys-$node" --from-file="$keys_dir/$node"
  echo "secret sgx-keys-$node ($(ls "$keys_dir/$node" | wc -l) files)"
done
