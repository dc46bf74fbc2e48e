#!/usr/bin/env bash
# Installs, builds and runs every test: unit tests, CLI golden tests, the Kafka Streams oracle and
# bounded libFuzzer runs. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
scripts/fuzz.sh build
ctest --test-dir build --output-on-failure -j "$(nproc)"
