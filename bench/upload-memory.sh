#!/usr/bin/env bash
# Peak memory of the largest legitimate uploads, release build: generates rosters of
# 100,000 and 200,000 rows, imports them with the CLI (dry run, then for real) under
# /usr/bin/time, then serves a fresh database and uploads the 200,000-row roster through
# the API (dry run, import, re-import), reading the server's VmHWM after each step.
# Needs curl, python3 and GNU time (Debian: apt-get install time). Usage: bash bench/upload-memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin="$PWD/target/release/anjian"
work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
echo "== CLI (peak RSS of the process)"
for rows in 100000 200000; do
  "$bin" gen roster "r$rows.xlsx" --rows "$rows" >/dev/null
  "$bin" --database-url "cli$rows.db" migrate >/dev/null
  /usr/bin/time -f "$rows rows, dry run: %e s, %M KiB" "$bin" --database-url "cli$rows.db" import enterprises "r$rows.xlsx" --dry-run >/dev/null
  /usr/bin/time -f "$rows rows, import:  %e s, %M KiB" "$bin" --database-url "cli$rows.db" import enterprises "r$rows.xlsx" >/dev/null
done
echo "== server (VmHWM after each upload of the 200,000-row roster)"
"$bin" --database-url s.db migrate >/dev/null
echo "upload-memory-2026" | "$bin" --database-url s.db user add --username sheng --role regulator --region 420000 >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ANJIAN_JOBS=off "$bin" --database-url s.db serve --no-demo --bind "127.0.0.1:$port" >server.log 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
token=$(curl -sf -X POST "127.0.0.1:$port/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"username":"sheng","password":"upload-memory-2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
hwm() { awk '/VmHWM/ {printf "%d MiB", $2/1024}' "/proc/$server/status"; }
echo "idle: $(hwm)"
for step in "dry_run=true" "" ""; do
  start=$(date +%s.%N)
  code=$(curl -s -o out.json -w '%{http_code}' -H "Authorization: Bearer $token" -F file=@r200000.xlsx \
    "127.0.0.1:$port/api/v1/enterprises/import?$step")
  took=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")
  echo "import ${step:-(write)}: HTTP $code in ${took} s, $(head -c 80 out.json); peak $(hwm)"
done
