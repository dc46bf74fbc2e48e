#!/usr/bin/env bash
# A result the broker refuses for good under exactly_once_v2: one count result larger than its output topic's
# max.message.bytes (producer.batch.num.messages=1, so that no other record shares its batch). The transaction it
# is in must be aborted (none of it visible to read_committed) and the thread's tasks rewound and rebuilt; then
#  - the default production handler (fail): the instance fails with the production error's context, and nothing
#    past the refused record is committed;
#  - production.exception.handler=continue: the record is dropped and counted, every other update is committed
#    exactly once, and the thread does not abort and rewind over and over.
# The continue case also sets a dead-letter topic (errors.dead.letter.queue.topic.name): read_committed must see its
# record exactly once although the refused record was met in an aborted transaction and replayed (and the
# transaction after the refusal may be aborted in turn).
# Usage: production_error_test.sh STREAMS_RUN EOS_CHECK REPO_ROOT DUMP_TOPIC   (bootstrap from $STREAMS_TEST_BOOTSTRAP)
set -euo pipefail
run=$1 check=$2 root=$3 dump=$4 records=4000
bootstrap=${STREAMS_TEST_BOOTSTRAP:?set by the kafka_broker fixture}
work=$(mktemp -d)
# shellcheck source=lib.sh
source "$root/tests/eos/lib.sh"

# setup ID: the topics of prepare, key-counts-ID limited to 100,000-byte records; the input with one 200,000-byte key
# in the middle.
setup() {
  local id=$1
  topology "$id"
  "$check" create "$bootstrap" 4 "keys-$id" "text-$id" "word-counts-$id" || fail "creating topics"
  "$check" limit "$bootstrap" 100000 "key-counts-$id" || fail "creating the limited output topic"
  "$check" produce "$bootstrap" "keys-$id" "text-$id" 0 "$((records / 2))" || fail "loading the input"
  "$check" poison "$bootstrap" "keys-$id" 200000 || fail "loading the oversized key"
  "$check" produce "$bootstrap" "keys-$id" "text-$id" "$((records / 2))" "$records" || fail "loading the input"
  # transaction.timeout.ms (which bounds librdkafka's message.timeout.ms) 60 s instead of 10: on a loaded machine
  # records of one-record batches can wait past 10 s, and each such timeout is one more aborted transaction.
  props=(-X "bootstrap.servers=$bootstrap" -X "application.id=$app" -X processing.guarantee=exactly_once_v2
         -X consumer.session.timeout.ms=6000 -X producer.batch.num.messages=1 -X producer.transaction.timeout.ms=60000)
}
aborts() { grep -c "the transaction is aborted" "$work/$1" || true; }

# continue: dropped once, counted, the rest exact; a bounded number of aborts (no abort-rewind loop).
id=$$-c-$(date +%s%N)
setup "$id"
props+=(-X production.exception.handler=continue -X "errors.dead.letter.queue.topic.name=dlq-$id")
"$check" create "$bootstrap" 1 "dlq-$id" || fail "creating the dead-letter topic"
"$run" "$work/topology.json" "${props[@]}" -X "state.dir=$work/state-c" --metrics-json "$work/metrics.json" \
  >/dev/null 2>>"$work/c.err" &
pids+=($!); pid_c=$!
deadline=$((SECONDS + 120))
: >"$work/words.txt"
# Both outputs: the word counts, behind a repartition topic, may complete after the key counts.
until "$check" verify "$bootstrap" "key-counts-$id" read_committed keys "$records" >"$work/keys.txt" 2>&1 &&
      "$check" verify "$bootstrap" "word-counts-$id" read_committed words "$records" >"$work/words.txt" 2>&1; do
  grep -q "duplicates=[1-9]" "$work/keys.txt" "$work/words.txt" &&
    fail "continue: duplicates in read_committed: $(cat "$work/keys.txt" "$work/words.txt")"
  kill -0 "$pid_c" 2>/dev/null || fail "continue: the instance ended"
  [ "$SECONDS" -lt "$deadline" ] ||
    fail "continue: output not complete within 120 s ($(aborts c.err) transactions aborted): $(cat "$work/keys.txt" "$work/words.txt")"
  sleep 2
