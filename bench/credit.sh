#!/usr/bin/env bash
# Credit and 安责险 coverage benchmark (issue 16 targets), SQLite, release build:
#   1. `anjian credit recompute` over 100,000 enterprises and 1,000,000 credit events
#      (every source collected, every score computed and stored) — ≤ 10 s; then again
#      with nothing changed, and `--check`;
#   2. an enterprise's credit breakdown, GET /api/v1/enterprises/{id}/credit across
#      200 enterprises of a county, as its 监管人员, under wrk -t2 -c50 -d15s —
#      p99 ≤ 50 ms;
#   3. coverage for the province, GET /api/v1/insurance/coverage as the province's
#      监管人员 (all 100,000 enterprises in scope) — ≤ 200 ms.
# Usage: bash bench/credit.sh   (needs wrk, curl, python3)
#        BIN=/path/to/anjian bash bench/credit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench/credit.sh needs $tool (Debian: apt-get install $tool)" >&2; exit 1; }
done
if [ -z "${BIN:-}" ]; then
  cargo build --release --bin anjian >&2
  BIN=$PWD/target/release/anjian
fi
W=$(mktemp -d)
SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
DB=$W/credit.db
PASS=bench-password-2026
export ANJIAN_MAIL_DIR=$W/mail ANJIAN_FILES_DIR=$W/files ANJIAN_JOBS=off

$BIN --database-url "$DB" migrate >/dev/null
$BIN gen roster "$W/roster.xlsx" --rows 100000 >/dev/null
$BIN --database-url "$DB" import enterprises "$W/roster.xlsx" >/dev/null
for u in "sheng regulator 420000" "xian regulator 420103"; do
  set -- $u
  echo "$PASS" | $BIN --database-url "$DB" user add --username "$1" --role "$2" --region "$3" >/dev/null
done
python3 bench/credit_data.py "$DB"

echo; echo "==== anjian credit and coverage benchmark (release, SQLite) ===="
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; commit $(git rev-parse --short HEAD); binary $BIN"
python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
q = lambda s: c.execute(s).fetchone()[0]
print("data: %d enterprises, %d credit events (%d voided), %d policies"
      % (q("select count(*) from enterprises"), q("select count(*) from credit_events"),
         q("select count(*) from credit_events where voided_at is not null"), q("select count(*) from insurance_policies")))
PY
run() {
  local t0 t1 out
  t0=$(date +%s.%N)
  out=$($BIN --database-url "$DB" credit recompute "$@") || true
  t1=$(date +%s.%N)
  echo "  $(python3 -c "print(round($t1-$t0,2))") s wall — $out"
}
echo "anjian credit recompute (first run: every score new):"; run
echo "anjian credit recompute (again: nothing changed):"; run
echo "anjian credit recompute --check:"; run --check

PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
$BIN --database-url "$DB" serve --no-demo --bind "127.0.0.1:$PORT" >"$W/serve.log" 2>&1 &
SERVER=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
token() { curl -sf "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"username\":\"$1\",\"password\":\"$PASS\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])'; }
SHENG=$(token sheng); XIAN=$(token xian)
IDS=$(python3 -c "
import sqlite3;c=sqlite3.connect('$DB')
print(','.join(str(r[0]) for r in c.execute(\"select id from enterprises where region_code = '420103' order by id limit 200\")))")
FIRST=${IDS%%,*}
CODE=$(curl -s -o "$W/one" -w '%{http_code}' -H "Authorization: Bearer $XIAN" "$BASE/api/v1/enterprises/$FIRST/credit")
[ "$CODE" = 200 ] || { echo "GET /api/v1/enterprises/$FIRST/credit answered $CODE" >&2; exit 1; }
echo "GET /api/v1/enterprises/{id}/credit — e.g. $FIRST: $(python3 -c "import json;v=json.load(open('$W/one'));print('score',v['score'],v['class_name'],len(v['events']),'events')")"
cat > "$W/credit.lua" <<LUA
local ids = {$IDS}
local n = 0
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/enterprises/" .. ids[(n % #ids) + 1] .. "/credit")
end
LUA
TOKEN=$XIAN wrk -t2 -c50 -d3s -s "$W/credit.lua" "$BASE" >/dev/null
echo "  county 监管人员, 200 enterprises in turn (wrk -t2 -c50 -d15s):"
TOKEN=$XIAN wrk -t2 -c50 -d15s --latency -s "$W/credit.lua" "$BASE" | grep -E "Requests/sec|  50%|  99%|Non-2xx|Socket errors" | sed 's/^/    /'
printf 'coverage for the province (GET /api/v1/insurance/coverage): '
for _ in 1 2 3 4 5; do curl -sf -o "$W/cov" -w '%{time_total} ' -H "Authorization: Bearer $SHENG" "$BASE/api/v1/insurance/coverage"; done
echo "s — $(python3 -c "import json;t=json.load(open('$W/cov'))['total'];print(t['mandatory'],'mandatory,',t['covered'],'covered,',t['rate_percent'],'%')")"
printf 'the same as xlsx (GET /api/v1/insurance/coverage.xlsx): '
for _ in 1 2 3; do curl -sf -o /dev/null -w '%{time_total} ' -H "Authorization: Bearer $SHENG" "$BASE/api/v1/insurance/coverage.xlsx" || printf 'n/a '; done
echo s
