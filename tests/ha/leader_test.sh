#!/usr/bin/env bash
# The group leader killed during a rebalance (issue 17): three instances of the counts topology (12 tasks) settle;
# a fourth joins and the generation's leader is SIGKILLed as soon as it has reported for the new generation (before or
# just after it plans). The survivors converge on a newer generation in which every task has exactly one owner.
# Usage: leader_test.sh STREAMS_RUN EOS_CHECK REPO_ROOT   (bootstrap from $STREAMS_TEST_BOOTSTRAP)
set -euo pipefail
# shellcheck source=lib.sh
source "$3/tests/ha/lib.sh" "$@"
three_instances
start d d.err
leader="" killed_generation=0
for _ in $(seq 1 600); do
  for n in a b c d; do
    g=$(grep -o "group generation [0-9]*: member .* (leader) reported" "$work/$n.err" | tail -1 | awk '{ print $3 + 0 }' || true)
    if [ "${g:-0}" -gt "$g1" ]; then leader=$n killed_generation=$g; fi
  done
  [ -n "$leader" ] && break
  sleep 0.05
done
[ -n "$leader" ] || fail "no leader reported for a generation after $g1 within 30 s"
eval "kill -KILL \"\$pid_$leader\""
survivors=()
for n in a b c d; do [ "$n" = "$leader" ] || survivors+=("$n"); done
# The plan of the killed leader's generation, if it got written, still gives it tasks: the survivors must settle on
# a later generation, once its session has timed out.
g=$(settle "$killed_generation" "${survivors[@]}")
final=$(owners "$g" "${survivors[@]}")
check_complete "$final"
echo "leader_test: leader $leader of generation $killed_generation killed; the survivors settled on generation $g" \
     "with every task owned once"
for n in "${survivors[@]}"; do eval "kill -TERM \"\$pid_$n\""; done
for n in "${survivors[@]}"; do eval "wait \"\$pid_$n\"" || fail "instance $n did not shut down cleanly"; done
