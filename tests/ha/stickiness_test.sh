#!/usr/bin/env bash
# Sticky assignment (issue 17) as Kafka's HighAvailabilityTaskAssignor makes it: a stateful task stays on a client
# that is caught up on it, and with acceptable.recovery.lag=0 only its owner is (the others' lag is their distance
# to the changelog's end). Three instances of the counts topology (tests/eos/counts.topology.json: 8 stateful tasks,
# sub-topologies 0 and 2, and 4 stateless ones, sub-topology 1) process input, then a fourth joins: no stateful task
# moves (the newcomer gets warm-up replicas of the tasks it is meant to take, and takes them after a probing
# rebalance); then one of the four leaves cleanly: the survivors keep every stateful task they had, but for a task
# whose warm-up replica has caught up in the meantime, which may go to the warm-up's member (caught up as well).
# Stateless tasks are balanced by load at every rebalance, as Kafka does, so they may move. (With every client caught up, e.g.
# empty changelogs or a recovery lag above what the changelogs hold, Kafka's assignor deals the tasks round robin
# and they may move between the others too: the assignor's port, compared with Kafka's own in tests/assignment,
# does the same.)
# Usage: stickiness_test.sh STREAMS_RUN EOS_CHECK REPO_ROOT   (bootstrap from $STREAMS_TEST_BOOTSTRAP)
set -euo pipefail
# shellcheck source=lib.sh
source "$3/tests/ha/lib.sh" "$@"
three_instances -X acceptable.recovery.lag=0
"$check" produce "$bootstrap" "keys-$id" "text-$id" 0 2000 || fail "loading the input"
wait_exact "$id" 2000
before=$(owners "$g1" a b c)
check_complete "$before"
stateful() { awk '$1 !~ /^1_/'; }

start d d.err
wait_logged d.err 1 "plan: active"
g2=$(settle "$g1" a b c d)
after=$(owners "$g2" a b c d)
check_complete "$after"
moved=$(join <(echo "$before" | stateful) <(echo "$after" | stateful) | awk '$2 != $3' | wc -l)
warmups=$(grep -o "generation $g2 plan: .*" "$work/d.err" | tail -1 | sed 's/.*standby //' | tr ' ' '\n' | grep -c '^[02]_' || true)
echo "stickiness_test: generation $g1 -> $g2 (a fourth instance joined): $moved of 8 stateful tasks moved, the newcomer has $warmups warm-up replicas"
[ "$moved" -eq 0 ] || fail "$moved stateful tasks moved away from their caught-up owners"
[ "$warmups" -ge 1 ] || fail "the newcomer got no warm-up replica"

kill -TERM "$pid_a"; wait "$pid_a" || fail "instance a did not shut down cleanly"
g3=$(settle "$g2" b c d)
final=$(owners "$g3" b c d)
check_complete "$final"
# A survivor's task may go only to the member that held a replica of it (a warm-up that has caught up since: that
# member is as caught up as the owner, and Kafka's assignor then places the task as its balance dictates).
replicas=$(standbys "$g2" b c d | awk '{ print $1 "@" $2 }')
moves=$(join <(echo "$after" | stateful | awk '$2 != "a"') <(echo "$final" | stateful) | awk '$2 != $3 { print $1 "@" $3 }')
to_replica=$(comm -12 <(echo "$moves" | grep . | sort) <(echo "$replicas" | grep . | sort) | wc -l)
lost=$(comm -23 <(echo "$moves" | grep . | sort) <(echo "$replicas" | grep . | sort) | wc -l)
echo "stickiness_test: generation $g2 -> $g3 (instance a left cleanly): $lost stateful tasks of the survivors moved" \
  "to a member without their state ($to_replica to the member holding their warm-up)"
[ "$lost" -eq 0 ] || fail "the survivors lost $lost stateful tasks to members without their state when a left"
for p in "$pid_b" "$pid_c" "$pid_d"; do kill -TERM "$p"; done
for p in "$pid_b" "$pid_c" "$pid_d"; do wait "$p" || fail "an instance did not shut down cleanly"; done
