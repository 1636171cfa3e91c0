#!/usr/bin/env bash
# CI's check of the deployment files: the Kubernetes manifests render with kustomize and the
# Compose file is valid, and both still say what docs/deployment.md promises (every app, probes
# on /health, resource requests, no Secret values in either). Needs kubectl and a Compose
# (the docker plugin, or Debian's docker-compose, installed here when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "check-deploy: $*" >&2; exit 1; }
apps=(hub police-adapter education-adapter health-adapter social-care-adapter marac audit console)

command -v kubectl >/dev/null || fail "kubectl not found (it renders deploy/k8s with its kustomize)"
k8s="$(kubectl kustomize deploy/k8s)" || fail "kubectl kustomize deploy/k8s failed"
deployments="$(grep -c '^kind: Deployment' <<<"$k8s")"
[[ "$deployments" == "${#apps[@]}" ]] || fail "deploy/k8s renders $deployments Deployments, not ${#apps[@]}"
for app in "${apps[@]}"; do
  grep -q "dist/apps/$app/src/main.js" <<<"$k8s" || fail "deploy/k8s runs no $app"
done
[[ "$(grep -c 'path: /health' <<<"$k8s")" == "$((3 * ${#apps[@]}))" ]] ||
  fail "every app needs startup, readiness and liveness probes on /health"
[[ "$(grep -c 'requests:' <<<"$k8s")" -ge "${#apps[@]}" ]] || fail "every container needs resource requests"
! grep -q '^kind: Secret' <<<"$k8s" || fail "deploy/k8s must not hold Secrets: the operator creates them"
echo "check-deploy: deploy/k8s renders ($deployments Deployments, probes on /health, requests, no Secret)"

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose=(docker-compose)
elif [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  apt-get install -y -qq docker-compose >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null; }
  compose=(docker-compose)
else
  fail "no Compose found: install the docker compose plugin or docker-compose"
fi
rendered="$("${compose[@]}" -f compose.yaml config)" || fail "${compose[*]} config rejected compose.yaml"
for app in "${apps[@]}" kafka postgres prepare; do
  grep -q "^  $app:" <<<"$rendered" || fail "compose.yaml has no service $app"
done
# A variable that is a password (not the file holding it), or a URL with credentials.
! grep -qE '(PASSWORD|SECRET): *[^ ]|://[^:/ ]+:[^@ ]+@' <<<"$rendered" || fail "compose.yaml must hold no password"
echo "check-deploy: compose.yaml is valid for ${compose[*]} ($("${compose[@]}" version --short 2>/dev/null || echo '?'))"

# Every principal of the Kafka access table (libs/messaging) gets a password from both scripts
# and is registered by both deploy steps: a principal missing there stops \`prepare\`, which
# cannot write a password into a read-only secrets mount.
principals="$(node -r reflect-metadata -r ./scripts/run-ts.js -e \
  "console.log(require('./libs/messaging/src/access/kafka-access-table.ts').kafkaServicePrincipals().map((p) => p.principal).join(' '))")"
for principal in $principals; do
  for script in deploy/compose/make-secrets.sh deploy/k8s/create-secrets.sh; do
    grep -qE "^for principal in .*\b$principal\b" "$script" || fail "$script makes no Kafka password for $principal"
  done
  grep -q "path: $principal.password" <<<"$k8s" || fail "deploy/k8s's prepare job does not register Kafka principal $principal"
  grep -q "target: kafka/$principal.password" <<<"$rendered" || fail "compose.yaml's prepare does not register Kafka principal $principal"
done
echo "check-deploy: every Kafka principal ($principals) has its password in both deployments"
