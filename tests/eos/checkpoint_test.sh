#!/usr/bin/env bash
# exactly_once_v2 checkpoints, as Kafka Streams writes them: never while tasks run (a checkpoint is read and deleted
# when a task opens, and commits write none), written at a clean shutdown; so a restart after a clean shutdown
# restores only the changelog tail, and a restart after SIGKILL restores every store from the changelog's start.
# Usage: checkpoint_test.sh STREAMS_RUN EOS_CHECK REPO_ROOT   (bootstrap from $STREAMS_TEST_BOOTSTRAP)
set -euo pipefail
run=$1 check=$2 root=$3 records=5000
bootstrap=${STREAMS_TEST_BOOTSTRAP:?set by the kafka_broker fixture}
work=$(mktemp -d)
# shellcheck source=lib.sh
source "$root/tests/eos/lib.sh"
checkpoints() { find "$work/state-a" -name .checkpoint | wc -l; }

id=$$-$(date +%s%N)
prepare "$id"
"$check" produce "$bootstrap" "keys-$id" "text-$id" 0 "$records" || fail "loading the input"
start a a.err
wait_exact "$id" "$records"
[ "$(checkpoints)" -eq 0 ] || fail "checkpoints written while the tasks run (first start)"
kill -TERM "$pid_a"; wait "$pid_a" || fail "no clean shutdown"
[ "$(checkpoints)" -gt 0 ] || fail "no checkpoint after a clean shutdown"
echo "checkpoint_test: $(checkpoints) checkpoints after the clean shutdown"

start a a2.err
wait_logged a2.err 1 "assigned"
"$check" produce "$bootstrap" "keys-$id" "text-$id" "$records" "$((2 * records))" || fail "loading more input"
wait_exact "$id" "$((2 * records))"
[ "$(checkpoints)" -eq 0 ] || fail "the checkpoints were not deleted when the tasks opened: $(find "$work/state-a" -name .checkpoint)"
grep -q "offsets 0\.\." "$work/a2.err" && fail "a store was restored from the start after a clean shutdown"
kill -KILL "$pid_a"; wait "$pid_a" 2>/dev/null || true
[ "$(checkpoints)" -eq 0 ] || fail "a checkpoint survived the crash"

start a a3.err
"$check" produce "$bootstrap" "keys-$id" "text-$id" "$((2 * records))" "$((3 * records))" || fail "loading more input"
wait_exact "$id" "$((3 * records))"
grep -q "restoring store key-counts of task .* offsets 0\.\." "$work/a3.err" ||
  fail "after the crash the stores were not restored from the changelog's start"
kill -TERM "$pid_a"; wait "$pid_a" || fail "no clean shutdown after the crash restart"
echo "checkpoint_test: ok: none while running, written at a clean shutdown, deleted at open; after SIGKILL:" \
     "$(grep -c "restoring store" "$work/a3.err") stores restored from offset 0"
