#!/usr/bin/env bash
# Makes a PostgreSQL server available for the store tests (idempotent; run as root on CI).
#
# - starts the cluster installed on the machine (pg_ctlcluster), or installs PostgreSQL from
#   Debian first when none is installed;
# - creates the login role `footfall` (password `footfall`, CREATEDB: every test file creates and
#   drops its own database, so test files can run in parallel) and the database `footfall_test`;
# - creates the superuser `footfall_super` (password `footfall`) that only the test of the
#   superuser path of the SQL console uses (it checks that the console still cannot read files).
#
# The tests read FOOTFALL_TEST_PG_URL (default postgres://footfall:footfall@127.0.0.1:5432/footfall_test)
# and FOOTFALL_TEST_PG_SUPERUSER_URL (default postgres://footfall_super:footfall@127.0.0.1:5432/footfall_test).
# These credentials are for a throwaway CI/dev server listening on localhost only.
set -euo pipefail

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q postgresql
fi

# The first cluster listed (there is normally exactly one).
read -r version cluster port status _ < <(pg_lsclusters -h | head -n 1)
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" "$cluster" start
fi

psql_admin() {
  su postgres -c "psql -v ON_ERROR_STOP=1 -q -p $port -d postgres" 
}

# Wait for the server to accept connections (start can return before it does).
for _ in $(seq 1 50); do
  if su postgres -c "pg_isready -q -p $port"; then break; fi
  sleep 0.2
done

psql_admin <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'footfall') THEN
    CREATE ROLE footfall LOGIN CREATEDB PASSWORD 'footfall';
  ELSE
    ALTER ROLE footfall LOGIN CREATEDB PASSWORD 'footfall';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'footfall_super') THEN
    CREATE ROLE footfall_super LOGIN SUPERUSER PASSWORD 'footfall';
  END IF;
END
$$;
SELECT 'CREATE DATABASE footfall_test OWNER footfall'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'footfall_test') \gexec
SQL

echo "postgres $version/$cluster on port $port: role footfall, database footfall_test ready"
