#!/usr/bin/env bash
# Tablet app benchmark (issue 13 targets): the shell's size (≤ 300 KB), the first
# load over Chromium's network emulation at 1.6 Mbit/s and 150 ms RTT (≤ 5 s),
# opening a downloaded 50-item checklist (≤ 100 ms), marking an item (≤ 16 ms),
# and syncing a visit of 50 items, 10 findings and 20 photos of about 2 MB over
# the same link without a manual retry. Headless Chromium on the in-process
# server (SQLite). About 5 minutes after the build, most of it the throttled upload.
# Usage: bash bench/tablet.sh   (release build; needs chromium and chromedriver)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in /usr/bin/chromium /usr/bin/chromedriver; do
  [ -x "$tool" ] || { echo "bench/tablet.sh needs $tool (Debian: apt-get install chromium chromium-driver)" >&2; exit 1; }
done
cargo test --release --test api tablet_bench -- --ignored --nocapture 2>&1 |
  grep -E "^tablet shell|^first load|^open a|^mark an|^sync of|test result|panicked|^  left|^ right"
