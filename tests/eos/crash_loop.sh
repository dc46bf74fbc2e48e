#!/usr/bin/env bash
# exactly_once_v2 under crashes, on the real broker. Each run: fresh topics and application; the input (a count per
# key, and a word count through a repartition topic) is loaded; two streams-run instances start; one is SIGKILLed
# at a random moment while processing and restarted; once the read_committed outputs are complete both stop. A
# read_committed verifier then requires every key's count updates to be exactly 1..N (no update lost, none twice),
# and a read_uncommitted reader of the same topics counts the updates the crash left in aborted transactions (the
# duplicates at-least-once would have delivered: they show that the check can fail). Per run it prints those records,
# the transactions the engine aborted itself (its log lines; docs/runtime.md says what that count leaves out) and the
# records restored.
# Usage: crash_loop.sh STREAMS_RUN EOS_CHECK REPO_ROOT [RUNS [RECORDS]]   (bootstrap from $STREAMS_TEST_BOOTSTRAP)
set -euo pipefail
run=$1 check=$2 root=$3 runs=${4:-2} records=${5:-20000}
bootstrap=${STREAMS_TEST_BOOTSTRAP:?set by the kafka_broker fixture}
work=$(mktemp -d)
# shellcheck source=lib.sh
source "$root/tests/eos/lib.sh"

seen_uncommitted=0
total_restored=0
total_engine_aborts=0
for r in $(seq 1 "$runs"); do
  id=$$-$r-$(date +%s%N)
  prepare "$id"
  "$check" produce "$bootstrap" "keys-$id" "text-$id" 0 "$records" || fail "loading the input"
  rm -f "$work"/*.err
  start a a.err
  start b b.err
  wait_logged a.err 1 assigned
  wait_logged b.err 1 assigned
  # A random moment while the instances process: up to 3 s after both have tasks.
  sleep "$((RANDOM % 3)).$((RANDOM % 10))"
  kill -KILL "$pid_a"
  wait "$pid_a" 2>/dev/null || true
  start a a2.err
  wait_exact "$id" "$records"
  kill -TERM "$pid_a" "$pid_b"
  wait "$pid_a" || fail "run $r: the restarted instance did not shut down cleanly"
  wait "$pid_b" || fail "run $r: instance b did not shut down cleanly"
  # Once stopped the committed outputs must still be exact (nothing more was written after completion).
  "$check" verify "$bootstrap" "key-counts-$id" read_committed keys "$records" >"$work/keys.txt" || fail "run $r: $(cat "$work/keys.txt")"
  "$check" verify "$bootstrap" "word-counts-$id" read_committed words "$records" >"$work/words.txt" || fail "run $r: $(cat "$work/words.txt")"
  "$check" verify "$bootstrap" "key-counts-$id" read_uncommitted keys "$records" >"$work/keys-u.txt" || true
  "$check" verify "$bootstrap" "word-counts-$id" read_uncommitted words "$records" >"$work/words-u.txt" || true
  committed=$(( $(sed 's/.*records=\([0-9]*\) .*/\1/' "$work/keys.txt") + $(sed 's/.*records=\([0-9]*\) .*/\1/' "$work/words.txt") ))
  uncommitted=$(( $(sed 's/^records=\([0-9]*\) .*/\1/' "$work/keys-u.txt") + $(sed 's/^records=\([0-9]*\) .*/\1/' "$work/words-u.txt") ))
  aborted=$((uncommitted - committed))
  [ "$aborted" -gt 0 ] && seen_uncommitted=$((seen_uncommitted + 1))
  [ -n "${EOS_KEEP_LOGS:-}" ] && cp "$work"/*.err "$EOS_KEEP_LOGS/" 
  restored=$(cat "$work"/*.err | sed -n 's/.*restored \([0-9]*\) records into store.*/\1/p' | awk '{s += $1} END {print s + 0}')
  total_restored=$((total_restored + restored))
  engine_aborts=$(cat "$work"/*.err | grep -c -e "the transaction is aborted" -e "assignment lost: aborting the transaction" \
                  -e "the tasks migrated to another member" || true)
  total_engine_aborts=$((total_engine_aborts + engine_aborts))
  echo "crash_loop: run $r: exact (read_committed: $committed count updates, no duplicate); read_uncommitted sees" \
       "$aborted more records of aborted transactions ($(sed 's/.*duplicates=\([0-9]*\).*/\1/' "$work/keys-u.txt") +" \
       "$(sed 's/.*duplicates=\([0-9]*\).*/\1/' "$work/words-u.txt") duplicates); $engine_aborts transactions aborted by the engine; $restored records restored"
done
echo "crash_loop: ok: $runs runs of $records input records, all exact; aborted duplicates visible to read_uncommitted in" \
     "$seen_uncommitted runs; $total_engine_aborts transactions aborted by the engine and $total_restored records restored in all"
