#!/usr/bin/env bash
# Sticky assignment (issue 17): three instances of the counts topology (tests/eos/counts.topology.json, 12 tasks), a
# fourth joins: only the tasks the newcomer needs for balance move, none between the three; then one of the four
# leaves cleanly: the three survivors keep every task they had and share the leaver's.
# Usage: stickiness_test.sh STREAMS_RUN EOS_CHECK REPO_ROOT   (bootstrap from $STREAMS_TEST_BOOTSTRAP)
set -euo pipefail
# shellcheck source=lib.sh
source "$3/tests/ha/lib.sh" "$@"
three_instances
before=$(owners "$g1" a b c)
check_complete "$before"

start d d.err
wait_logged d.err 1 "plan: active"
g2=$(settle "$g1" a b c d)
after=$(owners "$g2" a b c d)
check_complete "$after"
moved=$(join <(echo "$before") <(echo "$after") | awk '$2 != $3' | wc -l)
to_d=$(echo "$after" | awk '$2 == "d"' | wc -l)
echo "stickiness_test: generation $g1 -> $g2 (a fourth instance joined): $moved of 12 tasks moved, $to_d to the newcomer"
[ "$to_d" -ge 1 ] && [ "$to_d" -le 3 ] || fail "the newcomer got $to_d tasks (1 to 3 expected)"
[ "$moved" -eq "$to_d" ] || fail "$moved tasks moved but the newcomer got $to_d: tasks moved between the others"

kill -TERM "$pid_a"; wait "$pid_a" || fail "instance a did not shut down cleanly"
g3=$(settle "$g2" b c d)
final=$(owners "$g3" b c d)
check_complete "$final"
lost=$(join <(echo "$after" | awk '$2 != "a"') <(echo "$final") | awk '$2 != $3' | wc -l)
echo "stickiness_test: generation $g2 -> $g3 (instance a left cleanly): $lost tasks of the survivors moved"
[ "$lost" -eq 0 ] || fail "the survivors lost $lost tasks when a left"
for p in "$pid_b" "$pid_c" "$pid_d"; do kill -TERM "$p"; done
for p in "$pid_b" "$pid_c" "$pid_d"; do wait "$p" || fail "an instance did not shut down cleanly"; done
