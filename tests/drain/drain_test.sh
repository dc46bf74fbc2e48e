#!/usr/bin/env bash
# streams-drain on the real broker (FIXTURES_REQUIRED kafka_broker): a value-type change of a repartition topic (the value type before
# a repartition changes from long to json), done by following streams-diff's drain-required plan literally.
#   1. records sit in the old version's repartition topic (written there in the old format), and orders wait in the
#      input topic;
#   2. the plan's streams-drain command drains the repartition topic to lag zero with the input paused;
#   3. the input's committed offsets did not move;
#   4. the new version (json before the repartition) then runs with no deserialization error, and the output holds
#      both the drained counts and the counts of the orders it processed;
#   a drain that cannot finish in time exits 1 and names what is left; bad input exits 2.
set -euo pipefail
bin=$1            # directory of the streams-* tools
repo=$2           # repository root
bootstrap=${STREAMS_TEST_BOOTSTRAP:?}
u=$$-$RANDOM
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

src=$repo/topology-fixtures/upgrades/type-before-repartition
for v in old new; do
  sed -e "s/\"shop\"/\"shop-$u\"/" -e "s/\"stream\": \"orders\"/\"stream\": \"orders-$u\"/" \
      -e "s/\"topic\": \"orders-per-customer\"/\"topic\": \"opc-$u\"/" "$src/$v.topology.json" > $v.topology.json
done
app=shop-$u
repartition=$app-orders-per-customer-repartition
printf 'bootstrap.servers=%s\nstate.dir=%s/state\ncommit.interval.ms=200\n' "$bootstrap" "$work" > app.properties

# 1. The old version's repartition topic holds 5 records in the old format (string key, long value), written by a
#    feeder application; two orders wait in the input topic. (The feeder also creates the output topic, which an
#    application that ran before would have.)
cat > feeder.topology.json <<JSON
{ "config": {"application.id": "feeder-$u"},
  "pipelines": [
    {"source": {"stream": "feed-r-$u", "value": "long"}, "ops": [{"op": "to", "topic": "$repartition", "value": "long"}]},
    {"source": {"stream": "feed-o-$u", "value": "json"}, "ops": [{"op": "to", "topic": "orders-$u", "value": "json"}]},
    {"source": {"stream": "feed-x-$u", "value": "long"}, "ops": [{"op": "to", "topic": "opc-$u", "value": "long"}]}
  ] }
JSON
cat > r.jsonl <<'JSON'
{"key": "alice", "value": 10, "timestamp": 1000}
{"key": "bob", "value": 20, "timestamp": 2000}
{"key": "alice", "value": 30, "timestamp": 3000}
{"key": "bob", "value": 40, "timestamp": 4000}
{"key": "alice", "value": 50, "timestamp": 5000}
JSON
cat > o.jsonl <<'JSON'
{"key": "o1", "value": {"customer": "carol", "amount": 5}, "timestamp": 6000}
{"key": "o2", "value": {"customer": "carol", "amount": 7}, "timestamp": 7000}
JSON
printf 'bootstrap.servers=%s\nstate.dir=%s/feeder-state\n' "$bootstrap" "$work" > feeder.properties
"$bin/streams-run" feeder.topology.json --config feeder.properties --input feed-r-$u=r.jsonl --input feed-o-$u=o.jsonl \
  > feeder.out 2> feeder.err || { cat feeder.err >&2; fail "the feeder did not run"; }

# 2. A drain that cannot finish in time exits 1 and names what is left (it may have drained a part).
set +e
"$bin/streams-drain" old.topology.json --config app.properties --timeout 0s > timeout.out 2> timeout.err
status=$?
set -e
[ $status -eq 1 ] || { cat timeout.out timeout.err >&2; fail "timeout: exit status $status, expected 1"; }
grep -Eq "timed out after 0s; left: $repartition\[0\]=[1-5]\$" timeout.err || fail "timeout message: $(cat timeout.err)"
grep -q "^NOT drained" timeout.out || fail "timeout report: $(cat timeout.out)"

# 3. The plan, followed literally.
set +e
"$bin/streams-diff" old.topology.json new.topology.json > plan.txt
status=$?
set -e
[ $status -eq 1 ] || fail "streams-diff exit status $status, expected 1"
grep -q "upgrade plan (drain-required)" plan.txt || fail "not a drain-required plan: $(cat plan.txt)"
drain_cmd=$(grep -E '^\s+\$ streams-drain ' plan.txt | head -1 | sed -e 's/^\s*\$ //' -e "s|\${BOOTSTRAP_SERVERS}|$bootstrap|g")
[ -n "$drain_cmd" ] || fail "no streams-drain command in the plan"
echo "plan: $drain_cmd"
PATH=$bin:$PATH eval "$drain_cmd" > drain.out 2> drain.err || { cat drain.err >&2; fail "streams-drain failed"; }
cat drain.out
grep -q "^Drained" drain.out || fail "no drain report"
grep -Eq "$repartition\[0\]: [0-9]+ records \(offsets [0-9]+ -> 5, end 5\)" drain.out || fail "not drained to the end (5)"
grep -q "paused 1 source partitions" drain.err || fail "the input partition was not paused: $(cat drain.err)"

# 4. The input's committed offsets did not move: the orders are still to be processed.
"$bin/streams-reset" --application-id "$app" --bootstrap-server "$bootstrap" --input-topics "orders-$u" --format json \
  > reset-plan.json
python3 - reset-plan.json <<'PY' || fail "the drain moved the input offsets"
import json, sys
doc = json.load(open(sys.argv[1]))
text = json.dumps(doc)
offsets = [o for o in doc["plan"]["offsets"] if o["topic"].startswith("orders-")]
assert offsets, text
assert all(o.get("current") in (None, -1) for o in offsets), text
PY

# 5. The new version (json before the repartition) runs on the same application with no deserialization error.
"$bin/streams-run" new.topology.json --config app.properties --input orders-$u=/dev/null > new.out 2> new.err \
  || { cat new.err >&2; fail "the new version failed"; }
cat new.out
grep -q '"key":"alice","value":3' new.out || fail "drained count alice=3 missing"
grep -q '"key":"bob","value":2' new.out || fail "drained count bob=2 missing"
grep -q '"key":"carol","value":2' new.out || fail "the new version's count carol=2 missing"
if grep -qi "deserializ\|error" new.err; then cat new.err >&2; fail "errors in the new version's log"; fi

# 6. Bad input.
set +e
"$bin/streams-drain" no-such.topology.json --config app.properties > /dev/null 2> bad.err
status=$?
set -e
[ $status -eq 2 ] || fail "bad input: exit status $status, expected 2"
echo "streams-drain broker test passed"
