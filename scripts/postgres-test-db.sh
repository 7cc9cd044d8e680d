#!/usr/bin/env bash
# Starts this machine's PostgreSQL 15 (Debian's cluster 15/main) and creates the test role and
# database the PostgreSQL half of the tests uses (postgres://mirpay:mirpay@127.0.0.1:5432/mirpay_test).
# Idempotent. Exits 1 when there is no PostgreSQL here, so a caller can decide to go on without it.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -d /etc/postgresql/15/main ]; then
  echo "postgres-test-db: no PostgreSQL 15 cluster on this machine" >&2
  exit 1
fi
AS_POSTGRES=(su postgres -c); [ "$(id -u)" -ne 0 ] && AS_POSTGRES=(sudo -u postgres sh -c)

pg_lsclusters 15 main | grep -q online || pg_ctlcluster 15 main start 2>/dev/null || sudo pg_ctlcluster 15 main start
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done

"${AS_POSTGRES[@]}" "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mirpay') THEN CREATE ROLE mirpay LOGIN PASSWORD 'mirpay'; END IF;
END $$;
SELECT 'CREATE DATABASE mirpay_test OWNER mirpay' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'mirpay_test')\gexec
SQL
echo "postgres-test-db: postgres://mirpay:***@127.0.0.1:5432/mirpay_test ready"
