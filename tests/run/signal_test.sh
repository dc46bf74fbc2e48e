#!/usr/bin/env bash
# streams-run as a service on the real broker, stopped by SIGTERM twice in a row: the first signal starts the clean
# shutdown, the second arrives during it and is ignored (not fatal). The run must exit 0 after flushing and
# committing: the group's committed offsets reach the end of the input, checkpoint files are written, and a
# restart processes nothing. Usage: signal_test.sh STREAMS_RUN REPO_ROOT (bootstrap from $STREAMS_TEST_BOOTSTRAP).
set -euo pipefail
run=$1 root=$2
bootstrap=${STREAMS_TEST_BOOTSTRAP:?set by the kafka_broker fixture}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "signal_test: $*" >&2; for f in "$work"/*.err; do echo "--- $f" >&2; cat "$f" >&2; done; exit 1; }

id=$$-$(date +%s%N)
app=sig-app-$id text=sig-text-$id words=sig-words-$id
sed -e "s/\"text\"/\"$text\"/g" -e "s/\"words\"/\"$words\"/g" -e "s/\"word-count\"/\"$app\"/" \
  "$root/topology-fixtures/run/word-count/topology.json" >"$work/wc.topology.json"
props=(-X "bootstrap.servers=$bootstrap" -X "application.id=$app" -X "state.dir=$work/state" -X "commit.interval.ms=100")

# The batch run creates the topics and loads the input; its group then has everything committed.
"$run" "$work/wc.topology.json" "${props[@]}" --input "$text=$root/topology-fixtures/run/word-count/input/text.jsonl" \
  >"$work/batch.jsonl" 2>"$work/batch.err" || fail "the batch run failed"
n=$(wc -l <"$work/batch.jsonl")

# Service mode (no --input): runs until signalled.
"$run" "$work/wc.topology.json" "${props[@]}" >"$work/service.out" 2>"$work/service.err" &
pid=$!
for _ in $(seq 1 300); do
  grep -q "assigned" "$work/service.err" && break
  kill -0 "$pid" 2>/dev/null || fail "streams-run ended before it was signalled"
  sleep 0.1
done
grep -q "assigned" "$work/service.err" || fail "streams-run got no assignment within 30 s"
kill -TERM "$pid"
sleep 0.05
kill -TERM "$pid" 2>/dev/null || true
status=0
wait "$pid" || status=$?
pid=
[ "$status" -eq 0 ] || fail "exit status $status after two SIGTERMs (expected 0)"
grep -q "signal received, shutting down cleanly" "$work/service.err" || fail "no clean shutdown logged"
grep -q "committing, writing checkpoints" "$work/service.err" || fail "the threads did not commit and checkpoint"
ls "$work/state/$app"/*/.checkpoint >/dev/null 2>&1 || fail "no checkpoint file under $work/state/$app"
grep -q "processed 0 records" "$work/service.err" || fail "the service run reprocessed committed input"
echo "signal_test: ok ($n records in the batch run; the service run shut down cleanly on two SIGTERMs)"
