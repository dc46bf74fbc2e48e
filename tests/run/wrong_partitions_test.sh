#!/usr/bin/env bash
# streams-run on the real broker when an internal topic already exists with the wrong partition count: a clear
# error naming the topic and both counts, exit status 2, and nothing processed. The topic is made beforehand by a
# feeder topology that writes it as a user topic declared with 3 partitions; the word count needs 1.
# Usage: wrong_partitions_test.sh STREAMS_RUN REPO_ROOT (bootstrap from $STREAMS_TEST_BOOTSTRAP).
set -euo pipefail
run=$1 root=$2
bootstrap=${STREAMS_TEST_BOOTSTRAP:?set by the kafka_broker fixture}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "wrong_partitions_test: $*" >&2; for f in "$work"/*.err; do echo "--- $f" >&2; cat "$f" >&2; done; exit 1; }

id=$$-$(date +%s%N)
app=wp-app-$id text=wp-text-$id words=wp-words-$id
changelog=$app-word-counts-changelog
cat >"$work/feeder.topology.json" <<JSON
{"config": {"application.id": "wp-feeder-$id"}, "topics": {"$changelog": {"partitions": 3}},
 "pipelines": [{"source": {"stream": "wp-feed-$id"}, "ops": [{"op": "to", "topic": "$changelog"}]}]}
JSON
: >"$work/empty.jsonl"
"$run" "$work/feeder.topology.json" -X "bootstrap.servers=$bootstrap" --input "wp-feed-$id=$work/empty.jsonl" \
  >/dev/null 2>"$work/feeder.err" || fail "the feeder run failed"

sed -e "s/\"text\"/\"$text\"/g" -e "s/\"words\"/\"$words\"/g" -e "s/\"word-count\"/\"$app\"/" \
  "$root/topology-fixtures/run/word-count/topology.json" >"$work/wc.topology.json"
status=0
"$run" "$work/wc.topology.json" -X "bootstrap.servers=$bootstrap" -X "state.dir=$work/state" \
  --input "$text=$root/topology-fixtures/run/word-count/input/text.jsonl" >"$work/run.out" 2>"$work/run.err" || status=$?
[ "$status" -eq 2 ] || fail "exit status $status (expected 2)"
grep -qF "internal topic \"$changelog\" has 3 partitions but the topology needs 1" "$work/run.err" \
  || fail "the error does not name the topic and both counts"
[ ! -s "$work/run.out" ] || fail "records were written although the run was refused"
echo "wrong_partitions_test: ok"
