#!/usr/bin/env bash
# Dead-letter records of deserialization and processing errors under exactly_once_v2, on the real broker: they are
# the task's output, committed in the transaction that commits the offsets past their input records, so a
# transaction aborted by a crash takes its dead-letter records with it and the replay writes them again.
# Each run: a count per key of JSON values (dead_letters.topology.json) over RECORDS input records, with a poison
# pill after every 100th (key poison-<j>: a value that is not JSON, the deserialization handler's, for even j; a
# JSON string the mapper cannot add 0 to, the processing handler's, for odd j); both handlers continue and write to
# a dead-letter topic. The instance is SIGKILLed as soon as it logs its first dead-letter record (the commit interval
# is 2 s, so that record is in the open transaction) and restarted on the same state directory. Then:
#  - read_committed: the counts exact (every key's updates 1..N, none twice) and exactly one dead-letter record per
#    poison pill (each key poison-<j> once, with the raw value of its input record);
#  - read_uncommitted: the records of the aborted transaction, dead-letter records among them, as the duplicates a
#    guarantee without transactions would deliver; seen in at least one run, or the test shows nothing.
# Usage: dead_letter_test.sh STREAMS_RUN EOS_CHECK REPO_ROOT DUMP_TOPIC [RUNS [RECORDS]]
#        (bootstrap from $STREAMS_TEST_BOOTSTRAP)
set -euo pipefail
run=$1 check=$2 root=$3 dump=$4 runs=${5:-2} records=${6:-20000} every=100
bootstrap=${STREAMS_TEST_BOOTSTRAP:?set by the kafka_broker fixture}
work=$(mktemp -d)
# shellcheck source=lib.sh
source "$root/tests/eos/lib.sh"

poisons=$((records / every))
runs_with_aborted=0
for r in $(seq 1 "$runs"); do
  id=$$-dlq$r-$(date +%s%N)
  topology "$id" dead_letters.topology.json
  "$check" create "$bootstrap" 4 "keys-$id" "key-counts-$id" || fail "creating topics"
  "$check" create "$bootstrap" 1 "dlq-$id" || fail "creating the dead-letter topic"
  "$check" poisoned "$bootstrap" "keys-$id" "$records" "$every" || fail "loading the input"
  props=(-X "bootstrap.servers=$bootstrap" -X "application.id=$app" -X processing.guarantee=exactly_once_v2
         -X consumer.session.timeout.ms=6000 -X commit.interval.ms=2000
         -X deserialization.exception.handler=continue -X processing.exception.handler=continue
         -X "errors.dead.letter.queue.topic.name=dlq-$id")
  rm -f "$work"/*.err
  start a a.err
  wait_logged a.err 1 "sent to the dead-letter topic dlq-$id"
  kill -KILL "$pid_a"
  wait "$pid_a" 2>/dev/null || true
  start a a2.err
  deadline=$((SECONDS + 240))
  until "$check" verify "$bootstrap" "key-counts-$id" read_committed keys "$records" >"$work/keys.txt" 2>&1; do
    grep -q "duplicates=[1-9]" "$work/keys.txt" && fail "run $r: duplicates in read_committed: $(cat "$work/keys.txt")"
    kill -0 "$pid_a" 2>/dev/null || fail "run $r: the restarted instance ended"
    [ "$SECONDS" -lt "$deadline" ] || fail "run $r: output not complete within 240 s: $(cat "$work/keys.txt")"
    sleep 2
  done
  kill -TERM "$pid_a"
  wait "$pid_a" || fail "run $r: the restarted instance did not shut down cleanly"
  "$dump" "$bootstrap" "dlq-$id" read_committed >"$work/dlq.jsonl" 2>"$work/dump.err" ||
    fail "run $r: reading the dead-letter topic: $(cat "$work/dump.err")"
  "$dump" "$bootstrap" "dlq-$id" read_uncommitted >"$work/dlq-u.jsonl" 2>"$work/dump.err" ||
    fail "run $r: reading the dead-letter topic (read_uncommitted): $(cat "$work/dump.err")"
  # Every poison-<j> exactly once, with its input's raw value and the handler's exception header.
  python3 - "$work/dlq.jsonl" "$poisons" <<'PY' >"$work/dlq-check.txt" 2>&1 || fail "run $r: $(cat "$work/dlq-check.txt")"
import collections, json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
poisons = int(sys.argv[2])
keys = collections.Counter(l["key"] for l in lines)
problems = [f"{k}: {n} dead-letter records" for k, n in sorted(keys.items()) if n != 1]
problems += [f"poison-{j}: no dead-letter record" for j in range(poisons) if f"poison-{j}" not in keys]
problems += [f"{k}: not a poison pill" for k in keys if not str(k).startswith("poison-")]
for l in lines:
    j = int(str(l["key"]).split("-")[-1]) if str(l["key"]).startswith("poison-") else 0
    if l["value"] != ("{bad" if j % 2 == 0 else '"x"'):
        problems.append(f"{l['key']}: value {l['value']!r} is not its input's")
    if not any(name == "__streams.errors.exception" and value for name, value in l["headers"]):
        problems.append(f"{l['key']}: no exception header")
if problems:
    print(f"{len(lines)} dead-letter records in read_committed for {poisons} poison pills: " + "; ".join(problems[:10]))
    sys.exit(1)
PY
  uncommitted=$(grep -c . "$work/dlq-u.jsonl" || true)
  aborted=$((uncommitted - poisons))
  "$check" verify "$bootstrap" "key-counts-$id" read_uncommitted keys "$records" >"$work/keys-u.txt" || true
  [ "$aborted" -gt 0 ] && runs_with_aborted=$((runs_with_aborted + 1))
  echo "dead_letter_test: run $r: exact ($(cat "$work/keys.txt")); $poisons dead-letter records in read_committed," \
       "one per poison pill; read_uncommitted sees $aborted more of aborted transactions and" \
       "$(sed 's/.*duplicates=\([0-9]*\).*/\1/' "$work/keys-u.txt") duplicated count updates"
done
[ "$runs_with_aborted" -ge 1 ] ||
  fail "no run left a dead-letter record in an aborted transaction: the kill did not test what it should"
echo "dead_letter_test: ok: $runs runs; aborted dead-letter records visible to read_uncommitted in $runs_with_aborted"
