#!/usr/bin/env bash
# Hazard creation under concurrent writers (issue 9): POST /api/v1/hazards by an
# enterprise safety officer (each one a change-log entry, a timeline step and
# to-dos in one transaction) with 8 and then 32 connections, on SQLite and on
# PostgreSQL. On PostgreSQL the active backends are sampled every 0.1 s during
# the 32-writer run to show what they wait for (the change-log head row is the
# suspect: every audited write updates it).
# Usage: bash bench/writers.sh [BINARY …]   (default: a release build of this
#        checkout; pass an older build too to compare in one run)
# Needs wrk, curl, python3, psql and PostgreSQL at $PG (default
# postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk curl python3 psql; do
  command -v "$tool" >/dev/null || { echo "bench/writers.sh needs $tool" >&2; exit 1; }
done
PG=${PG:-postgres://postgres@127.0.0.1:5432/postgres}
DURATION=${DURATION:-10}
if [ "$#" -eq 0 ]; then
  cargo build --release --bin anjian >&2
  set -- "$PWD/target/release/anjian"
fi
W=$(mktemp -d)
SERVER=
PGDB=anjian_writers_$$
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
  psql -q "$PG" -c "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT
PASS=bench-password-2026
export ANJIAN_MAIL_DIR=$W/mail ANJIAN_FILES_DIR=$W/files ANJIAN_JOBS=off RUST_LOG=warn

echo "==== hazard creation under concurrent writers (release) ===="
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%F)"

setup() { # BIN URL -> prints the first enterprise's credit code
  local bin=$1 url=$2
  $bin --database-url "$url" migrate >/dev/null
  $bin gen roster "$W/roster.xlsx" --rows 1000 >/dev/null
  $bin --database-url "$url" import enterprises "$W/roster.xlsx" >/dev/null
  local code
  if [[ $url == postgres* ]]; then
    code=$(psql -tA "$url" -c 'select credit_code from enterprises order by id limit 1')
  else
    code=$(python3 -c "import sqlite3;print(sqlite3.connect('$url').execute('select credit_code from enterprises order by id limit 1').fetchone()[0])")
  fi
  echo "$PASS" | $bin --database-url "$url" user add --username qiye --role safety_officer --region 420103 --enterprise "$code" >/dev/null
}

sample_waits() { # URL SECONDS: what PostgreSQL backends of the bench database wait for
  local url=$1 n=$(( $2 * 10 ))
  for _ in $(seq 1 "$n"); do
    psql -tA "$PG" -c "select coalesce(wait_event_type,'CPU') || ':' || coalesce(wait_event,'running') || '  ' || regexp_replace(left(query, 60), '\s+', ' ', 'g') from pg_stat_activity where datname = '$PGDB' and state = 'active' and pid <> pg_backend_pid()" 2>/dev/null
    sleep 0.1
  done | sort | uniq -c | sort -rn | head -8 | sed 's/^/      /'
}

run() { # BIN BACKEND
  local bin=$1 backend=$2 url
  if [ "$backend" = postgres ]; then
    psql -q "$PG" -c "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB" >/dev/null
    url="${PG%/*}/$PGDB"
  else
    url=$W/writers-$RANDOM.db
  fi
  setup "$bin" "$url"
  local port
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  $bin --database-url "$url" serve --no-demo --bind "127.0.0.1:$port" >"$W/serve.log" 2>&1 &
  SERVER=$!
  local base=http://127.0.0.1:$port
  for _ in $(seq 1 600); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
  local token eid
  token=$(curl -sf "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"qiye\",\"password\":\"$PASS\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])')
  eid=$(curl -sf -H "Authorization: Bearer $token" "$base/api/v1/auth/me" | python3 -c 'import json,sys;print(json.load(sys.stdin)["enterprise_ids"][0])')
  cat > "$W/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"enterprise_id": $eid, "source": "self_check", "level": "general", "category": "unsafe_condition", "title": "基准测试隐患", "description": "d", "found_at": "2026-11-01T00:00:00Z", "deadline": "2026-12-31"}'
LUA
  wrk -t2 -c8 -d2s -s "$W/post.lua" "$base/api/v1/hazards" >/dev/null
  for c in 8 32; do
    echo "  $backend, $c writers (wrk -t2 -c$c -d${DURATION}s):"
    if [ "$backend" = postgres ] && [ "$c" = 32 ]; then
      sample_waits "$url" "$DURATION" > "$W/waits" &
      local sampler=$!
    fi
    wrk -t2 -c"$c" -d"${DURATION}s" --latency -s "$W/post.lua" "$base/api/v1/hazards" \
      | grep -E "Requests/sec|  50%|  99%|Non-2xx|Socket errors" | sed 's/^/    /'
    if [ "$backend" = postgres ] && [ "$c" = 32 ]; then
      wait "$sampler"
      echo "    what active backends were doing (samples, wait_event_type:wait_event, statement):"
      cat "$W/waits"
    fi
  done
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
}

for bin in "$@"; do
  echo "binary: $bin ($("$bin" --version 2>/dev/null || echo anjian))"
  for backend in sqlite postgres; do run "$bin" "$backend"; done
done
