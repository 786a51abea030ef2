#!/bin/sh
# One-shot, once the Temporal server answers (temporalio/admin-tools image): registers the
# namespace the app uses and the custom search attributes that make every journey findable in
# the Temporal Web UI (by clinic, patient, journey kind, appointment). Idempotent.
#   TEMPORAL_ADDRESS              host:port of the frontend (required)
#   TEMPORAL_NAMESPACE            namespace to create (default: default)
#   TEMPORAL_NAMESPACE_RETENTION  how long closed workflows are kept (default: 30d)
#   SEARCH_ATTRIBUTES             space-separated Name=Type pairs (required)
set -eu

: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is required}"
: "${SEARCH_ATTRIBUTES:?SEARCH_ATTRIBUTES is required}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-30d}"

# The CLI's resolver may try an IPv6 address the server does not bind; use the IPv4 one.
host="${TEMPORAL_ADDRESS%:*}"
port="${TEMPORAL_ADDRESS##*:}"
ip="$(getent ahosts "$host" 2>/dev/null | awk '$1 ~ /^[0-9.]+$/ { print $1; exit }')" || ip=""
ADDRESS="${ip:-$host}:${port}"

t() { temporal "$@" --address "$ADDRESS"; }

echo "temporal-namespace: waiting for the Temporal server at ${TEMPORAL_ADDRESS} (${ADDRESS})"
attempt=1
until t operator cluster health >/dev/null 2>&1; do
  if [ "$attempt" -ge 60 ]; then
    echo "temporal-namespace: the server did not report SERVING" >&2
    t operator cluster health || true
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

if t operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; then
  echo "temporal-namespace: namespace ${NAMESPACE} exists"
else
  t operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION"
  echo "temporal-namespace: namespace ${NAMESPACE} created (retention ${RETENTION})"
fi

has_attribute() {
  t operator search-attribute list --namespace "$NAMESPACE" --output json 2>/dev/null | grep -q "\"$1\""
}

# A namespace just created takes a few seconds to reach every service's cache: retry.
for pair in $SEARCH_ATTRIBUTES; do
  name="${pair%%=*}"
  type="${pair#*=}"
  attempt=1
  until has_attribute "$name"; do
    if [ "$attempt" -ge 30 ]; then
      echo "temporal-namespace: could not register search attribute ${name}" >&2
      exit 1
    fi
    t operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "$type" || sleep 2
    attempt=$((attempt + 1))
  done
  echo "temporal-namespace: search attribute ${name} (${type}) registered"
done
echo "temporal-namespace: done"
