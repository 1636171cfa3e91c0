#!/usr/bin/env bash
# Generates the Compose stack's secrets once into deploy/compose/secrets/ (git-ignored, never in
# the image): the PostgreSQL password and the URL holding it, and a Kafka password for the admin
# and for each service's principal. Existing files are kept. Prints file names, never a secret.
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets"
mkdir -p "$dir/kafka"
# The folder is private; the files are readable so the containers' own user (uid 1000) can
# read the single file bind-mounted into each of them.
chmod 700 "$dir"

random() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
write() {
  [[ -s "$1" ]] && { echo "kept      ${1#"$dir"/}"; return; }
  printf '%s' "$2" >"$1"
  chmod 644 "$1"
  echo "generated ${1#"$dir"/}"
}

write "$dir/postgres.password" "$(random)"
write "$dir/database.url" "postgres://sgx:$(<"$dir/postgres.password")@postgres:5432/safeguarding"
for principal in admin hub audit console operator police education health social-care marac; do
  write "$dir/kafka/$principal.password" "$(random)"
done
