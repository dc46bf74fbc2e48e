#!/usr/bin/env python3
"""Differential test: the engine (streams-run --embedded) against Kafka Streams' TopologyTestDriver (the Java
oracle's run mode, tests/oracle/oracle.sh run) on the same topology file and input.

Both sides run with the record cache off (statestore.cache.max.bytes=0), so every update is forwarded and the
emitted records do not depend on when caches flush (unless the case compares cached output: see below). The comparison is per output topic and key: the sequence of
(value, timestamp) of each key must be equal on both sides. The interleaving of different keys is not compared:
it depends on partitioning and on the order tasks are polled, which Kafka Streams does not define either.
Only representation is normalised: the engine prints partition and offset, the oracle does not.

Except when the topology has a single sub-topology (and the cases keep every source topic at one partition): then
one task processes every record in timestamp order, as the driver does, and the whole sequence of (key, value,
timestamp) of each output topic must be equal. That also checks when windows close and results are emitted
(a join or suppression that emits at another record shows as another interleaving of keys). Not when that
sub-topology reads a topic it also writes (a repartition() or key change merged or joined with the stream it came
from): see below.

A program with a sub-topology (any, not only a single one) that reads a topic it writes itself is not compared with
the records of the running engine at all. TopologyTestDriver processes what the sub-topology wrote to that topic
right after the input record that caused it, before the next input record. A running application (Kafka Streams'
as well as this engine) does not: its task takes the record with the lowest timestamp among its buffered partitions,
and once the topic it writes has been found empty for max.task.idle.ms (PartitionGroup.readyToProcess: the idle
deadline is set when the partition is first found empty and is not reset before a record arrives there) it goes on
with its other partitions ("enforced processing") until the written records come back from the broker. So at start
a burst of input records is processed before the first record comes back, and joins and aggregations downstream
see other records in their windows and stores: other values per key, not only another interleaving of keys (a left
join's partner missing, a value read back from a join store in the store's serde instead of the one in hand). Such
a program runs instead in the engine's in-process driver (differential-driver-run, built next to streams-run:
runtime/test_driver.h), which processes in TopologyTestDriver's order with the engine's processors and stores, and
is compared per key with the same options.

Every case prints the rule it was compared with.

A case may hold differential.json {"compare": "final", "why": "..."}: then only the last (value, timestamp) of
each topic and key is compared. That is for programs whose records go through several sub-topologies and back
(a foreign-key join: subscription and response topics): TopologyTestDriver processes each input record through
every sub-topology before the next, a running application processes its tasks independently, so the
intermediate results legitimately differ while the final table agrees; "why" must say which. A key whose last
record is a tombstone counts as absent there (see final_table). Not when the program also suppresses: a
suppression emits by stream time, so what it emits early or still holds at the end depends on the order of the
changes that reached it; such a program's final records come from the engine's driver, in TopologyTestDriver's
order (see check).

A case may hold differential.json {"compare": "cached", "cache.max.bytes": N, "why": "..."} instead: both sides then
run with statestore.cache.max.bytes=N, so what is compared is what the record caches forward (one update per key
and store when the cache flushes, and on eviction when it is full) rather than every update. TopologyTestDriver
commits, and so flushes every cache, after each input record; a running application at commit.interval.ms. So the
engine's records come from its in-process driver, which commits as TopologyTestDriver does (streams-run still runs
the case, and must not fail), and they are compared with the rule the topology gets otherwise (in order for a
single sub-topology).

A case holding differential-known-divergence.md is a disagreement not fixed yet: the file states the cause, and
tests/differential/tests.cmake and tests/run/tests.cmake leave the case out (running this script on it shows the
difference).

usage: differential.py STREAMS_RUN ORACLE_SH CASE_DIR [CASE_DIR ...]
  CASE_DIR holds topology.json and input/<topic>.jsonl. Exit status 0 when every case agrees.
"""
import collections
import glob
import json
import os
import subprocess
import sys

