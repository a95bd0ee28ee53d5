#!/bin/sh
# Writes the secrets docker-compose.yml mounts (deploy/secrets/*), each a random value, once: a
# file that exists is kept. Every instance reads the same files, so 1C, storefronts and the
# console are let in by any of them. ODATA_PASSWORD: write 1C's OData password into
# deploy/secrets/odata_password yourself (empty: no OData pulls).
set -eu
cd "$(dirname "$0")"
mkdir -p secrets
chmod 700 secrets
random() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }
keep_or_write() {
  if [ ! -s "secrets/$1" ]; then printf '%s' "$2" > "secrets/$1"; echo "wrote deploy/secrets/$1"; fi
  # The service runs as the image's user `node`: it must be able to read the mounted file.
  chmod 644 "secrets/$1"
}
keep_or_write postgres_password "$(random)"
keep_or_write database_url "postgres://onec_bridge:$(cat secrets/postgres_password)@postgres:5432/onec_bridge"
keep_or_write admin_token "$(random)"
keep_or_write exchange_password "$(random)"
[ -e secrets/odata_password ] || : > secrets/odata_password
chmod 644 secrets/odata_password
echo "1C exchange login: 1c / $(cat secrets/exchange_password)"
echo "admin token (console, admin API): $(cat secrets/admin_token)"
