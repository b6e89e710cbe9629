#!/usr/bin/env bash
# Fuzzes the spreadsheet reader and the importers' parsing, each target for
# SECONDS (default 600), one after the other: `fuzz/run.sh [SECONDS] [TARGET…]`.
# Generates the seed corpus first if it is missing. Crashes go to
# fuzz/artifacts/<target>/. Needs cargo-fuzz (`cargo install cargo-fuzz --locked`);
# RUSTC_BOOTSTRAP=1 lets cargo-fuzz use its nightly flags on the stable toolchain.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(xlsx_reader roster_parse ledger_parse)
export RUSTC_BOOTSTRAP=1

if [ -z "$(ls -A corpus/xlsx_reader 2>/dev/null)" ]; then
  # A plain build, sharing the root's target directory (and its compiled dependencies).
  CARGO_TARGET_DIR=../target cargo run --quiet --bin corpus -- corpus/xlsx_reader
fi

# No sanitizer: the crate forbids unsafe code, and without ASan a run is about
# twice as fast. Debug assertions catch arithmetic overflow. libFuzzer sees
# single allocations only under a sanitizer, so the targets' allocator
# (src/lib.rs) aborts on one over 1 GiB instead; -malloc_limit_mb applies
# when run with `-s address`.
for target in "${targets[@]}"; do
  dirs=("corpus/$target")
  [ "$target" = xlsx_reader ] || dirs+=(corpus/xlsx_reader)
  mkdir -p "corpus/$target"
  cargo fuzz run -s none --debug-assertions "$target" "${dirs[@]}" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -max_len=2200000 -timeout=30 -print_final_stats=1
done
