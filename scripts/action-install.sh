#!/usr/bin/env bash
# The GitHub Action's first step: makes streams-diff and streams-describe available to the gate. Nothing to do when
# they are on PATH; else installs TOOLKIT_DEB (the toolkit's Debian package, scripts/package.sh) when given; else
# builds the two tools from the action's sources (TOOLKIT_SOURCE) with Debian's build dependencies and puts them on
# the job's PATH ($GITHUB_PATH).
set -euo pipefail
if command -v streams-diff >/dev/null && command -v streams-describe >/dev/null; then
  echo "action-install: using $(command -v streams-diff) ($(streams-diff --version | head -1))"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ -n "${TOOLKIT_DEB:-}" ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$(realpath "$TOOLKIT_DEB")"
  exit 0
fi
src=${TOOLKIT_SOURCE:?TOOLKIT_SOURCE names the toolkit's sources}
build=${RUNNER_TEMP:-/tmp}/streams-toolkit-build
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  build-essential cmake ninja-build pkg-config librdkafka-dev librocksdb-dev libjemalloc-dev libcli11-dev \
  nlohmann-json3-dev libgraphviz-dev libjq-dev >/dev/null
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target streams-diff streams-describe
echo "$build/tools" >>"${GITHUB_PATH:-/dev/null}"
echo "action-install: built streams-diff and streams-describe in $build/tools"
