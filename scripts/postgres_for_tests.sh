#!/usr/bin/env bash
# Start (installing if needed) a PostgreSQL server on 127.0.0.1:5432 with a role that may create
# databases, and print the SQLAlchemy URL the tests use (each test makes and drops its own database).
# Needs root, as on CI and the project's machines.
set -euo pipefail
{
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq postgresql
  fi
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h | grep -q "^$version main"; then
    pg_createcluster "$version" main
  fi
  pg_ctlcluster "$version" main start || pg_ctlcluster "$version" main status
  su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tuoyu_test') THEN
    CREATE ROLE tuoyu_test LOGIN CREATEDB PASSWORD 'tuoyu_test';
  END IF;
END $$;
-- Dropping a test database WITH (FORCE) ends other sessions on it, such as an autovacuum worker.
GRANT pg_signal_backend TO tuoyu_test;
SQL
} >&2
echo "postgresql+psycopg://tuoyu_test:tuoyu_test@127.0.0.1:5432/postgres"
