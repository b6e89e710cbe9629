#!/usr/bin/env bash
# Double-random draw benchmark (issue 12 targets), release build, SQLite, through the API:
#   bureau (default): 100,000 enterprises / 500 inspectors / 1,000 conflicts / sample 5,000,
#     teams of two — commit ≤ 1 s, execute ≤ 300 ms (with the 5,000 inspections),
#     `anjian draw verify` ≤ 1 s;
#   stress (--stress): 1,000,000 enterprises / 5,000 inspectors / 10,000 conflicts /
#     sample 10,000 — commit ≤ 3 s, execute ≤ 1 s, verify ≤ 3 s.
# A fresh database is migrated, a 40-row roster imported (the templates of the enterprise
# rows), the regulator added, and the rest seeded with bulk SQL (bench/draws.py). The
# release server runs on 127.0.0.1; the regulator signs in; each run commits a new draw
# (`POST /api/v1/draws`, server-held secret) and executes it (`POST …/execute`), both
# timed with curl's time_total; `GET /api/v1/draws/{id}` is timed too (not a target).
# The last draw's proof is fetched, must print `verified`, and `anjian draw verify` is
# timed (median of the runs). The table is printed and written to bench/DRAWS-RESULTS.md
# (bench/DRAWS-STRESS-RESULTS.md for --stress).
# Usage: bash bench/draws.sh [--stress] [--runs N]
#        BIN=/path/to/anjian bash bench/draws.sh   (a given build; no cargo)
# Knobs: ANJIAN_BENCH_KEEP=1 (keep the temp dir and print it).
# Exit status: 1 if a request failed or the proof did not verify; targets missed are
# reported as FAIL in the table but do not change the status.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=bureau RUNS=5
while [ $# -gt 0 ]; do
  case $1 in
    --stress) SIZE=stress; shift ;;
    --runs) RUNS=$2; shift 2 ;;
    *) echo "usage: bash bench/draws.sh [--stress] [--runs N]" >&2; exit 2 ;;
  esac
done
if [ "$SIZE" = stress ]; then
  N=1000000 M=5000 C=10000 S=10000 T_COMMIT=3 T_EXECUTE=1 T_VERIFY=3 OUT=bench/DRAWS-STRESS-RESULTS.md
else
  N=100000 M=500 C=1000 S=5000 T_COMMIT=1 T_EXECUTE=0.3 T_VERIFY=1 OUT=bench/DRAWS-RESULTS.md
fi
for tool in curl python3 bc; do
  command -v "$tool" >/dev/null || { echo "bench/draws.sh needs $tool" >&2; exit 1; }
done
if [ -z "${BIN:-}" ]; then
  cargo build --release --bin anjian >&2
  BIN=$PWD/target/release/anjian
fi
W=$(mktemp -d)
SERVER=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
  if [ -n "${ANJIAN_BENCH_KEEP:-}" ]; then echo "kept $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT
DB=$W/draws.db
PASSWORD=bench-password-2026
export ANJIAN_MAIL_DIR=$W/mail ANJIAN_FILES_DIR=$W/files ANJIAN_JOBS=off
COUNTY=420103
STATUS=0

T0=$(date +%s)
$BIN --database-url "$DB" migrate >/dev/null
$BIN gen roster "$W/roster.xlsx" --rows 40 >/dev/null
$BIN --database-url "$DB" import enterprises "$W/roster.xlsx" >/dev/null
echo "$PASSWORD" | $BIN --database-url "$DB" user add --region "$COUNTY" --username jianguan --role regulator \
  --display-name 监管员 >/dev/null
python3 bench/draws.py "$DB" "$COUNTY" "$N" "$M" "$C" >&2

PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
$BIN --database-url "$DB" serve --no-demo --bind "127.0.0.1:$PORT" >"$W/serve.log" 2>&1 &
SERVER=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -H 'Content-Type: application/json' \
  -d "{\"username\":\"jianguan\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/auth/login" |
  python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])')
echo "setup (migrate, import, seed, server, sign-in) in $(($(date +%s) - T0)) s" >&2

