#!/usr/bin/env bash
# Builds the Debian package of the toolkit into build/package/ (kafka-streams-toolkit_VERSION_ARCH.deb): the five
# tools (stripped), their man pages (help2man) and bash completions; Depends from dpkg-shlibdeps. Builds the tools
# first unless --no-build (then it packages what build/ holds). docs/packaging.md says what is in it and how it is
# checked.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
if [ "${1:-}" != "--no-build" ]; then
  [ -f "$build/CPackConfig.cmake" ] || cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j "$(nproc)" --target streams-describe streams-diff streams-run streams-reset streams-drain \
    man-pages package-changelog
fi
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$(realpath "$build")/package" >/dev/null
ls "$build"/package/*.deb
