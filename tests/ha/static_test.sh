#!/usr/bin/env bash
# Static membership (group.instance.id) on the real broker: two instances of the exactly-once counts
# (tests/eos/counts.topology.json) with group.instance.id a and b and a session timeout of 30 s process input; one is
# SIGKILLed and started again on its state directory. Its consumer rejoins the group under its instance id within the
# session timeout, and the broker gives it the generation it left with no rebalance: the new process takes the tasks
# of that generation's plan (the last plan on the control topic, written before it started, checked against the
# group the broker describes), the other never sees a new generation, and after more input the outputs are exact. MODE
# static restarts the member that does not lead the group, static-leader the leader (which then also keeps the
# leader's part: no new plan for the generation); dynamic runs the same without group.instance.id: the group
# rebalances (the check can fail).
# Usage: static_test.sh STREAMS_RUN EOS_CHECK REPO_ROOT MODE   (bootstrap from $STREAMS_TEST_BOOTSTRAP)
set -euo pipefail
source "$3/tests/ha/lib.sh" "$@"
mode=$4
id=$$-$mode-$(date +%s%N)
prepare "$id"
props=("${props[@]/consumer.session.timeout.ms=6000/consumer.session.timeout.ms=30000}")
start_as() {  # start_as NAME LOG: start NAME, a static member named NAME unless MODE is dynamic
  if [ "$mode" != dynamic ]; then
    local saved=("${props[@]}")
    props+=(-X "group.instance.id=$1")
    start "$1" "$2"
    props=("${saved[@]}")
  else
    start "$1" "$2"
  fi
}
start_as a a.err
start_as b b.err
"$check" produce "$bootstrap" "keys-$id" "text-$id" 0 1000 || fail "loading the input"
wait_exact "$id" 1000
g1=$(settle 0 a b)
# The victim: the group's leader (MODE static-leader) or the other one.
if grep -q "group generation $g1: member .* (leader)" "$work/a.err"; then leader=a other=b; else leader=b other=a; fi
if [ "$mode" = static-leader ]; then v=$leader s=$other; else v=$other s=$leader; fi
tasks=$(owners "$g1" "$v" | awk '{ print $1 }' | tr '\n' ' ')
[ -n "$tasks" ] || fail "$v has no task in generation $g1"

kill -KILL "$(eval echo "\$pid_$v")"; wait "$(eval echo "\$pid_$v")" 2>/dev/null || true
start_as "$v" "${v}2.err"
if [ "$mode" != dynamic ]; then
  wait_logged "${v}2.err" 1 "plan: active"
  grep -q "rejoined generation $g1 with no rebalance" "$work/${v}2.err" ||
    fail "the restarted static member $v did not take its tasks of generation $g1 without a rebalance"
  again=$(owners "$g1" "${v}2" | awk '{ print $1 }' | tr '\n' ' ')
  [ "$again" = "$tasks" ] || fail "$v had $tasks before the restart and $again after"
  sleep 5  # a rebalance would show in the survivor's log by now
  [ "$(last_generation "$s")" -eq "$g1" ] ||
    fail "instance $s saw a rebalance: generation $(last_generation "$s") after $g1"
  restored=$(grep -o "restoration complete: [0-9]* records restored" "$work/${v}2.err" | awk '{ n += $3 } END { print n + 0 }')
  echo "static_test: $v ($([ "$v" = "$leader" ] && echo leader || echo not the leader)) restarted within the session" \
    "timeout, kept tasks ${tasks}of generation $g1 (restored $restored records: under exactly-once a crashed task" \
    "restores its stores); $s saw no rebalance"
else
  for _ in $(seq 1 600); do [ "$(last_generation "$s")" -gt "$g1" ] && break; sleep 0.1; done
  [ "$(last_generation "$s")" -gt "$g1" ] || fail "without group.instance.id the restart caused no rebalance"
  echo "static_test: without group.instance.id the restart rebalanced the group (generation $g1 -> $(last_generation "$s"))"
fi
"$check" produce "$bootstrap" "keys-$id" "text-$id" 1000 2000 || fail "loading more input"
wait_exact "$id" 2000
for p in "$pid_a" "$pid_b"; do kill -TERM "$p"; done
for p in "$pid_a" "$pid_b"; do wait "$p" || fail "an instance did not shut down cleanly"; done
