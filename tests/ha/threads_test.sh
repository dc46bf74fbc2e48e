#!/usr/bin/env bash
# More stream threads than partitions: two instances of the counts topology (tests/eos/counts.topology.json) with
# three stream threads each on topics of 2 partitions (6 tasks). `range` gives partitions of the source topics to
# two members only, so the other four are seen by the leader through the group as the broker describes it; they
# report 2 s late (__test.delay.report.ms__, a test-only delay), so a leader that planned once `range`'s partitions
# were covered would leave them out. Once settled, the plan gives each of the six threads one task, and the outputs
# are exact.
# Usage: threads_test.sh STREAMS_RUN EOS_CHECK REPO_ROOT   (bootstrap from $STREAMS_TEST_BOOTSTRAP)
set -euo pipefail
source "$3/tests/ha/lib.sh" "$@"
id=$$-$(date +%s%N)
topology "$id"
"$check" create "$bootstrap" 2 "keys-$id" "text-$id" "key-counts-$id" "word-counts-$id" || fail "creating topics"
props=(-X "bootstrap.servers=$bootstrap" -X "application.id=$app" -X consumer.session.timeout.ms=6000
       -X num.stream.threads=3 -X __test.delay.report.ms__=2000)
start a a.err
start b b.err
g=$(settle 0 a b)
plans=$(cat "$work/a.err" "$work/b.err" | grep -o "generation $g plan: active [^,]*" | sed 's/.*active //')
threads=$(echo "$plans" | grep -c . || true)
owned=$(echo "$plans" | tr ' ' '\n' | grep -v '^(none)$' | grep -c . || true)
busy=$(echo "$plans" | grep -vc '^(none)$' || true)
echo "threads_test: generation $g: $threads threads planned, $busy of them with tasks, $owned tasks"
[ "$threads" -eq 6 ] || fail "generation $g planned $threads threads, not 6"
[ "$owned" -eq 6 ] && [ "$busy" -eq 6 ] || fail "generation $g: not one task for each of the 6 threads: $(echo "$plans" | tr '\n' ';')"
"$check" produce "$bootstrap" "keys-$id" "text-$id" 0 1000 || fail "loading the input"
wait_exact "$id" 1000
for p in "$pid_a" "$pid_b"; do kill -TERM "$p"; done
for p in "$pid_a" "$pid_b"; do wait "$p" || fail "an instance did not shut down cleanly"; done
