#!/usr/bin/env bash
# Indicator cockpit benchmark (issue 17 targets), SQLite, release build, over a
# synthetic 湖北省 (every county in data/regions.tsv): 100,000 enterprises,
# 1,000,000 hazards, 10,000 accidents, 50,000 completed inspections, 安责险 policies
# (bench/indicators_data.py):
#   1. the nightly computation, `anjian indicators compute` for the whole database and
#      the current year, in one write transaction — ≤ 30 s; then for one prefecture;
#   2. the cockpit for the province as its 监管人员 under wrk -t2 -c20 -d20s:
#      GET /indicators (the page, session cookie), GET /api/v1/indicators and
#      GET /api/v1/indicators/insurance_coverage — p99 ≤ 200 ms.
# Usage: bash bench/indicators.sh   (needs wrk, curl, python3)
#        BIN=/path/to/anjian bash bench/indicators.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench/indicators.sh needs $tool (Debian: apt-get install $tool)" >&2; exit 1; }
done
if [ -z "${BIN:-}" ]; then
  cargo build --release --bin anjian >&2
  BIN=$PWD/target/release/anjian
fi
W=$(mktemp -d)
SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
DB=$W/indicators.db
PASS=bench-password-2026
export ANJIAN_MAIL_DIR=$W/mail ANJIAN_FILES_DIR=$W/files ANJIAN_JOBS=off

$BIN --database-url "$DB" migrate >/dev/null
$BIN gen roster "$W/roster.xlsx" --rows 100000 >/dev/null
$BIN --database-url "$DB" import enterprises "$W/roster.xlsx" >/dev/null
echo "$PASS" | $BIN --database-url "$DB" user add --username sheng --role regulator --region 420000 >/dev/null
T0=$(date +%s.%N)
python3 bench/indicators_data.py "$DB"
T1=$(date +%s.%N)
echo "data generated in $(python3 -c "print(round($T1-$T0,1))") s" >&2
# As `serve` starts: migrate (nothing to do) and refresh the planner's statistics.
$BIN --database-url "$DB" migrate >/dev/null

echo; echo "==== anjian indicator cockpit benchmark (release, SQLite) ===="
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD); binary $BIN"
python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
q = lambda s: c.execute(s).fetchone()[0]
print("data: %d enterprises in %d counties, %d hazards (%d major, %d closed), %d hazard events, %d accidents, "
      "%d inspections, %d policies"
      % (q("select count(*) from enterprises"), q("select count(distinct region_code) from enterprises"),
         q("select count(*) from hazards"), q("select count(*) from hazards where level = 'major'"),
         q("select count(*) from hazards where status = 'closed'"), q("select count(*) from hazard_events"),
         q("select count(*) from accidents"), q("select count(*) from inspections"),
         q("select count(*) from insurance_policies")))
PY
run() {
  local t0 t1 out
  t0=$(date +%s.%N)
  out=$($BIN --database-url "$DB" indicators compute "$@")
  t1=$(date +%s.%N)
  echo "  $(python3 -c "print(round($t1-$t0,2))") s wall — $out"
}
echo "anjian indicators compute (whole database, this year):"; run; run
echo "anjian indicators compute --region 420100 (a prefecture):"; run --region 420100

PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
$BIN --database-url "$DB" serve --no-demo --bind "127.0.0.1:$PORT" >"$W/serve.log" 2>&1 &
SERVER=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
SHENG=$(curl -sf "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"username\":\"sheng\",\"password\":\"$PASS\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])')
CODE=$(curl -s -o "$W/one" -w '%{http_code}' -H "Authorization: Bearer $SHENG" "$BASE/api/v1/indicators")
[ "$CODE" = 200 ] || { echo "GET /api/v1/indicators answered $CODE" >&2; cat "$W/one" >&2; exit 1; }
python3 - "$W/one" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
print("GET /api/v1/indicators:", v.get("region_name"), len(v["items"]), "indicators, e.g.",
      "; ".join("%s %s" % (i["code"], i.get("value")) for i in v["items"][:4]))
PY
measure() { # name url header
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "$3" "$2")
  [ "$code" = 200 ] || { echo "$1 answered $code" >&2; exit 1; }
  cat > "$W/h.lua" <<LUA
wrk.headers["${3%%:*}"] = "${3#*: }"
LUA
  wrk -t2 -c20 -d3s -s "$W/h.lua" "$2" >/dev/null
  echo "$1, province 监管人员 (wrk -t2 -c20 -d20s):"
  wrk -t2 -c20 -d20s --latency -s "$W/h.lua" "$2" | grep -E "Requests/sec|  50%|  99%|Non-2xx|Socket errors" | sed 's/^/  /'
}
measure "GET /indicators (the page)" "$BASE/indicators" "Cookie: anjian_session=$SHENG"
measure "GET /api/v1/indicators" "$BASE/api/v1/indicators" "Authorization: Bearer $SHENG"
measure "GET /api/v1/indicators/insurance_coverage" "$BASE/api/v1/indicators/insurance_coverage" \
  "Authorization: Bearer $SHENG"
