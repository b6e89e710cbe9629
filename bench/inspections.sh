#!/usr/bin/env bash
# Inspections benchmark (issue 11 targets), 100,000 enterprises in SQLite:
#   A. computing the applicable items and rendering a 50-item checklist page ≤ 50 ms p99:
#      wrk -t2 -c8 -d15s on the record page /inspections/{id}/record (session cookie),
#      on GET /api/v1/enterprises/{id}/checklist-items and on GET /api/v1/inspections/{id}/record;
#   B. saving a completed record of 50 items and 10 findings ≤ 100 ms p99 with 8 concurrent
#      inspectors: 400 inspections (8 teams of two), each started, its 50 outcomes saved
#      (timed PUT …/results, 8 at once), 10 findings and three signatures recorded, then
#      8 threads completing them at once (timed POST …/complete); 4,000 hazards expected.
# The enterprises are hazardous-chemicals producers (sub-type hc_production): 49 applicable
# items, the most a hazardous-chemicals enterprise gets from the shipped checklists (the 20
# items of 121号 and 29 of the general safety-management checklist).
# Usage: bash bench/inspections.sh   (release build; needs wrk, curl, python3)
#        BIN=/path/to/anjian bash bench/inspections.sh   (a given build; no cargo)
# Knobs: ANJIAN_BENCH_INSPECTIONS (400), ANJIAN_BENCH_TEAMS (8), ANJIAN_BENCH_DURATION (15),
#        ANJIAN_BENCH_KEEP=1 (keep the temp dir and print it).
# Exit status: 1 if a request failed, a check failed or an endpoint is missing; targets
# missed are reported as FAIL in the summary but do not change the status.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench/inspections.sh needs $tool (Debian: apt-get install $tool)" >&2; exit 1; }
done
if [ -z "${BIN:-}" ]; then
  cargo build --release --bin anjian >&2
  BIN=$PWD/target/release/anjian
fi
N=${ANJIAN_BENCH_INSPECTIONS:-400}
TEAMS=${ANJIAN_BENCH_TEAMS:-8}
DUR=${ANJIAN_BENCH_DURATION:-15}
HERE=$PWD/bench
W=$(mktemp -d)
SERVER=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
  if [ -n "${ANJIAN_BENCH_KEEP:-}" ]; then echo "kept $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT
DB=$W/insp.db
export ANJIAN_BENCH_PASSWORD=bench-password-2026
export ANJIAN_MAIL_DIR=$W/mail ANJIAN_FILES_DIR=$W/files ANJIAN_JOBS=off
COUNTY=420103
STATUS=0

T0=$(date +%s)
$BIN --database-url "$DB" migrate >/dev/null
$BIN gen roster "$W/roster.xlsx" --rows 100000 >/dev/null
$BIN --database-url "$DB" import enterprises "$W/roster.xlsx" >/dev/null
add() { echo "$ANJIAN_BENCH_PASSWORD" | $BIN --database-url "$DB" user add --region "$COUNTY" "$@" >/dev/null; }
add --username jianguan --role regulator --display-name 监管员
add --username shenpi --role approver --display-name 审批负责人
for k in $(seq 1 $((TEAMS * 2))); do
  add --username "$(printf 'zf%02d' "$k")" --role inspector --display-name "$(printf '执法员%02d' "$k")" \
    --certificate "$(printf '4201030%05d' "$k")" --certificate-valid-until 2028-12-31
done

# N + 1 hazardous-chemicals enterprises of the county, made producers (hc_production, no
# special topics) so that their applicable items are the 121号 items plus the general ones.
python3 - "$DB" "$COUNTY" $((N + 1)) "$W/enterprises.txt" <<'PY'
import sqlite3, sys
db, county, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
c = sqlite3.connect(db)
ids = [r[0] for r in c.execute("select id from enterprises where sector = 'hazardous_chemicals' and region_code = ? "
                               "order by id limit ?", (county, n))]
if len(ids) < n:
    sys.exit(f"only {len(ids)} hazardous-chemicals enterprises in {county}")
c.executemany("update enterprises set sub_types = 'hc_production', special_topics = '' where id = ?", [(i,) for i in ids])
c.commit()
open(out, "w").write("\n".join(map(str, ids)) + "\n")
PY
head -1 "$W/enterprises.txt" > "$W/a.txt"
tail -n +2 "$W/enterprises.txt" > "$W/b.txt"
A_ENTERPRISE=$(cat "$W/a.txt")

PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
$BIN --database-url "$DB" serve --no-demo --bind "127.0.0.1:$PORT" >"$W/serve.log" 2>&1 &
SERVER=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
echo "setup (roster, import, users, server) in $(( $(date +%s) - T0 )) s" >&2

echo
echo "==== anjian inspections benchmark (release, SQLite) ===="
SRC=$(git -C "$(dirname "$BIN")" log -1 --format='%h %s' 2>/dev/null | cut -c1-60 || echo unknown)
echo "machine: $(nproc) cores (nproc), $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "load average before the measurements (1/5/15 min, all processes on the machine): $(cut -d" " -f1-3 /proc/loadavg)"
echo "binary: $BIN (source: $SRC); script: $(git rev-parse --short HEAD)"
python3 -c "import sqlite3;c=sqlite3.connect('file:$DB?mode=ro',uri=True);print('data: %d enterprises' % c.execute('select count(*) from enterprises').fetchone())"

