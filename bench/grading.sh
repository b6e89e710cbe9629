#!/usr/bin/env bash
# Risk-grading benchmark (issue 14 targets), SQLite, release build:
#   1. recomputing every enterprise's grade and supervision class —
#      100,000 enterprises, 1,000,000 risk points and 1,000,000 hazards — ≤ 10 s
#      (POST /api/v1/grading/recompute, the same code as the daily job; the first run
#      grades everything, the second finds nothing to change);
#   2. an enterprise's risk page with 500 points ≤ 100 ms p99: the page
#      /enterprises/{id}/risk-points and GET /api/v1/enterprises/{id}/risk-points, as
#      the enterprise's 安全管理人员 — one reader at a time (wrk -t1 -c1 -d15s, the
#      target), then ten at once (wrk -t2 -c10 -d15s, queueing on 2 cores).
# Usage: bash bench/grading.sh   (needs wrk, curl, python3)
#        BIN=/path/to/anjian bash bench/grading.sh   (an older build, to compare on one machine)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench/grading.sh needs $tool (Debian: apt-get install $tool)" >&2; exit 1; }
done
if [ -z "${BIN:-}" ]; then
  cargo build --release --bin anjian >&2
  BIN=$PWD/target/release/anjian
fi
W=$(mktemp -d)
SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
DB=$W/grading.db
PASS=bench-password-2026
export ANJIAN_MAIL_DIR=$W/mail ANJIAN_FILES_DIR=$W/files ANJIAN_JOBS=off

$BIN --database-url "$DB" migrate >/dev/null
$BIN gen roster "$W/roster.xlsx" --rows 100000 >/dev/null
$BIN --database-url "$DB" import enterprises "$W/roster.xlsx" >/dev/null
echo "$PASS" | $BIN --database-url "$DB" user add --username sheng --role regulator --region 420000 >/dev/null
FIRST=$(python3 -c "import sqlite3;print(sqlite3.connect('$DB').execute('select credit_code from enterprises order by id limit 1').fetchone()[0])")
echo "$PASS" | $BIN --database-url "$DB" user add --username qiye --role safety_officer --region 420103 --enterprise "$FIRST" >/dev/null

echo "generating 1,000,000 risk points and 1,000,000 hazards …" >&2
T0=$(date +%s.%N)
python3 bench/grading_data.py "$DB"
T1=$(date +%s.%N)
echo "data generated in $(python3 -c "print(round($T1-$T0,1))") s" >&2

PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
$BIN --database-url "$DB" serve --no-demo --bind "127.0.0.1:$PORT" >"$W/serve.log" 2>&1 &
SERVER=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
token() { curl -sf "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"username\":\"$1\",\"password\":\"$PASS\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])'; }
SHENG=$(token sheng); QY=$(token qiye)
ENTERPRISE=$(python3 -c "import sqlite3;print(sqlite3.connect('$DB').execute('select id from enterprises order by id limit 1').fetchone()[0])")

echo; echo "==== anjian risk-grading benchmark (release, SQLite) ===="
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; commit $(git rev-parse --short HEAD); binary $BIN"
python3 - "$DB" "$ENTERPRISE" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
q = lambda s, *a: c.execute(s, a).fetchone()
print("data: %d enterprises, %d risk points, %d hazards (%d open, %d open major at a point); enterprise %s has %d points"
      % (q("select count(*) from enterprises")[0], q("select count(*) from risk_points")[0],
         q("select count(*) from hazards")[0], q("select sum(is_open) from hazards")[0],
         q("select count(*) from hazards where is_open and level = 'major' and risk_point_id is not null")[0],
         sys.argv[2], q("select count(*) from risk_points where enterprise_id = ?", int(sys.argv[2]))[0]))
PY
for run in first second; do
  OUT=$(curl -sf -o "$W/run.json" -w '%{time_total}' -X POST -H "Authorization: Bearer $SHENG" \
    -H "Idempotency-Key: bench-$run-$$" "$BASE/api/v1/grading/recompute")
  echo "recompute grades and classes ($run run): $OUT s — $(cat "$W/run.json")"
done
python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("select coalesce(risk_grade, 'ungraded'), supervision_class, count(*) from enterprises group by 1, 2 order by 3 desc").fetchall()
print("grades: " + ", ".join("%s/%s %d" % r for r in rows))
PY
cat > "$W/get.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
LUA
for path in "/enterprises/$ENTERPRISE/risk-points" "/api/v1/enterprises/$ENTERPRISE/risk-points"; do
  CODE=$(curl -s -o "$W/page" -w '%{http_code}' -H "Authorization: Bearer $QY" "$BASE$path")
  [ "$CODE" = 200 ] || { echo "GET $path answered $CODE" >&2; exit 1; }
  TOKEN=$QY wrk -t2 -c10 -d3s -s "$W/get.lua" "$BASE$path" >/dev/null
  for conn in 1 10; do
    threads=$(( conn < 2 ? 1 : 2 ))
    echo "GET $path ($(wc -c <"$W/page") bytes), the enterprise's 安全管理人员 (wrk -t$threads -c$conn -d15s):"
    TOKEN=$QY wrk -t$threads -c$conn -d15s --latency -s "$W/get.lua" "$BASE$path" | grep -E "Requests/sec|  50%|  99%|Non-2xx|Socket errors" | sed 's/^/  /'
  done
done
