#!/usr/bin/env bash
# Fail-over with a standby (issue 17): two instances of the exactly-once counts (tests/eos/counts.topology.json) with
# num.standby.replicas=1; once the outputs are exact and the standbys are caught up, the instance `a` is SIGKILLed.
# The survivor takes its tasks over and restores less than 1% of the changelogs (their records: one per count update,
# 3 per input record), and after more input the outputs are exact. The same run with num.standby.replicas=0 must
# restore the killed instance's stores in full (more than 5% of the changelogs): the check can fail.
# Usage: failover_test.sh STREAMS_RUN EOS_CHECK REPO_ROOT   (bootstrap from $STREAMS_TEST_BOOTSTRAP)
set -euo pipefail
run=$1 check=$2 root=$3 records=6000
bootstrap=${STREAMS_TEST_BOOTSTRAP:?set by the kafka_broker fixture}
work=$(mktemp -d)
# shellcheck source=../eos/lib.sh
source "$root/tests/eos/lib.sh"

# restored_since LOG LINE: the records restored after line LINE of LOG ("restoration complete: N records restored").
restored_since() {
  tail -n +"$(($2 + 1))" "$work/$1" | awk '/restoration complete:/ { for (i = 1; i < NF; i++) if ($i == "complete:") n += $(i + 1) }
                                        END { print n + 0 }'
}

# failover STANDBYS: prints the records the survivor restored after the kill.
failover() {
  local standbys=$1 id
  id=$$-$standbys-$(date +%s%N)
  prepare "$id"
  props+=(-X "num.standby.replicas=$standbys")
  start a "a$standbys.err"
  start b "b$standbys.err"
  wait_logged "a$standbys.err" 1 "plan: active"
  wait_logged "b$standbys.err" 1 "plan: active"
  "$check" produce "$bootstrap" "keys-$id" "text-$id" 0 "$records" || fail "loading the input"
  wait_exact "$id" "$records"
  grep -q "plan: active [^,]*[02]_" "$work/a$standbys.err" || fail "instance a has no stateful task to fail over"
  if [ "$standbys" -gt 0 ]; then
    wait_logged "b$standbys.err" 1 "standby tasks caught up"
    grep -q "standby [02]_" "$work/b$standbys.err" || fail "instance b keeps no standby task"
  fi
  local mark
  mark=$(wc -l <"$work/b$standbys.err")
  kill -KILL "$pid_a"; wait "$pid_a" 2>/dev/null || true
  "$check" produce "$bootstrap" "keys-$id" "text-$id" "$records" "$((2 * records))" || fail "loading more input"
  wait_exact "$id" "$((2 * records))"
  kill -TERM "$pid_b"; wait "$pid_b" || fail "instance b did not shut down cleanly"
  restored_since "b$standbys.err" "$mark"
}

changelog=$((3 * records))  # the changelog records when a is killed: a key update and two word updates per record
with=$(failover 1)
without=$(failover 0)
echo "failover_test: the survivor restored $with records with a standby, $without without (changelogs: $changelog records)"
[ $((with * 100)) -lt "$changelog" ] || fail "with a standby the survivor restored $with records, 1% or more of $changelog"
[ $((without * 20)) -gt "$changelog" ] || fail "without standbys the survivor restored only $without records (of $changelog)"
