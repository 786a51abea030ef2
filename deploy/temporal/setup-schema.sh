#!/bin/sh
# One-shot, before the Temporal server starts (temporalio/admin-tools image): creates Temporal's
# two PostgreSQL databases and brings their schemas to the version this admin-tools release ships.
# Safe to re-run on every `up`: `create` fails harmlessly when the database exists,
# `setup-schema -v 0.0` keeps a newer recorded version, and `update-schema` applies only what is missing.
# Connection settings come from the environment temporal-sql-tool reads itself:
# SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD.
set -eu

: "${SQL_HOST:?SQL_HOST is required}"
: "${SQL_USER:?SQL_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"
SQL_PLUGIN="${SQL_PLUGIN:-postgres12}"
SQL_PORT="${SQL_PORT:-5432}"
export SQL_PLUGIN SQL_PORT
SCHEMA_ROOT="${TEMPORAL_SCHEMA_ROOT:-/etc/temporal/schema/postgresql/v12}"

migrate() {
  db="$1"
  versioned="$2"
  echo "temporal-schema: database ${db} (${versioned})"
  if ! temporal-sql-tool --db "$db" create; then
    echo "temporal-schema: ${db} not created (it probably exists already); continuing"
  fi
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema -d "$versioned"
}

attempt=1
until nc -z -w 5 "$SQL_HOST" "$SQL_PORT"; do
  if [ "$attempt" -ge 30 ]; then
    echo "temporal-schema: PostgreSQL at ${SQL_HOST}:${SQL_PORT} is unreachable" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

migrate "${TEMPORAL_DB:-temporal}" "${SCHEMA_ROOT}/temporal/versioned"
migrate "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}" "${SCHEMA_ROOT}/visibility/versioned"
echo "temporal-schema: done"
