#!/usr/bin/env bash
# The recipe for Java applications, end to end: the purchase count application (tests/java-app) writes its
# Topology.describe() to topology.txt (shop.WriteTopology, what the application's unit test does), kept in a
# temporary git repository; version 2 inserts a filter before the count; the topology gate
# (scripts/topology-gate.sh) runs on the pull request and must block it with store-renamed and name the store to pin
# in Java: Materialized.as("KSTREAM-AGGREGATE-STATE-STORE-0000000001").
# Usage: recipe_test.sh TOOLS_DIR SOURCE_DIR
set -euo pipefail
tools=$1 src=$2
app=$src/tests/java-app
"$src/scripts/maven-package.sh" "$app" "$app/target/purchase-count.jar"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES=$work
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com

# describe VERSION_SOURCE: compiles the application with that PurchaseCount.java and writes app/topology.txt
describe() {
  rm -rf "$work/classes" && mkdir -p "$work/classes"
  javac -nowarn -cp "$app/target/lib/*" -d "$work/classes" "$1" "$app/src/main/java/shop/WriteTopology.java"
  java -cp "$work/classes:$app/target/lib/*" shop.WriteTopology "$repo/app/topology.txt"
}
repo=$work/repo
mkdir -p "$repo/app"
git -C "$repo" init -q -b main
describe "$app/src/main/java/shop/PurchaseCount.java"
git -C "$repo" add . && git -C "$repo" commit -q -m "purchase count"
base=$(git -C "$repo" rev-parse HEAD)
git -C "$repo" checkout -q -b filter
describe "$app/versions/v2-filter/PurchaseCount.java"
git -C "$repo" commit -q -am "drop empty purchases before counting"

status=0
(cd "$repo" && env GITHUB_EVENT_NAME=pull_request GITHUB_BASE_REF=main GITHUB_HEAD_REF=filter BASE="$base" \
   GITHUB_STEP_SUMMARY="$work/summary.md" RUNNER_TEMP="$work/tmp" STREAMS_BIN="$tools" TOPOLOGIES=app/topology.txt \
   "$src/scripts/topology-gate.sh" >"$work/log") || status=$?
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
[ "$status" = 1 ] || fail "the gate's exit status is $status, expected 1 (blocked)"
grep -q '^::error file=app/topology.txt,.*streams-diff store-renamed (reset-required)' "$work/log" ||
  fail "no store-renamed error on app/topology.txt"
grep -q 'Materialized.as("KSTREAM-AGGREGATE-STATE-STORE-0000000001")' "$work/log" || fail "the annotation does not name the store to pin"
grep -q 'Materialized.as("KSTREAM-AGGREGATE-STATE-STORE-0000000001")' "$work/summary.md" ||
  fail "the summary does not name the store to pin"
grep -q 'KSTREAM-FILTER-0000000001' "$repo/app/topology.txt" || fail "version 2's describe() has no filter"
[ "$failures" -eq 0 ] || { cat "$work/log"; echo "$failures checks of the Java recipe failed"; exit 1; }
echo "the gate blocks the Java application's filter before the count and names the store to pin"
