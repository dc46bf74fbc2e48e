#!/usr/bin/env bash
# Fail-over of a stateful count between two streams-run instances on the real broker (bench/failover/failover.sh
# with --check, one round, a small input): the owner of task 0_0 is SIGKILLed once the group has committed the
# input; the survivor must take the moved tasks over and every final count on the output must be exact.
# STANDBYS is num.standby.replicas: with 0 the survivor restores the moved tasks' changelogs in full; with 1 or more
# the standby was caught up and restores under 1% of them (the target of high availability).
# Usage: failover_bench_test.sh STREAMS_RUN FAILOVER_TOOL REPO_ROOT STANDBYS   (bootstrap from $STREAMS_TEST_BOOTSTRAP)
set -euo pipefail
run=$1 tool=$2 root=$3 standbys=$4
bootstrap=${STREAMS_TEST_BOOTSTRAP:?set by the kafka_broker fixture}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "failover_bench_test: $*" >&2; exit 1; }

bash "$root/bench/failover/failover.sh" --bootstrap "$bootstrap" --streams-run "$run" --tool "$tool" \
  --rows "engine:$standbys" --rounds 1 --records 20000 --keys 2000 --partitions 8 --session-timeout-ms 6000 \
  --check --results "$work/results" || fail "the fail-over run failed (its output is above)"
read -r row task_s _ restored moved changelog rebalance_s _ <"$work/results"
[ "$task_s" != unsupported ] || fail "streams-run refuses num.standby.replicas=$standbys"
[ "$row" = "engine:$standbys" ] && [ "${moved:-0}" -gt 0 ] || fail "no result: $(cat "$work/results")"
if [ "$standbys" -eq 0 ]; then
  [ "$restored" -ge "$moved" ] ||
    fail "without a standby the survivor restored $restored records, less than the moved tasks' changelogs ($moved)"
else
  [ $((restored * 100)) -lt "$moved" ] ||
    fail "with $standbys standby replicas the survivor restored $restored records, not under 1% of the moved tasks' changelogs ($moved)"
fi
echo "failover_test: ok: num.standby.replicas=$standbys: task 0_0 back after $task_s s, $restored records restored" \
     "(the moved tasks' changelogs: $moved of $changelog; the survivor's rebalance began after $rebalance_s s), final counts exact"
