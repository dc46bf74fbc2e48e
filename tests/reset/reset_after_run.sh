#!/usr/bin/env bash
# Reset after a run, on the real broker: run the word count (streams-run batch mode), reset it with
# streams-reset --topology --state-dir --execute, run it again with no new input. The second run must reprocess the
# input from the start and write exactly the first run's records again (same keys, values, timestamps and
# partitions, in the same order per partition), and the reset must have deleted the repartition and changelog
# topics, the control topic and the state directory. Usage: reset_after_run.sh STREAMS_RUN STREAMS_RESET REPO_ROOT
# (bootstrap servers from $STREAMS_TEST_BOOTSTRAP, as the kafka_broker fixture sets it).
set -euo pipefail
run=$1 reset=$2 root=$3
bootstrap=${STREAMS_TEST_BOOTSTRAP:?set by the kafka_broker fixture}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "reset_after_run: $*" >&2; exit 1; }

# Unique names: the broker is shared by every test of the run.
id=$$-$(date +%s%N)
app=rar-app-$id text=rar-text-$id words=rar-words-$id
# The application.id goes into the file too: streams-run names internal topics after the topology's application.id
# (-X application.id alone renames only the group).
sed -e "s/\"text\"/\"$text\"/g" -e "s/\"words\"/\"$words\"/g" -e "s/\"word-count\"/\"$app\"/" \
  "$root/topology-fixtures/run/word-count/topology.json" >"$work/wc.topology.json"
: >"$work/empty.jsonl"
props=(-X "bootstrap.servers=$bootstrap" -X "application.id=$app" -X "state.dir=$work/state")

"$run" "$work/wc.topology.json" "${props[@]}" --input "$text=$root/topology-fixtures/run/word-count/input/text.jsonl" \
  >"$work/run1.jsonl" 2>"$work/run1.err" || { cat "$work/run1.err" >&2; fail "first run failed"; }
n=$(wc -l <"$work/run1.jsonl")
[ "$n" -gt 0 ] || fail "the first run wrote no output"
[ -d "$work/state/$app" ] || fail "the first run left no state directory $work/state/$app"

"$reset" --application-id "$app" --bootstrap-server "$bootstrap" --topology "$work/wc.topology.json" \
  --state-dir "$work/state" --execute >"$work/reset.txt" 2>"$work/reset.err" \
  || { cat "$work/reset.txt" "$work/reset.err" >&2; fail "streams-reset failed"; }
# The control topic (<application.id>-__control, created by every streams-run) is the application's too.
for topic in "$app-word-counts-changelog" "$app-word-counts-repartition" "$app-__control"; do
  grep -qF "[done] delete topic $topic" "$work/reset.txt" || { cat "$work/reset.txt" >&2; fail "$topic not deleted"; }
done
grep -qE "^  $text\[0\]: [0-9]+ -> 0\$" "$work/reset.txt" || { cat "$work/reset.txt" >&2; fail "$text[0] not reset to 0"; }
[ ! -e "$work/state/$app" ] || fail "the state directory survived the reset"

"$run" "$work/wc.topology.json" "${props[@]}" --input "$text=$work/empty.jsonl" \
  >"$work/run2.jsonl" 2>"$work/run2.err" || { cat "$work/run2.err" >&2; fail "second run failed"; }

# run2 prints the whole output topic: per partition, the first run's records, then the second run's.
first=$(jq -cs 'group_by(.partition) | map(sort_by(.offset) | map(del(.offset)))' "$work/run1.jsonl")
again=$(jq -cs 'group_by(.partition) | map(sort_by(.offset) | map(del(.offset)) | .[length / 2:])' "$work/run2.jsonl")
kept=$(jq -cs 'group_by(.partition) | map(sort_by(.offset) | .[:length / 2])' "$work/run2.jsonl")
[ "$(wc -l <"$work/run2.jsonl")" -eq $((2 * n)) ] || fail "second run: expected $((2 * n)) records in $words, got $(wc -l <"$work/run2.jsonl")"
[ "$kept" = "$(jq -cs 'group_by(.partition) | map(sort_by(.offset))' "$work/run1.jsonl")" ] || fail "the first run's records changed"
[ "$again" = "$first" ] || { diff <(echo "$first" | jq .) <(echo "$again" | jq .) >&2 || true; fail "the rerun's output differs"; }
echo "reset_after_run: $n records reproduced exactly after the reset"