CACHE_OFF = "statestore.cache.max.bytes=0"


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit status {proc.returncode}\n{proc.stderr[-3000:]}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def by_key(records, topics_without_window_end=frozenset(), whole_topic=False):
    out = collections.defaultdict(list)
    for r in records:
        key = r["key"]
        if r["topic"] in topics_without_window_end and isinstance(key, dict) and "window" in key:
            # A time-windowed key is serialized as key + window start: the bytes do not carry the end, so
            # the oracle cannot print it while the engine (which knows the window size) does.
            key = {**key, "window": {k: v for k, v in key["window"].items() if k != "end"}}
        if whole_topic:
            out[(r["topic"], "(every key, in order)")].append((key, r["value"], r["timestamp"]))
        else:
            out[(r["topic"], json.dumps(key, sort_keys=True))].append((r["value"], r["timestamp"]))
    return out


def window_end_missing(records):
    return frozenset(r["topic"] for r in records
                     if isinstance(r["key"], dict) and "end" not in r["key"].get("window", {"end": 0}))


def order_rule(streams_run, topology):
    """(compare the whole topic in order?, the reason, the topics a sub-topology reads and writes itself), from the
    topology's sub-topologies (streams-describe, next to streams-run, tells): in order only when one sub-topology
    processes every record and reads no topic it writes itself (see the module's description)."""
    describe = os.path.join(os.path.dirname(os.path.abspath(streams_run)), "streams-describe")
    proc = subprocess.run([describe, topology, "--format", "json"], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        return False, "per key (streams-describe failed)", []
    model = json.loads(proc.stdout)
    subtopologies = [st for st in model["subtopologies"] if not st["global"]]
    nodes = {n["name"]: n for n in model["nodes"]}
    looped = []
    for st in subtopologies:
        members = [nodes[name] for name in st["nodes"] if name in nodes]
        read = {t for n in members if n["kind"] == "source" for t in n["topics"]}
        looped += sorted(read & {n["topic"] for n in members if n["kind"] == "sink"})
    if looped:
        return False, (f"per key, the engine in TopologyTestDriver's order (differential-driver-run): a sub-topology "
                       f"reads {', '.join(looped)}, which it writes"), looped
    if len(subtopologies) != 1:
        return False, f"per key ({len(subtopologies)} sub-topologies)", []
    return True, "in order (one sub-topology)", []


def has_suppression(topology):
    """Whether the topology file holds a suppress operation anywhere."""
    def found(node):
        if isinstance(node, dict):
            return node.get("op") == "suppress" or any(found(v) for v in node.values())
        return isinstance(node, list) and any(found(v) for v in node)
    with open(topology) as f:
        return found(json.load(f))


def driver_records(streams_run, topology, extra_args):
    """The program's output from the engine's in-process driver (see the module's description); extra_args: the
    -X options of the run it replaces."""
    driver = os.path.join(os.path.dirname(os.path.abspath(streams_run)), "differential-driver-run")
    inputs = []
    for path in sorted(glob.glob(os.path.join(os.path.dirname(topology), "input", "*.jsonl"))):
        inputs += ["--input", os.path.basename(path)[:-len(".jsonl")] + "=" + path]
    return run([driver, topology, *inputs, *extra_args])


def final_table(records):
    """The last record of each key, a tombstone counting as no record. A foreign-key join's final result is a
    table: a key deleted at the end and a key never written are the same table. The two sides may differ there
    legitimately: streams-run drops a subscription response computed for a left value that has changed since
    (stale, its hash no longer matches, as Kafka Streams does), so a key may never get the result that
    TopologyTestDriver, which runs every response before the next input record and never sees one as stale,
    emits and later deletes."""
    return {k: v[-1:] for k, v in records.items() if v and v[-1][0] is not None}


def compare(case, engine, oracle, rule, final_only=False, whole_topic=False):
    e, o = by_key(engine, window_end_missing(oracle), whole_topic), by_key(oracle, whole_topic=whole_topic)
    if final_only:
        e, o = final_table(e), final_table(o)
    problems = []
    for k in sorted(set(e) | set(o)):
        if e.get(k, []) != o.get(k, []):
            problems.append(f"  topic {k[0]} key {k[1]}:\n    kafka streams: {o.get(k, [])}\n    engine:        {e.get(k, [])}")
    if problems:
        print(f"DIFFERS {case} (compared {rule}): {len(engine)} engine records, {len(oracle)} Kafka Streams records")
        print("\n".join(problems[:20]))
        return False
    agreed = "the final record of every key agrees" if final_only else f"{len(engine)} records agree"
    print(f"ok {case}: {agreed} (compared {rule})")
    return True


def case_config(mode):
    """The -X options both sides run a case with: the record cache off, or the size a cached case sets."""
    if mode.get("compare") == "cached":
        return ("-X", f"statestore.cache.max.bytes={int(mode['cache.max.bytes'])}")
    return ("-X", CACHE_OFF)


def check(name, topology, engine_records, oracle_records, mode, streams_run, config_args=("-X", CACHE_OFF)):
    """Compares one case's records with the rules above (mode: the case's differential.json, or {}; config_args: the
    -X options both sides ran with). The random differential (random_run.py) compares its programs through this
    function too: a new rule belongs here."""
    final_only = mode.get("compare") == "final"
    whole_topic, rule, looped = order_rule(streams_run, topology)
    # Compared final because the intermediate records legitimately differ (a foreign-key join's responses come in
    # another order, caches flush at other times): a suppression then makes the final records differ too. It emits
    # by stream time, so what it still holds at the end, and what it emitted early when its buffer was full, depends
    # on the order in which the changes reached it. Such a program is compared in the driver's order as well.
    order_dependent_final = final_only and has_suppression(topology)
    cached = mode.get("compare") == "cached"
    if looped or order_dependent_final or cached:
        try:
            engine_records = driver_records(streams_run, topology, list(config_args))
        except Exception as error:  # the driver's message is the difference
            print(f"FAILED {name}: {error}")
            return False
    if final_only:
        whole_topic = False
        rule = ("final record per key, a tombstone as absent (differential.json)"
                + (", the engine in TopologyTestDriver's order" if looped or order_dependent_final else ""))
    elif cached:
        rule += f", cached ({config_args[1]}), the engine in TopologyTestDriver's order and commits"
    return compare(name, engine_records, oracle_records, rule, final_only, whole_topic)


def main():
    streams_run, oracle, cases = sys.argv[1], sys.argv[2], sys.argv[3:]
    ok = True
    for case in cases:
        topology = os.path.join(case, "topology.json")
        inputs = []
        for path in sorted(glob.glob(os.path.join(case, "input", "*.jsonl"))):
            inputs += ["--input", os.path.basename(path)[:-len(".jsonl")] + "=" + path]
        mode = {}
        if os.path.exists(os.path.join(case, "differential.json")):
            with open(os.path.join(case, "differential.json")) as f:
                mode = json.load(f)
            valid = mode.get("why") and (mode.get("compare") == "final" or (
                mode.get("compare") == "cached" and isinstance(mode.get("cache.max.bytes"), int)))
            if not valid:
                print(f"FAILED {case}: differential.json must be {{\"compare\": \"final\", \"why\": ...}} or "
                      f"{{\"compare\": \"cached\", \"cache.max.bytes\": N, \"why\": ...}}")
                ok = False
                continue
        config = case_config(mode)
        try:
            oracle_records = run([oracle, "run", topology, *inputs, *config])
            engine_records = run([streams_run, topology, "--embedded", *config, *inputs])
        except Exception as error:  # a side that fails is a difference, with its message
            print(f"FAILED {case}: {error}")
            ok = False
            continue
        ok = check(os.path.basename(case.rstrip("/")), topology, engine_records, oracle_records, mode, streams_run,
                   config) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
