#!/usr/bin/env bash
# Rack-aware standbys (issue 17): four instances of the counts topology (12 tasks, 8 of them stateful) tagged
# client.tag.zone a, a, a, b with rack.aware.assignment.tags=zone and num.standby.replicas=1: once they have settled,
# every stateful task has one standby, on an instance of the other zone from its active's (the tasks active in zone a
# all have their standby on d). With zones a, a, b, b a placement that ignores the tags often happens to cross zones;
# with a, a, a, b, spreading the standbys by load puts some in their active's zone.
# Usage: rack_test.sh STREAMS_RUN EOS_CHECK REPO_ROOT [TAGS [ZONES]]   (bootstrap from $STREAMS_TEST_BOOTSTRAP; TAGS:
# the rack.aware.assignment.tags value, `zone` by default; `none` leaves it out and shows the check can fail; ZONES:
# the zones of a, b, c and d, `aaab` by default)
set -euo pipefail
# shellcheck source=lib.sh
source "$3/tests/ha/lib.sh" "$@"
tags=${4:-zone}
[ "$tags" != none ] || tags=""
id=$$-$(date +%s%N)
topology "$id"
"$check" create "$bootstrap" 4 "keys-$id" "text-$id" "key-counts-$id" "word-counts-$id" || fail "creating topics"
common=(-X "bootstrap.servers=$bootstrap" -X "application.id=$app" -X consumer.session.timeout.ms=6000
        -X num.standby.replicas=1)
[ -z "$tags" ] || common+=(-X "rack.aware.assignment.tags=$tags")
# With zones a, a, b, b also rack-aware placement of the actives: the leader reads the partitions' racks (the test
# broker's broker.rack); on one broker every placement costs the same, so the standbys' check stands as it is.
[ "${5:-aaab}" != aabb ] || common+=(-X rack.aware.assignment.strategy=min_traffic -X client.rack=rack-1)
common+=(-X probing.rebalance.interval.ms=60000 -X max.warmup.replicas=8)
# final_generation: waits (200 s) for a plan over the four instances without warm-ups; sets final (its generation).
final_generation() {
  for _ in $(seq 1 2000); do
    final=$(cat "$work"/?.err | grep -o "leader of generation [0-9]*: planned 12 tasks over 4 members$" |
              awk '{ print $4 + 0 }' | sort -n | tail -1 || true)
    [ -z "$final" ] || return 0
    sleep 0.1
  done
  fail "no plan over the four instances without warm-ups within 200 s"
}
zones=${5:-aaab}
[[ $zones =~ ^[ab]{4}$ ]] || fail "ZONES: four zone letters (a or b), not \"$zones\""
declare -A zone=([a]=${zones:0:1} [b]=${zones:1:1} [c]=${zones:2:1} [d]=${zones:3:1})
for n in a b c d; do
  props=("${common[@]}" -X "client.tag.zone=${zone[$n]}")
  start "$n" "$n.err"
  [ "$n" != a ] || wait_logged a.err 1 "plan: active"  # the others join a running instance: warm-ups first
done
# A fresh instance has no lags for the tasks it has never run, so the first plans over the four instances keep the
# stateful tasks where they ran and give the others warm-up replicas (shown as standbys); the probing rebalance
# (probing.rebalance.interval.ms, at least 60 s; max.warmup.replicas covers the 8 stateful tasks) then plans with every instance caught up: the standbys of that plan.
final_generation
g=$(settle "$((final - 1))" a b c d)
active=$(owners "$g" a b c d)
check_complete "$active"
standby=$(standbys "$g" a b c d)
# "task active-instance standby-instance" for every standby.
pairs=$(join <(echo "$active") <(echo "$standby"))
[ "$(echo "$standby" | grep -c .)" -eq 8 ] && [ "$(echo "$pairs" | awk '{ print $1 }' | sort -u | grep -c '^[02]_')" -eq 8 ] ||
  fail "generation $g: not one standby for each of the 8 stateful tasks: $(echo "$standby" | tr '\n' ' ')"
same=$(echo "$pairs" | while read -r task act sby; do
         [ "${zone[$act]}" != "${zone[$sby]}" ] || echo "$task (active on $act, standby on $sby, zone ${zone[$act]})"
       done)
echo "rack_test: generation $g: standbys $(echo "$pairs" | awk '{ printf "%s:%s->%s ", $1, $2, $3 }')"
if [ "${5:-aaab}" = aabb ]; then
  grep -h "rack.aware.assignment.strategy=min_traffic: 1 brokers in racks rack-1$" "$work"/?.err >/dev/null ||
    fail "the leader did not read the partitions' racks (rack-1) for min_traffic"
fi
[ -z "$same" ] || fail "standbys in their active's zone: $(echo "$same" | tr '\n' ';')"
for n in a b c d; do eval "kill -TERM \"\$pid_$n\""; done
for n in a b c d; do eval "wait \"\$pid_$n\"" || fail "instance $n did not shut down cleanly"; done
