#!/usr/bin/env bash
# Warm-up replicas (issue 17, KIP-441): instance a runs the exactly-once counts (tests/eos/counts.topology.json) alone
# until its changelogs hold 3 records per input; b joins with acceptable.recovery.lag=100: b's first plan gives it
# warm-up replicas (shown as standbys) of stateful tasks and no stateful active task (0_N, 2_N); after they catch up,
# the probing rebalance (probing.rebalance.interval.ms, at least 60 s) moves stateful active tasks to b; the outputs
# are exact.
# Usage: warmup_test.sh STREAMS_RUN EOS_CHECK REPO_ROOT   (bootstrap from $STREAMS_TEST_BOOTSTRAP)
set -euo pipefail
# shellcheck source=lib.sh
source "$3/tests/ha/lib.sh" "$@"
records=6000
id=$$-$(date +%s%N)
prepare "$id"
props+=(-X acceptable.recovery.lag=100 -X probing.rebalance.interval.ms=60000 -X max.warmup.replicas=8)
start a a.err
wait_logged a.err 1 "plan: active"
"$check" produce "$bootstrap" "keys-$id" "text-$id" 0 "$records" || fail "loading the input"
wait_exact "$id" "$records"
start b b.err
wait_logged b.err 1 "plan: active"
first=$(grep -m1 "plan: active" "$work/b.err")
echo "warmup_test: b's first plan: ${first#*] }"
echo "$first" | grep -q ", standby .*[02]_" || fail "b's first plan has no warm-up replica: $first"
! echo "$first" | sed 's/, standby.*//' | grep -q " [02]_" || fail "b's first plan moves a stateful active task: $first"
for _ in $(seq 1 1500); do
  grep "plan: active" "$work/b.err" | sed 's/, standby.*//' | grep -q " [02]_" && break
  sleep 0.1
done
moved=$(grep "plan: active" "$work/b.err" | sed 's/, standby.*//' | grep " [02]_" | head -1) ||
  fail "no stateful active task moved to b within 150 s"
grep -q "warm-up replicas pending: probing rebalance" "$work"/?.err || fail "no probing rebalance logged"
echo "warmup_test: b's plan after the probing rebalance: ${moved#*] }"
"$check" produce "$bootstrap" "keys-$id" "text-$id" "$records" "$((2 * records))" || fail "loading more input"
wait_exact "$id" "$((2 * records))"
for p in "$pid_a" "$pid_b"; do kill -TERM "$p"; done
for p in "$pid_a" "$pid_b"; do wait "$p" || fail "an instance did not shut down cleanly"; done