# call METHOD PATH BODY OUTFILE → "seconds http_code"
call() {
  curl -s -o "$4" -w '%{time_total} %{http_code}\n' -X "$1" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' ${3:+-d "$3"} "$BASE$2"
}
COMMITS=() EXECUTES=() GETS=()
ID=
for r in $(seq 1 "$RUNS"); do
  read -r secs code < <(call POST /api/v1/draws \
    "{\"title\":\"基准抽取 $r\",\"filter\":{},\"sample\":{\"count\":$S},\"team_size\":2}" "$W/commit.json")
  if [ "$code" != 201 ]; then echo "commit: HTTP $code $(head -c 400 "$W/commit.json")"; STATUS=1; break; fi
  COMMITS+=("$secs")
  ID=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["id"])' "$W/commit.json")
  read -r esecs code < <(call POST "/api/v1/draws/$ID/execute" '{}' "$W/execute.json")
  if [ "$code" != 200 ]; then echo "execute: HTTP $code $(head -c 400 "$W/execute.json")"; STATUS=1; break; fi
  EXECUTES+=("$esecs")
  read -r gsecs code < <(call GET "/api/v1/draws/$ID" '' "$W/get.json")
  [ "$code" = 200 ] || { echo "get: HTTP $code"; STATUS=1; }
  GETS+=("$gsecs")
  echo "run $r: draw $ID commit ${secs} s, execute ${esecs} s, get ${gsecs} s" >&2
done

VERIFIES=() PROOF_SECS=– PROOF_SIZE=–
if [ -n "$ID" ] && [ "$STATUS" = 0 ]; then
  read -r PROOF_SECS code < <(call GET "/api/v1/draws/$ID/proof" '' "$W/proof.json")
  PROOF_SIZE=$(du -h "$W/proof.json" | cut -f1)
  TASKS=$(python3 -c 'import json,sys;print(len(json.load(open(sys.argv[1]))["result"]["tasks"]))' "$W/proof.json")
  out=$("$BIN" draw verify "$W/proof.json" || true)
  if [ "$code" != 200 ] || [ "$out" != verified ]; then
    echo "proof: HTTP $code, verify: $out"; STATUS=1
  else
    for _ in $(seq 1 "$RUNS"); do
      /usr/bin/time -f '%e %M' -o "$W/time" "$BIN" draw verify "$W/proof.json" >/dev/null
      read -r wall rss <"$W/time"
      VERIFIES+=("$wall")
    done
    echo "proof: $TASKS tasks, $PROOF_SIZE, fetched in $PROOF_SECS s; verify peak ${rss} KiB" >&2
  fi
fi

median() { [ $# -eq 0 ] && { echo –; return; }; printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
worst() { [ $# -eq 0 ] && { echo –; return; }; printf '%s\n' "$@" | sort -g | tail -1; }
verdict() { [ "$1" = – ] && { echo MISSING; return; }; [ "$(echo "$1 <= $2" | bc)" = 1 ] && echo PASS || echo FAIL; }
MC=$(median "${COMMITS[@]}") ME=$(median "${EXECUTES[@]}") MG=$(median "${GETS[@]}") MV=$(median "${VERIFIES[@]}")
SRC=$(git log -1 --format='%h %s' | cut -c1-70)
{
  echo "# Draw benchmark ($SIZE): $N enterprises, $M inspectors, $C conflicts, sample $S, teams of two"
  echo
  echo "- command: \`bash bench/draws.sh$([ "$SIZE" = stress ] && echo ' --stress') --runs $RUNS\` (release build, SQLite)"
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); source: $SRC"
  echo "- machine: $(nproc) cores (nproc), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)," \
    "$(free -g | awk '/Mem:/{print $2}') GiB; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" \
    "(the machine is shared)"
  echo "- proof of the last draw: ${TASKS:-–} tasks, $PROOF_SIZE, \`GET …/proof\` in $PROOF_SECS s (not a target)"
  echo
  echo "| step | median (s) | worst (s) | runs | target (s) | verdict |"
  echo "|---|---:|---:|---:|---:|---|"
  echo "| commit \`POST /api/v1/draws\` | $MC | $(worst "${COMMITS[@]}") | ${#COMMITS[@]} | $T_COMMIT | $(verdict "$MC" $T_COMMIT) |"
  echo "| execute \`POST …/execute\` ($S inspections) | $ME | $(worst "${EXECUTES[@]}") | ${#EXECUTES[@]} | $T_EXECUTE | $(verdict "$ME" $T_EXECUTE) |"
  echo "| \`anjian draw verify\` | $MV | $(worst "${VERIFIES[@]}") | ${#VERIFIES[@]} | $T_VERIFY | $(verdict "$MV" $T_VERIFY) |"
  echo "| \`GET /api/v1/draws/{id}\` (not a target) | $MG | $(worst "${GETS[@]}") | ${#GETS[@]} | – | – |"
} >"$W/table.md"
cat "$W/table.md"
cp "$W/table.md" "$OUT"
echo "total wall time: $(($(date +%s) - T0)) s; written to $OUT" >&2
exit $STATUS