# ---- Target A ----
python3 "$HERE/inspections.py" prepare-a "$BASE" "$DB" "$A_ENTERPRISE" "$W/a-inspection.txt" || STATUS=1
declare -A RPS P50 P99 ERR
if [ -s "$W/a-inspection.txt" ]; then
  read -r A_ID A_TOKEN < "$W/a-inspection.txt"
  ITEMS=$(curl -sf -H "Authorization: Bearer $A_TOKEN" "$BASE/api/v1/enterprises/$A_ENTERPRISE/checklist-items" \
    | python3 -c 'import json,sys;d=json.load(sys.stdin);print(len(d["items"]) if isinstance(d,dict) and "items" in d else len(d))' || echo "?")
  echo "enterprise $A_ENTERPRISE: $ITEMS applicable items (GET /api/v1/enterprises/$A_ENTERPRISE/checklist-items)"
  measure() { # name url header
    local code out
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "$3" "$2")
    if [ "$code" != 200 ]; then
      echo "$1: HTTP $code — not measured"; RPS[$1]="HTTP $code"; P50[$1]=–; P99[$1]=–; ERR[$1]=missing; STATUS=1; return
    fi
    wrk -t2 -c8 -d3s -H "$3" "$2" >/dev/null
    out=$(wrk -t2 -c8 -d"${DUR}s" --latency -H "$3" "$2")
    RPS[$1]=$(awk '/Requests\/sec/{print $2}' <<<"$out")
    P50[$1]=$(awk '$1=="50%"{print $2}' <<<"$out")
    P99[$1]=$(awk '$1=="99%"{print $2}' <<<"$out")
    ERR[$1]=$(grep -E "Non-2xx|Socket errors" <<<"$out" | xargs || true)
    [ -n "${ERR[$1]}" ] && STATUS=1
    echo "$1: ${RPS[$1]} req/s, p50 ${P50[$1]}, p99 ${P99[$1]} ${ERR[$1]}"
  }
  measure page "$BASE/inspections/$A_ID/record" "Cookie: anjian_session=$A_TOKEN"
  measure items "$BASE/api/v1/enterprises/$A_ENTERPRISE/checklist-items" "Authorization: Bearer $A_TOKEN"
  measure record "$BASE/api/v1/inspections/$A_ID/record" "Authorization: Bearer $A_TOKEN"
fi

# ---- Target B ----
export ANJIAN_BENCH_B_OUT=$W/b-out.txt
python3 "$HERE/inspections.py" run-b "$BASE" "$DB" "$W/b.txt" "$TEAMS" || STATUS=1

# ---- Summary ----
ms() { # wrk's "12.34ms" / "1.02s" / "812.00us" → ms
  python3 -c "import re,sys;v=sys.argv[1];m=re.fullmatch(r'([0-9.]+)(us|ms|s)',v);print('' if not m else round(float(m[1])*{'us':0.001,'ms':1,'s':1000}[m[2]],2))" "$1"
}
verdict() { # value limit
  [ -z "$1" ] && { echo MISSING; return; }
  python3 -c "import sys;print('PASS' if float(sys.argv[1]) <= float(sys.argv[2]) else 'FAIL')" "$1" "$2"
}
echo
echo "==== summary ===="
echo "| target | measured | limit | verdict |"
echo "|---|---:|---:|---|"
for k in page items record; do
  case $k in
    page) label="A. checklist page /inspections/{id}/record (${ITEMS:-?} items), wrk -c8, p99" ;;
    items) label="A. GET /api/v1/enterprises/{id}/checklist-items (${ITEMS:-?} items), wrk -c8, p99" ;;
    record) label="A. GET /api/v1/inspections/{id}/record (JSON), wrk -c8, p99 (not a target)" ;;
  esac
  v=$(ms "${P99[$k]:-}")
  echo "| $label | ${v:-${RPS[$k]:-not run}} ms (${RPS[$k]:-–} req/s, p50 ${P50[$k]:-–}) | 50 ms | $(verdict "$v" 50) |"
done
if [ -s "$W/b-out.txt" ]; then
  read -r C99 PUT99 COUNT HAZ EXP FAILED BITEMS < "$W/b-out.txt"
  echo "| B. POST …/complete ($BITEMS items, 10 findings), $TEAMS at once, p99 | $C99 ms ($COUNT requests) | 100 ms | $(verdict "$C99" 100) |"
  echo "| B. PUT …/results ($BITEMS items), $TEAMS at once, p99 (not a target) | $PUT99 ms | 100 ms | $(verdict "$PUT99" 100) |"
  echo "| B. hazards created | $HAZ | $EXP | $([ "$HAZ" = "$EXP" ] && echo PASS || echo FAIL) |"
  echo "| B. failed requests | $FAILED | 0 | $([ "$FAILED" = 0 ] && echo PASS || echo FAIL) |"
else
  echo "| B. complete / results | not run | 100 ms | MISSING |"
fi
echo "total wall time: $(( $(date +%s) - T0 )) s; load average at the end (1/5/15 min, all processes on the machine): $(cut -d" " -f1-3 /proc/loadavg)"
exit $STATUS
