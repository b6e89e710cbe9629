#!/usr/bin/env bash
# A bounded schemathesis run against the OpenAPI document: the server (debug
# build) on 127.0.0.1 with the demo data, signed in as the demo regulator
# jianghan_jg through the API. Fails on a server error (5xx), a status the
# document does not list for the operation, a body that contradicts its
# schema, or a wrong content type. Fixed seed, few examples per operation and
# a hard time limit, so it is repeatable and stays within a few minutes. One
# worker: with two, hypothesis describes its filters by parsing their source on
# both threads at once, which CPython 3.11's parser sometimes refuses ("AST
# constructor recursion depth mismatch"), failing the run for no fault of ours.
#
# Not exercised: POST /api/v1/auth/logout and POST /api/v1/sessions/{id}/revoke
# (either would end the run's own session).
#
# Usage: bash .ci/schemathesis.sh   (installs schemathesis into .ci/.venv if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${SCHEMATHESIS_VENV:-.ci/.venv}
if ! "$VENV/bin/schemathesis" --version >/dev/null 2>&1; then
  echo "== installing schemathesis into $VENV"
  rm -rf "$VENV"
  if ! python3 -m venv "$VENV" 2>/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$VENV"
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/pip" install -q 'schemathesis>=4,<5'
fi

cargo build --locked --bin anjian >&2
BIN=$PWD/target/debug/anjian
W=$(mktemp -d)
SERVER=
cleanup() { if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi; rm -rf "$W"; }
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
export ANJIAN_MAIL_DIR=$W/mail ANJIAN_FILES_DIR=$W/files ANJIAN_JOBS=off RUST_LOG=warn
"$BIN" --database-url "$W/st.db" serve --bind "127.0.0.1:$PORT" >"$W/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 240); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$W/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "$BASE/healthz" >/dev/null

TOKEN=$(curl -fsS -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"username":"jianghan_jg","password":"anjian-demo-2026"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

status=0
timeout --signal=INT --kill-after=20 "${SCHEMATHESIS_TIMEOUT:-200}" \
  "$VENV/bin/schemathesis" run "$BASE/api/openapi.json" \
  --url "$BASE" \
  -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-8}" \
  --seed "${SCHEMATHESIS_SEED:-20261205}" \
  --workers 1 \
  --request-timeout 30 \
  --no-shrink \
  --exclude-path /api/v1/auth/logout \
  --exclude-path "/api/v1/sessions/{id}/revoke" \
  --report junit --report-dir "$W/report" \
  --warnings off ||
  status=$?
if grep -q 'panicked' "$W/server.log"; then
  echo "the server panicked during the run:" >&2
  grep -A5 'panicked' "$W/server.log" >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "schemathesis found problems (exit $status); server log tail:" >&2
  tail -n 40 "$W/server.log" >&2
fi
exit "$status"
