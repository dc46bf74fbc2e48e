#!/usr/bin/env bash
# Installs what the toolkit needs to build and test, from Debian's packages (and Maven Central, through
# the Java oracle's own build). Safe to run again: apt skips what is installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  librdkafka-dev librocksdb-dev libjemalloc-dev libcli11-dev nlohmann-json3-dev libgraphviz-dev catch2 libjq-dev
  libcpp-httplib-dev
  clang libclang-rt-14-dev
  help2man lintian dpkg-dev  # the Debian package: man pages, its check (tests/package), dpkg-shlibdeps
)
command -v mvn >/dev/null 2>&1 || packages+=(maven)
command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jdk-headless)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
