#!/usr/bin/env bash
# libFuzzer targets for the parsers of untrusted input (topology files, describe text, properties),
# built with clang into build-fuzz/. `fuzz.sh build` only builds (ctest then runs each for a bounded
# time); `fuzz.sh run SECONDS` runs every target for SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-build}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTREAMS_FUZZ=ON >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_targets
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
if [ "$mode" = run ]; then
  secs=${2:-30}
  for t in build-fuzz/tests/fuzz/*_fuzz; do
    name=$(basename "$t" _fuzz)
    mkdir -p "build-fuzz/corpus/$name"
    "$t" "build-fuzz/corpus/$name" "tests/fuzz/corpus/$name" -max_total_time="$secs" -max_len=65536 -timeout=10
  done
fi
