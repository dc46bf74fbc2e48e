#!/usr/bin/env python3
"""Differential test: the engine (streams-run --embedded) against Kafka Streams' TopologyTestDriver (the Java
oracle's run mode, tests/oracle/oracle.sh run) on the same topology file and input.

Both sides run with the record cache off (statestore.cache.max.bytes=0), so every update is forwarded and the
emitted records do not depend on when caches flush. The comparison is per output topic and key: the sequence of
(value, timestamp) of each key must be equal on both sides. The interleaving of different keys is not compared:
it depends on partitioning and on the order tasks are polled, which Kafka Streams does not define either.
Only representation is normalised: the engine prints partition and offset, the oracle does not.

Except when the topology has a single sub-topology (and the cases keep every source topic at one partition): then
one task processes every record in timestamp order, as the driver does, and the whole sequence of (key, value,
timestamp) of each output topic must be equal. That also checks when windows close and results are emitted
(a join or suppression that emits at another record shows as another interleaving of keys).

A case may hold differential.json {"compare": "final", "why": "..."}: then only the last (value, timestamp) of
each topic and key is compared. That is for programs whose records go through several sub-topologies and back
(a foreign-key join: subscription and response topics): TopologyTestDriver processes each input record through
every sub-topology before the next, a running application processes its tasks independently, so the
intermediate results legitimately differ while the final table agrees; "why" must say which.

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


def one_subtopology(streams_run, topology):
    """True when the topology has one sub-topology (streams-describe, next to streams-run, tells)."""
    describe = os.path.join(os.path.dirname(os.path.abspath(streams_run)), "streams-describe")
    proc = subprocess.run([describe, topology, "--format", "json"], capture_output=True, text=True, timeout=60)
    return proc.returncode == 0 and len(json.loads(proc.stdout)["subtopologies"]) == 1


def compare(case, engine, oracle, final_only=False, whole_topic=False):
    e, o = by_key(engine, window_end_missing(oracle), whole_topic), by_key(oracle, whole_topic=whole_topic)
    if final_only:
        e = {k: v[-1:] for k, v in e.items()}
        o = {k: v[-1:] for k, v in o.items()}
    problems = []
    for k in sorted(set(e) | set(o)):
        if e.get(k, []) != o.get(k, []):
            problems.append(f"  topic {k[0]} key {k[1]}:\n    kafka streams: {o.get(k, [])}\n    engine:        {e.get(k, [])}")
    if problems:
        print(f"DIFFERS {case}: {len(engine)} engine records, {len(oracle)} Kafka Streams records")
        print("\n".join(problems[:20]))
        return False
    agreed = "the final record of every key agrees" if final_only else f"{len(engine)} records agree"
    print(f"ok {case}: {agreed}{' (in order: one sub-topology)' if whole_topic else ''}")
    return True


def check(name, topology, engine_records, oracle_records, mode, streams_run):
    """Compares one case's records with the rules above (mode: the case's differential.json, or {}). The random
    differential (random_run.py) compares its programs through this function too: a new rule belongs here."""
    final_only = mode.get("compare") == "final"
    whole_topic = not final_only and one_subtopology(streams_run, topology)
    return compare(name, engine_records, oracle_records, final_only, whole_topic)


def main():
    streams_run, oracle, cases = sys.argv[1], sys.argv[2], sys.argv[3:]
    ok = True
    for case in cases:
        topology = os.path.join(case, "topology.json")
        inputs = []
        for path in sorted(glob.glob(os.path.join(case, "input", "*.jsonl"))):
            inputs += ["--input", os.path.basename(path)[:-len(".jsonl")] + "=" + path]
        try:
            oracle_records = run([oracle, "run", topology, *inputs, "-X", "statestore.cache.max.bytes=0"])
            engine_records = run([streams_run, topology, "--embedded", "-X", "statestore.cache.max.bytes=0", *inputs])
        except Exception as error:  # a side that fails is a difference, with its message
            print(f"FAILED {case}: {error}")
            ok = False
            continue
        mode = {}
        if os.path.exists(os.path.join(case, "differential.json")):
            with open(os.path.join(case, "differential.json")) as f:
                mode = json.load(f)
            if mode.get("compare") != "final" or not mode.get("why"):
                print(f"FAILED {case}: differential.json must be {{\"compare\": \"final\", \"why\": ...}}")
                ok = False
                continue
        ok = check(os.path.basename(case.rstrip("/")), topology, engine_records, oracle_records, mode, streams_run) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
