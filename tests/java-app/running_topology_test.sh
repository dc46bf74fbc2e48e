#!/usr/bin/env bash
# The topology a running application pushed to the broker (Kafka 4.4, streams rebalance protocol) as an input of the
# tools: the purchase count (tests/java-app, shop.RunApp) runs with group.protocol=streams on the test broker, whose
# scripts/kafka-broker.sh configuration names a topology description storage plugin; kafka-streams-groups
# (org.apache.kafka.tools.streams.StreamsGroupCommand) prints the running topology with --describe --topology;
# streams-diff compares the candidate builds' describe() texts with it: version 1 (the running one) passes, version
# 2 (a filter before the count) is reset-required with store-renamed.
# Usage: running_topology_test.sh TOOLS_DIR SOURCE_DIR BROKER_LIB_DIR   (STREAMS_TEST_BOOTSTRAP: the broker)
set -euo pipefail
tools=$1 src=$2 broker_lib=$3
bootstrap=${STREAMS_TEST_BOOTSTRAP:?the broker test fixture sets STREAMS_TEST_BOOTSTRAP}
app=$src/tests/java-app
"$src/scripts/maven-package.sh" "$app" "$app/target/purchase-count.jar"
work=$(mktemp -d)
app_pid=
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

for topic in purchases purchase-counts; do
  java -cp "$broker_lib/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions 2 --replication-factor 1 >/dev/null
done
group=shop-count-$$-$RANDOM
java -cp "$app/target/purchase-count.jar:$app/target/lib/*" shop.RunApp "$bootstrap" "$group" "$work/state" \
  >"$work/app.log" 2>&1 &
app_pid=$!

# The application pushes its description when the broker asks for it (after it joined the group): poll.
running=$work/running.txt
for _ in $(seq 1 60); do
  java -cp "$broker_lib/*" org.apache.kafka.tools.streams.StreamsGroupCommand --bootstrap-server "$bootstrap" \
    --describe --group "$group" --topology >"$running" 2>"$work/groups.err" || true
  if head -n 1 "$running" | grep -q '^Topologies:'; then break; fi
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log"; echo "the application stopped"; exit 1; }
  sleep 2
done
head -n 1 "$running" | grep -q '^Topologies:' ||
  { cat "$work/groups.err" "$work/app.log"; echo "kafka-streams-groups printed no topology for $group"; exit 1; }

# describe VERSION_SOURCE OUT: the describe() text of a build of the application with that PurchaseCount.java
describe() {
  rm -rf "$work/classes" && mkdir -p "$work/classes"
  javac -nowarn -cp "$app/target/lib/*" -d "$work/classes" "$1" "$app/src/main/java/shop/WriteTopology.java"
  java -cp "$work/classes:$app/target/lib/*" shop.WriteTopology "$2"
}
describe "$app/src/main/java/shop/PurchaseCount.java" "$work/v1.txt"
describe "$app/versions/v2-filter/PurchaseCount.java" "$work/v2.txt"

"$tools/streams-describe" "$running" >"$work/describe.out" || fail "streams-describe cannot read the running topology"
grep -q 'KSTREAM-AGGREGATE-STATE-STORE-0000000001' "$work/describe.out" || fail "streams-describe shows no store"

status=0
"$tools/streams-diff" "$running" "$work/v1.txt" >"$work/v1.out" || status=$?
[ "$status" = 0 ] || fail "running -> version 1 exits $status, expected 0 (the same topology)"
grep -q '^findings: 0' "$work/v1.out" || fail "running -> version 1 has findings"

status=0
"$tools/streams-diff" --application-id "$group" "$running" "$work/v1.txt" >"$work/v1-id.out" || status=$?
[ "$status" = 0 ] || fail "running -> version 1 with --application-id exits $status, expected 0"

status=0
"$tools/streams-diff" "$running" "$work/v2.txt" >"$work/v2.out" || status=$?
[ "$status" = 1 ] || fail "running -> version 2 exits $status, expected 1 (reset-required)"
grep -q '^reset-required  store-renamed' "$work/v2.out" || fail "running -> version 2 reports no store-renamed"

if [ "$failures" -ne 0 ]; then
  cat "$running" "$work/v1.out" "$work/v2.out"
  echo "$failures checks of the running topology failed"
  exit 1
fi
echo "streams-diff compares candidate builds with the topology the running application pushed to the broker"