done
[ "$(aborts c.err)" -ge 1 ] || fail "continue: no transaction was aborted"
[ "$(aborts c.err)" -le 2 ] || fail "continue: $(aborts c.err) transactions aborted for one refused record"
# awk reads the whole log (sed | grep -q under pipefail fails when grep exits before sed has written it all).
awk '/reviving .* partitions from their committed offsets/ { revived = 1 } revived && /restoring store key-counts/ { found = 1 }
     END { exit !found }' "$work/c.err" ||
  fail "continue: the tasks were not rewound and their stores not rebuilt"
[ "$(grep -c "dropped the record" "$work/c.err" || true)" -eq 1 ] || fail "continue: the refused record not dropped once"
grep -q "MSG_SIZE_TOO_LARGE" "$work/c.err" || fail "continue: the production error not logged"
kill -TERM "$pid_c"; wait "$pid_c" || fail "continue: no clean shutdown"
dropped=$(python3 -c 'import json, sys
print(int(sum(m["value"] for m in json.load(open(sys.argv[1]))["metrics"]
              if (m["group"], m["name"]) == ("stream-task-metrics", "dropped-records-total"))))' "$work/metrics.json")
[ "$dropped" -eq 1 ] || fail "continue: dropped-records-total $dropped (expected 1)"
# dump_topic reads read_committed (librdkafka's default isolation level).
"$dump" "$bootstrap" "dlq-$id" >"$work/dlq.jsonl" 2>"$work/dlq.err" || fail "continue: reading the dead-letter topic: $(cat "$work/dlq.err")"
dead_letters=$(grep -c . "$work/dlq.jsonl" || true)
# Exactly one: the dead-letter record is part of the output of the transaction that skips the refused result, and is
# written again by every replay of an aborted one (librdkafka 2.0.2 may fail the transaction after the refused record
# with OUT_OF_ORDER_SEQUENCE_NUMBER). Reading the topic at all checks the dumper on a transactional topic (markers and
# aborted records, no record at the high watermark).
[ "$dead_letters" -eq 1 ] || fail "continue: $dead_letters dead-letter records in read_committed (expected 1)"
echo "production_error_test: continue: exact ($(cat "$work/keys.txt")), $(aborts c.err) transaction(s) aborted, 1 dropped, $dead_letters dead-letter record(s)"

# fail (the default): the instance fails with the error's context; nothing past the record committed, no duplicate.
id=$$-f-$(date +%s%N)
setup "$id"
start f f.err
deadline=$((SECONDS + 120))
while kill -0 "$pid_f" 2>/dev/null; do
  [ "$SECONDS" -lt "$deadline" ] || fail "fail: the instance still runs after 120 s ($(aborts f.err) transactions aborted)"
  sleep 1
done
status=0; wait "$pid_f" || status=$?
[ "$status" -eq 1 ] || fail "fail: exit status $status (expected 1)"
grep -q "production error.*key-counts-$id.*MSG_SIZE_TOO_LARGE" "$work/f.err" || fail "fail: no production error with its context"
[ "$(aborts f.err)" -ge 1 ] || fail "fail: the transaction was not aborted"
"$check" verify "$bootstrap" "key-counts-$id" read_committed keys "$records" >"$work/keys.txt" 2>&1 &&
  fail "fail: the output is complete, past the refused record"
grep -q " duplicates=0 gaps=0 " "$work/keys.txt" || fail "fail: read_committed output: $(cat "$work/keys.txt")"
echo "production_error_test: fail: exit status $status, committed output a prefix ($(cat "$work/keys.txt"))"
echo "production_error_test: ok"
