#!/usr/bin/env bash
# Browser verify benchmark (issue 12 target: ≤ 3 s): a synthetic public proof of a
# bureau-sized draw (100,000 enterprises, 500 inspectors, 1,000 conflicts, 5,000
# tasks in teams of two) is loaded into /public/draws/verify through the file
# picker in headless Chromium; the page measures parsing and verifying and the
# test prints that time.
# Usage: bash bench/draw-browser.sh   (release build; needs chromium and chromedriver)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in /usr/bin/chromium /usr/bin/chromedriver; do
  [ -x "$tool" ] || { echo "bench/draw-browser.sh needs $tool (Debian: apt-get install chromium chromium-driver)" >&2; exit 1; }
done
cargo test --release --test api draw_browser_bench -- --ignored --nocapture 2>&1 | grep -E "browser verify|synthetic proof|test result|panicked"
