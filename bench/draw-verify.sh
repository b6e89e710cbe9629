#!/usr/bin/env bash
# `anjian draw verify` benchmark (issue 12 targets), pure Rust, no database:
#   bureau: 100,000 enterprises / 500 inspectors / 1,000 conflicts / sample 5,000, teams of 2
#           — verify ≤ 1 s;
#   stress: 1,000,000 enterprises / 5,000 inspectors / 10,000 conflicts / sample 10,000,
#           teams of 2 — verify ≤ 3 s.
# The proofs are made by `anjian draw synthetic` (the real hashing and sampler) and each is
# verified first (it must print `verified`), then timed: with hyperfine when installed
# (3 warm-up-free runs), else the median of 3 runs timed with /usr/bin/time (wall clock and
# peak memory).
# Usage: bash bench/draw-verify.sh            (release build)
#        BIN=/path/to/anjian bash bench/draw-verify.sh   (a given build; no cargo)
# Knobs: ANJIAN_BENCH_RUNS (3), ANJIAN_BENCH_KEEP=1 (keep the proofs and print the dir).
# Exit status: 1 if a proof did not verify; targets missed are reported as FAIL in the
# summary but do not change the status.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
  cargo build --release --bin anjian >&2
  BIN=$PWD/target/release/anjian
fi
RUNS=${ANJIAN_BENCH_RUNS:-3}
W=$(mktemp -d)
cleanup() { if [ -n "${ANJIAN_BENCH_KEEP:-}" ]; then echo "kept $W" >&2; else rm -rf "$W"; fi; }
trap cleanup EXIT
STATUS=0
SUMMARY=()

# bench NAME TARGET_SECONDS ENTERPRISES INSPECTORS CONFLICTS SAMPLE
bench() {
  local name=$1 target=$2 proof=$W/$1.json
  local t0 t1
  t0=$(date +%s.%N)
  "$BIN" draw synthetic --enterprises "$3" --inspectors "$4" --conflicts "$5" --sample "$6" --team-size 2 >"$proof"
  t1=$(date +%s.%N)
  echo "== $name: $3 enterprises, $4 inspectors, $5 conflicts, sample $6 (proof $(du -h "$proof" | cut -f1), made in $(printf '%.2f' "$(echo "$t1 - $t0" | bc)") s)"
  local out
  out=$("$BIN" draw verify "$proof" || true)
  if [ "$out" != "verified" ]; then
    echo "   the proof did not verify: $out"
    STATUS=1
    SUMMARY+=("FAIL $name: did not verify")
    return
  fi
  local secs
  if command -v hyperfine >/dev/null; then
    hyperfine --runs "$RUNS" --export-json "$W/$name.hf.json" "$BIN draw verify $proof"
    secs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$W/$name.hf.json")
  else
    local times=()
    for _ in $(seq 1 "$RUNS"); do
      /usr/bin/time -f '%e %M' -o "$W/time" "$BIN" draw verify "$proof" >/dev/null
      read -r wall rss <"$W/time"
      echo "   run: ${wall} s, peak ${rss} KiB"
      times+=("$wall")
    done
    secs=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
  fi
  local verdict=PASS
  if [ "$(echo "$secs > $target" | bc)" = 1 ]; then verdict=FAIL; fi
  SUMMARY+=("$verdict $name: anjian draw verify median $(printf '%.3f' "$secs") s (target ≤ $target s)")
}

bench bureau 1 100000 500 1000 5000
bench stress 3 1000000 5000 10000 10000

echo
echo "Summary ($(nproc) cores, $RUNS runs each):"
printf '  %s\n' "${SUMMARY[@]}"
exit $STATUS
