#!/usr/bin/env bash
# Penalty-case benchmark (issue 15 targets), SQLite, release build:
#   1. a county bureau's case list (about 10,100 cases) with the 90-day clock on each
#      row: GET /api/v1/cases?per_page=20 (newest change first) and the in-progress
#      queue, as the county's 监管人员, under wrk -t2 -c50 -d15s — p99 ≤ 50 ms;
#   2. the art. 113 scan over 100,000 enterprises and about 50,000 decisions (the
#      nightly job's `closure_alerts`), timed through GET /api/v1/cases/closure-alerts
#      as the province's 监管人员 — ≤ 2 s.
# Usage: bash bench/cases.sh   (needs wrk, curl, python3)
#        BIN=/path/to/anjian bash bench/cases.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench/cases.sh needs $tool (Debian: apt-get install $tool)" >&2; exit 1; }
done
if [ -z "${BIN:-}" ]; then
  cargo build --release --bin anjian >&2
  BIN=$PWD/target/release/anjian
fi
W=$(mktemp -d)
SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
DB=$W/cases.db
PASS=bench-password-2026
export ANJIAN_MAIL_DIR=$W/mail ANJIAN_FILES_DIR=$W/files ANJIAN_JOBS=off

$BIN --database-url "$DB" migrate >/dev/null
$BIN gen roster "$W/roster.xlsx" --rows 100000 >/dev/null
$BIN --database-url "$DB" import enterprises "$W/roster.xlsx" >/dev/null
for u in "sheng regulator 420000" "xian regulator 420103"; do
  set -- $u
  echo "$PASS" | $BIN --database-url "$DB" user add --username "$1" --role "$2" --region "$3" >/dev/null
done
echo "$PASS" | $BIN --database-url "$DB" user add --username cbr --role inspector --region 420103 \
  --certificate 42010300001 --certificate-valid-until 2028-12-31 >/dev/null
T0=$(date +%s.%N)
python3 bench/cases_data.py "$DB"
T1=$(date +%s.%N)
echo "cases generated in $(python3 -c "print(round($T1-$T0,1))") s" >&2

PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
$BIN --database-url "$DB" serve --no-demo --bind "127.0.0.1:$PORT" >"$W/serve.log" 2>&1 &
SERVER=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
token() { curl -sf "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"username\":\"$1\",\"password\":\"$PASS\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])'; }
SHENG=$(token sheng); XIAN=$(token xian)

echo; echo "==== anjian penalty-case benchmark (release, SQLite) ===="
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; commit $(git rev-parse --short HEAD); binary $BIN"
python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
q = lambda s: c.execute(s).fetchone()[0]
print("data: %d enterprises, %d cases (%d decided), %d in the county bureau of 420103, %d open major hazards"
      % (q("select count(*) from enterprises"), q("select count(*) from cases"),
         q("select count(*) from cases where decision = 'penalty'"),
         q("select count(*) from cases c join bureaus b on b.id = c.bureau_id where b.region_code = '420103'"),
         q("select count(*) from hazards where is_open and level = 'major'")))
PY
cat > "$W/get.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
LUA
for path in "/api/v1/cases?per_page=20" "/api/v1/cases?queue=open&per_page=20"; do
  CODE=$(curl -s -o "$W/page" -w '%{http_code}' -H "Authorization: Bearer $XIAN" "$BASE$path")
  [ "$CODE" = 200 ] || { echo "GET $path answered $CODE" >&2; exit 1; }
  echo "GET $path — $(python3 -c "import json;v=json.load(open('$W/page'));print(v['total'],'cases,',len(v['items']),'listed')")"
  TOKEN=$XIAN wrk -t2 -c50 -d3s -s "$W/get.lua" "$BASE$path" >/dev/null
  echo "  county 监管人员 (wrk -t2 -c50 -d15s):"
  TOKEN=$XIAN wrk -t2 -c50 -d15s --latency -s "$W/get.lua" "$BASE$path" | grep -E "Requests/sec|  50%|  99%|Non-2xx|Socket errors" | sed 's/^/    /'
done
printf 'art. 113 scan (GET /api/v1/cases/closure-alerts, province): '
for _ in 1 2 3 4 5; do curl -sf -o "$W/alerts" -w '%{time_total} ' -H "Authorization: Bearer $SHENG" "$BASE/api/v1/cases/closure-alerts"; done
echo "s — $(python3 -c "import json;print(json.load(open('$W/alerts'))['total'])") enterprises meet it"
