#!/usr/bin/env python3
"""Reduces a disagreeing case (a directory with topology.json and input/<topic>.jsonl, as random_run.py --keep writes
them) to a small program and input that still disagree the same way: the engine and Kafka Streams both run and
their records differ (differential.check) in the same output topics, or the same side fails with the same message (names and numbers aside).

Greedy rounds: candidates of one kind after the other (drop a pipeline, drop an operation, drop an optional field
such as a name or a Materialized, set topology.optimization to none; drop input records: halves and quarters, then
single records), run on both sides a few at a time (one JVM per batch: random_run.run_both); the first candidate that
still shows the disagreement is kept and the rounds start again, until no candidate does.

usage: reduce_case.py STREAMS_RUN ORACLE_SH CASE_DIR OUT_DIR [--cache]
  --cache: the case disagrees with caching on (statestore.cache.max.bytes=10485760; final records compared)
Writes the reduced case to OUT_DIR (topology.json, input/) and prints both sides' records of the last run.
"""
import copy
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import random_run  # noqa: E402

OPTIONAL_FIELDS = ("name", "materialized", "storeName")
CHUNK = 6


def load(directory):
    with open(os.path.join(directory, "topology.json")) as f:
        program = json.load(f)
    inputs = {}
    for name in sorted(os.listdir(os.path.join(directory, "input"))):
        with open(os.path.join(directory, "input", name)) as f:
            inputs[name[:-len(".jsonl")]] = [json.loads(line) for line in f if line.strip()]
    return program, inputs


def signature(kind, text):
    """What must stay the same: a difference in the same output topics, or which side fails with which message
    (names, numbers aside)."""
    if kind == "differ":
        return "differ:" + ",".join(sorted(set(re.findall(r"^  topic (\S+) key", text, re.M))))
    if kind != "failed":
        return kind
    message = text.split(": ", 1)[1] if ": " in text else text
    message = re.sub(r'"[^"]*"|\'[^\']*\'|/\S+|\d+', "_", message.splitlines()[0])
    return kind + ":" + message[:120]


def still_shows(wanted, sig):
    """A difference must stay within the output topics that differed at first (a smaller program may show another
    difference in another topic: that is another disagreement, to be reduced on its own)."""
    if wanted.startswith("differ:") and sig.startswith("differ:"):
        return set(sig[7:].split(",")) <= set(wanted[7:].split(","))
    return sig == wanted


def program_candidates(program):
    pipelines = program["pipelines"]
    for i in range(len(pipelines)):
        yield "drop pipeline", {**program, "pipelines": pipelines[:i] + pipelines[i + 1:]}
    for i, p in enumerate(pipelines):
        for j in range(len(p.get("ops", []))):
            q = copy.deepcopy(program)
            del q["pipelines"][i]["ops"][j]
            yield "drop op", q
    for i, p in enumerate(pipelines):
        for where in [p.get("source")] + p.get("ops", []):
            for field in OPTIONAL_FIELDS:
                if isinstance(where, dict) and field in where:
                    q = copy.deepcopy(program)
                    target = q["pipelines"][i]["source"] if where is p.get("source") else q["pipelines"][i]["ops"][p["ops"].index(where)]
                    del target[field]
                    yield "drop " + field, q
    if program.get("config", {}).get("topology.optimization", "none") != "none":
        q = copy.deepcopy(program)
        q["config"]["topology.optimization"] = "none"
        yield "optimization none", q


def input_candidates(inputs, single):
    for topic, records in inputs.items():
        n = len(records)
        if single:
            chunks = [(i, i + 1) for i in range(n)]
        else:
            size = max(1, n // 2)
            chunks = [(i, min(n, i + size)) for i in range(0, n, size)] if n > 1 else []
            chunks += [(i, min(n, i + max(1, n // 4))) for i in range(0, n, max(1, n // 4))] if n > 3 else []
        for a, b in chunks:
            yield f"drop {topic} records {a}..{b - 1}", {**inputs, topic: records[:a] + records[b:]}


def evaluate(streams_run, oracle, cases, cache, workdir):
    """cases: [(program, inputs)] -> [(signature, text)]"""
    jobs = []
    for i, (program, inputs) in enumerate(cases):
        directory = os.path.join(workdir, f"c{i}")
        shutil.rmtree(directory, ignore_errors=True)
        random_run.write_case(directory, program, inputs)
        jobs.append((directory, cache))
    results = random_run.run_both(streams_run, oracle, jobs, workdir)
    out = []
    for (directory, _), (engine, kafka) in zip(jobs, results):
        kind, text = random_run.outcome(streams_run, "case", directory, cache, engine, kafka)
        out.append((signature(kind, text), text))
    return out


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    streams_run, oracle, case, out_dir = map(os.path.abspath, argv[:4])
    cache = random_run.CACHE_ON if "--cache" in argv[4:] else random_run.CACHE_OFF
    workdir = tempfile.mkdtemp(prefix="reduce-")
    program, inputs = load(case)
    [(wanted, text)] = evaluate(streams_run, oracle, [(program, inputs)], cache, workdir)
    if wanted in ("agree", "both-failed"):
        print(f"reduce_case.py: {case} does not disagree ({wanted})", file=sys.stderr)
        return 2
    print(f"reducing {case}: {wanted}", flush=True)
    kinds = [lambda p, i: ((d, q, i) for d, q in program_candidates(p)),
             lambda p, i: ((d, p, j) for d, j in input_candidates(i, False)),
             lambda p, i: ((d, p, j) for d, j in input_candidates(i, True))]
    progress = True
    while progress:
        progress = False
        for kind in kinds:
            candidates = list(kind(program, inputs))
            for start in range(0, len(candidates), CHUNK):
                chunk = candidates[start:start + CHUNK]
                results = evaluate(streams_run, oracle, [(q, i) for _, q, i in chunk], cache, workdir)
                good = [c for c, (sig, _) in zip(chunk, results) if still_shows(wanted, sig)]
                if good:
                    description, program, inputs = good[0]
                    print(f"  {description}: {len(program['pipelines'])} pipelines, "
                          f"{sum(len(v) for v in inputs.values())} records", flush=True)
                    progress = True
                    break
            if progress:
                break
    [(sig, text)] = evaluate(streams_run, oracle, [(program, inputs)], cache, workdir)
    shutil.rmtree(out_dir, ignore_errors=True)
    random_run.write_case(out_dir, program, inputs)
    print(text)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
