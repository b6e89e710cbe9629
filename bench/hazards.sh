#!/usr/bin/env bash
# Ledger benchmark (issue 3 targets): 100,000 enterprises and 1,000,000 hazards
# in SQLite, then
#   1. the first page of a scope's overdue list (most overdue first) under
#      wrk -t2 -c50 -d15s, as a province and as a county regulator;
#   2. status × level × sector counts for a scope (GET /api/v1/hazards/counts);
#   3. one deadline-job run over all open hazards, then an immediate second run;
#   4. hazard creation through the API (change-log entry, timeline, to-dos in the
#      same transaction), sustained for 15 s at 8 connections.
# Usage: bash bench/hazards.sh   (release build; needs wrk, curl, python3)
#        BIN=/path/to/anjian bash bench/hazards.sh   (an older build, to compare on one machine)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench/hazards.sh needs $tool (Debian: apt-get install $tool)" >&2; exit 1; }
done
if [ -z "${BIN:-}" ]; then
  cargo build --release --bin anjian >&2
  BIN=$PWD/target/release/anjian
fi
W=$(mktemp -d)
SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
DB=$W/ledger.db
PASS=bench-password-2026
export ANJIAN_MAIL_DIR=$W/mail ANJIAN_FILES_DIR=$W/files ANJIAN_JOBS=off

$BIN --database-url "$DB" migrate >/dev/null
$BIN gen roster "$W/roster.xlsx" --rows 100000 >/dev/null
$BIN --database-url "$DB" import enterprises "$W/roster.xlsx" >/dev/null
for u in "sheng 420000" "xian 420103"; do
  set -- $u
  echo "$PASS" | $BIN --database-url "$DB" user add --username "$1" --role regulator --region "$2" >/dev/null
done
FIRST=$(python3 -c "import sqlite3;print(sqlite3.connect('$DB').execute('select credit_code from enterprises order by id limit 1').fetchone()[0])")
echo "$PASS" | $BIN --database-url "$DB" user add --username qiye --role safety_officer --region 420103 --enterprise "$FIRST" >/dev/null

echo "generating 1,000,000 hazards …" >&2
T0=$(date +%s.%N)
python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=WAL")
# Ten hazards per enterprise: 60 % closed, 25 % rectifying, 5 % reported, 5 % assigned,
# 5 % pending verification; 2 % major; deadlines spread over 2026-05-01 … 2027-04-30.
db.execute("""
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9)
INSERT INTO hazards (enterprise_id, bureau_id, sector, region_code, source, level, closure, category, title,
  description, found_at, deadline, status, is_open, suspended, created_by, created_at, updated_at,
  status_changed_at, closed_at, version)
SELECT e.id, e.supervising_bureau_id, e.sector, e.region_code,
  CASE WHEN (e.id + n.i) % 3 = 0 THEN 'inspection' ELSE 'self_check' END,
  CASE WHEN (e.id * 7 + n.i) % 50 = 0 THEN 'major' ELSE 'general' END,
  CASE WHEN (e.id * 7 + n.i) % 50 = 0 THEN 'major' WHEN (e.id + n.i) % 3 = 0 THEN 'inspector' ELSE 'enterprise' END,
  'unsafe_condition', '隐患 ' || e.id || '-' || n.i, '基准测试数据',
  '2026-04-01T00:00:00+00:00',
  date('2026-05-01', '+' || ((e.id * 13 + n.i * 37) % 365) || ' days'),
  CASE (e.id * 3 + n.i) % 20 WHEN 0 THEN 'reported' WHEN 1 THEN 'assigned' WHEN 2 THEN 'pending_verification'
    WHEN 3 THEN 'rectifying' WHEN 4 THEN 'rectifying' WHEN 5 THEN 'rectifying' WHEN 6 THEN 'rectifying'
    WHEN 7 THEN 'rectifying' ELSE 'closed' END,
  CASE WHEN (e.id * 3 + n.i) % 20 < 8 THEN 1 ELSE 0 END, 0, NULL,
  '2026-04-01T00:00:00+00:00', '2026-04-01T00:00:00+00:00', '2026-10-01T00:00:00+00:00',
  CASE WHEN (e.id * 3 + n.i) % 20 < 8 THEN NULL ELSE '2026-10-01T00:00:00+00:00' END, 1
FROM enterprises e, n
""")
db.commit()
print(db.execute("select count(*), sum(is_open) from hazards").fetchone(), file=sys.stderr)
PY
T1=$(date +%s.%N)
echo "hazards generated in $(python3 -c "print(round($T1-$T0,1))") s" >&2

PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
$BIN --database-url "$DB" serve --no-demo --bind "127.0.0.1:$PORT" >"$W/serve.log" 2>&1 &
SERVER=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
token() { curl -sf "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"username\":\"$1\",\"password\":\"$PASS\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])'; }
SHENG=$(token sheng); XIAN=$(token xian); QY=$(token qiye)

cat > "$W/get.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
LUA
echo; echo "==== anjian ledger benchmark (release, SQLite) ===="
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; commit $(git rev-parse --short HEAD); binary $BIN"
python3 -c "import sqlite3;c=sqlite3.connect('$DB');print('data: %d enterprises, %d hazards (%d open)' % (c.execute('select count(*) from enterprises').fetchone()[0], *c.execute('select count(*), sum(is_open) from hazards').fetchone()))"
for who in "province SHENG" "county XIAN"; do
  set -- $who
  URL="$BASE/api/v1/hazards?overdue=true&per_page=20"
  TOKEN=${!2} wrk -t2 -c50 -d3s -s "$W/get.lua" "$URL" >/dev/null
  echo "overdue list, first page, $1 regulator (wrk -t2 -c50 -d15s):"
  TOKEN=${!2} wrk -t2 -c50 -d15s --latency -s "$W/get.lua" "$URL" | grep -E "Requests/sec|  99%|  50%|Non-2xx|Socket errors" | sed 's/^/  /'
done
for who in "province SHENG" "county XIAN"; do
  set -- $who
  curl -sf -H "Authorization: Bearer ${!2}" "$BASE/api/v1/hazards/counts" >/dev/null
  printf 'counts (status × level × sector), %s regulator: ' "$1"
  for _ in 1 2 3 4 5; do curl -sf -o /dev/null -w '%{time_total} ' -H "Authorization: Bearer ${!2}" "$BASE/api/v1/hazards/counts"; done
  echo "s"
done
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
for run in first second; do
  S=$(date +%s.%N)
  OUT=$($BIN --database-url "$DB" jobs run --once --at 2026-11-22T09:00:00+08:00)
  E=$(date +%s.%N)
  echo "jobs run --once ($run): $(python3 -c "print(round($E-$S,2))") s wall; $OUT"
done
$BIN --database-url "$DB" serve --no-demo --bind "127.0.0.1:$PORT" >>"$W/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
QY=$(token qiye)
ENTERPRISE=$(python3 -c "import sqlite3;print(sqlite3.connect('$DB').execute('select id from enterprises order by id limit 1').fetchone()[0])")
cat > "$W/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $QY"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"enterprise_id": $ENTERPRISE, "source": "self_check", "level": "general", "category": "unsafe_condition", "title": "基准测试隐患", "description": "d", "found_at": "2026-11-01T00:00:00Z", "deadline": "2026-12-31"}'
LUA
echo "hazard creation through the API (wrk -t2 -c8 -d15s):"
wrk -t2 -c8 -d15s --latency -s "$W/post.lua" "$BASE/api/v1/hazards" | grep -E "Requests/sec|  99%|Non-2xx|Socket errors" | sed 's/^/  /'
