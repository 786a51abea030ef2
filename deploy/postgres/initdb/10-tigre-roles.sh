#!/bin/sh
# First start of the PostgreSQL volume: one login role per tenant of this server, none of them
# superuser. The official postgres image runs this once, when it initialises an empty data dir
# (edits here do not touch an existing volume).
#   tigre    owns the app database `tigre`. CREATEROLE because the migrations create the NOLOGIN
#            `tigre_app` role that the row-level-security policies apply to; createrole_self_grant
#            makes that creation also grant tigre the right to SET ROLE tigre_app (PostgreSQL 16+
#            otherwise grants a non-superuser creator only ADMIN on the new role).
#   temporal may create databases: temporal-sql-tool creates `temporal` and `temporal_visibility`.
# Passwords go through psql variables (:'name'), so any character in them is quoted correctly.
set -eu

: "${TIGRE_DB_PASSWORD:?TIGRE_DB_PASSWORD is required}"
: "${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD is required}"

psql -v ON_ERROR_STOP=1 --no-psqlrc \
  --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
  -v tigre_password="$TIGRE_DB_PASSWORD" \
  -v temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE tigre LOGIN CREATEROLE PASSWORD :'tigre_password';
ALTER ROLE tigre SET createrole_self_grant = 'set, inherit';
CREATE DATABASE tigre OWNER tigre ENCODING 'UTF8';
REVOKE ALL ON DATABASE tigre FROM PUBLIC;

CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_password';
SQL
