#!/usr/bin/env bash
# exactly_once_v2 zombie fencing on the real broker: an instance is SIGSTOPped in the middle of processing for longer
# than session.timeout.ms (6 s) and transaction.timeout.ms (10 s); its tasks move to the other instance; then it is
# SIGCONTinued with records still buffered and a transaction of its own it believes open. Nothing it writes
# afterwards may reach read_committed readers (every count update exactly once), and it must rejoin the group:
# it gets tasks again, processes a second load of input, and shuts down cleanly.
# Usage: zombie_test.sh STREAMS_RUN EOS_CHECK REPO_ROOT   (bootstrap from $STREAMS_TEST_BOOTSTRAP)
set -euo pipefail
run=$1 check=$2 root=$3 records=${4:-30000}
bootstrap=${STREAMS_TEST_BOOTSTRAP:?set by the kafka_broker fixture}
work=$(mktemp -d)
# shellcheck source=lib.sh
source "$root/tests/eos/lib.sh"

id=$$-$(date +%s%N)
prepare "$id"
"$check" produce "$bootstrap" "keys-$id" "text-$id" 0 "$records" || fail "loading the input"
start a a.err
wait_logged a.err 1 assigned
start b b.err
wait_logged b.err 1 assigned
wait_logged a.err 2 assigned  # the rebalance for b's join: a holds half of the tasks
sleep 0.5
kill -STOP "$pid_a"
echo "zombie_test: instance a stopped"
# b takes every task once a's session has expired, and completes the first load alone.
wait_exact "$id" "$records"
sleep 6  # past transaction.timeout.ms (10 s) since the stop: the broker has aborted a's open transaction
noticed="fenced\|migrated\|assignment lost\|revoked [0-9]* tasks"
before=$(grep -c "$noticed" "$work/a.err" || true)
kill -CONT "$pid_a"
echo "zombie_test: instance a continued"
# a notices it lost its tasks and rejoins: it gets tasks again. Stopped with a transaction holding records, it is
# fenced (its producer, or its generation); stopped before it processed any (still restoring the tails of its new
# tasks: the assignment protocol's plan comes a little later than range's assignment did), it has nothing to commit
# and just gives its tasks up.
wait_logged a.err "$((before + 1))" "$noticed"
wait_logged a.err 3 assigned
# A second load: both instances process it; the counts go on exactly.
"$check" produce "$bootstrap" "keys-$id" "text-$id" "$records" "$((2 * records))" || fail "loading the second input"
wait_exact "$id" "$((2 * records))"
kill -TERM "$pid_a" "$pid_b"
wait "$pid_a" || fail "the fenced instance did not shut down cleanly"
wait "$pid_b" || fail "instance b did not shut down cleanly"
"$check" verify "$bootstrap" "key-counts-$id" read_committed keys "$((2 * records))" >"$work/keys.txt" || fail "$(cat "$work/keys.txt")"
"$check" verify "$bootstrap" "word-counts-$id" read_committed words "$((2 * records))" >"$work/words.txt" || fail "$(cat "$work/words.txt")"
"$check" verify "$bootstrap" "key-counts-$id" read_uncommitted keys "$((2 * records))" >"$work/keys-u.txt" || true
echo "zombie_test: ok: read_committed exact after the zombie's return ($(cat "$work/keys.txt")); read_uncommitted:" \
     "$(cat "$work/keys-u.txt"); a logged: $(grep "$noticed" "$work/a.err" | tail -n 1 | sed 's/^[^]]*] //')"
