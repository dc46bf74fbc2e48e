#!/usr/bin/env python3
"""The random run differential: random DSL programs (tests/oracle/random_programs.py) with random inputs fitted to
their source topics, run in this engine (streams-run --embedded) and in Kafka Streams' TopologyTestDriver
(tests/oracle/oracle.sh run-all: every program in one JVM), compared with the rules of differential.py
(differential.check).

Inputs (deterministic per seed): keys a-e, some null keys and null values (a null value on a table topic is a
tombstone), values that are also keys (so that selectKey, groupBy and foreign-key extractors land on existing keys),
timestamps that mostly advance by up to 15 s, sometimes jump by more than a window (61-130 s), and sometimes go back
(late and out-of-order records, up to 90 s). A global table's records come first (see gen_inputs).

Every program runs with the record cache off (statestore.cache.max.bytes=0, as differential.py runs its cases);
with --cache-every N every Nth seed also runs with caching on (10 MB), unless caching may change its final records
(caching_changes_final_records). With caching on, what is forwarded depends on when caches flush (TopologyTestDriver
commits after every input record, the engine every commit.interval.ms), so only the final record of each topic and
key is compared. A program with a foreign-key join is compared the same way, for the reason differential.py gives
for its foreign-key cases (subscription and response topics: TopologyTestDriver processes each input record through
every sub-topology before the next one). The engine runs with max.task.idle.ms=1000 (ORDERED says why).

usage: random_run.py STREAMS_RUN ORACLE_SH SEEDS [--cache-every N] [--expect-differ SEEDS] [--keep DIR]
  SEEDS: "1-40" or "3,7,10-12". Writes each program as a case directory (DIR/p<seed>/topology.json and
  input/<topic>.jsonl, the layout of topology-fixtures/run/<case>/: `differential.py STREAMS_RUN ORACLE_SH
  DIR/p<seed>` runs one again, without ORDERED). Prints one line per program and run, then a summary.
  --expect-differ SEEDS: seeds known to disagree today (a known engine divergence not fixed yet): each must still
  disagree; one that agrees fails the run, so that it moves to the agreeing seeds.
Exit status 0 when every program agrees (or is rejected by both sides) and every --expect-differ seed disagrees.
"""
import concurrent.futures
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import contextlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "oracle"))
import differential  # noqa: E402
import random_programs  # noqa: E402

CACHE_ON = "statestore.cache.max.bytes=10485760"
CACHE_OFF = "statestore.cache.max.bytes=0"
# A task whose input partition is empty waits up to max.task.idle.ms for it before processing its other partitions
# (Kafka Streams' PartitionGroup.readyToProcess). TopologyTestDriver processes every record through every
# sub-topology before the next input record; a running application with the default 0 may process a table's later
# records before a stream's repartitioned records arrive (a stream-table join behind selectKey then sees a newer
# table). Waiting makes the application take the records of a task's partitions in timestamp order, as the driver
# does. Only the engine gets it: TopologyTestDriver runs every sub-topology in one task and its wall clock moves only
# when told, so with it a task with an empty partition would hold its records for good.
ORDERED = "max.task.idle.ms=1000"
KEYS = ["a", "b", "c", "d", "e"]
VALUES = KEYS + ["1", "2", "10"]


def parse_seeds(text):
    seeds = []
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        seeds += range(int(first), int(last or first) + 1)
    return seeds


def source_topics(program):
    """The topics read by the program's sources: topic -> "stream", "table" or "globalTable"."""
    topics = {}
    for p in program["pipelines"]:
        src = p.get("source", {})
        for kind in ("stream", "table", "globalTable"):
            if kind in src:
                for t in src[kind] if isinstance(src[kind], list) else [src[kind]]:
                    topics[t] = kind
    return topics


def gen_inputs(seed, program):
    r = random.Random(f"inputs-{seed}")
    inputs = {}
    for topic, kind in sorted(source_topics(program).items()):
        if kind == "globalTable":
            # A global table is read to its end before any stream task processes a record (the global thread's
            # bootstrap), and TopologyTestDriver pipes records in timestamp order: timestamps before every other
            # topic's make both sides see the same global table.
            inputs[topic] = [{"key": r.choice(KEYS), "value": None if r.random() < 0.1 else r.choice(VALUES),
                              "timestamp": i + 1} for i in range(r.randint(3, 8))]
            continue
        t = 1000 + r.randint(0, 5000)
        records = []
        for _ in range(r.randint(6, 16)):
            step = r.random()
            if step < 0.15:
                ts = max(10, t - r.randint(1000, 90000))  # late / out of order; stream time does not move
            else:
                t += r.randint(61000, 130000) if step < 0.3 else r.randint(0, 15000)
                ts = t
            key = None if r.random() < 0.08 else r.choice(KEYS)
            value = None if r.random() < 0.1 else r.choice(VALUES)
            records.append({"key": key, "value": value, "timestamp": ts})
        inputs[topic] = records
    return inputs


def write_case(directory, program, inputs):
    """Writes a case directory; inputs of topics that no source reads (any more) are left out."""
    os.makedirs(os.path.join(directory, "input"), exist_ok=True)
    with open(os.path.join(directory, "topology.json"), "w") as f:
        json.dump(program, f, indent=1)
    read = source_topics(program)
    for topic, records in inputs.items():
        if topic not in read:
            continue
        with open(os.path.join(directory, "input", topic + ".jsonl"), "w") as f:
            f.writelines(json.dumps(rec) + "\n" for rec in records)


def input_args(directory):
    args = []
    for name in sorted(os.listdir(os.path.join(directory, "input"))):
        if name.endswith(".jsonl"):
            args += ["--input", name[:-len(".jsonl")] + "=" + os.path.join(directory, "input", name)]
    return args


def records(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def run_engine(streams_run, directory, cache):
    cmd = [streams_run, os.path.join(directory, "topology.json"), "--embedded", "-X", cache, "-X", ORDERED,
           *input_args(directory)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return None, "streams-run timed out after 300 s"
    if proc.returncode != 0:
        return None, f"streams-run: exit status {proc.returncode}: {proc.stderr.strip()[-1500:]}"
    return records(proc.stdout), None


def run_oracle_batch(oracle, jobs, workdir):
    """jobs: [(directory, cache)]. One JVM (oracle.sh run-all). Returns [(records or None, error or None)]."""
    lines, paths = [], []
    for i, (directory, cache) in enumerate(jobs):
        out, err = os.path.join(workdir, f"oracle-{i}.out"), os.path.join(workdir, f"oracle-{i}.err")
        args = [os.path.join(directory, "topology.json"), *input_args(directory), "-X", cache]
        lines.append(json.dumps({"args": args, "out": out, "err": err}))
        paths.append((out, err))
    manifest = os.path.join(workdir, "oracle-jobs.jsonl")
    with open(manifest, "w") as f:
        f.write("\n".join(lines) + "\n")
    proc = subprocess.run([oracle, "run-all", manifest], capture_output=True, text=True, timeout=3600)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"oracle.sh run-all: exit status {proc.returncode}\n{proc.stderr[-3000:]}")
    results = []
    for out, err in paths:
        status = open(err).read() if os.path.exists(err) else "no result\n"
        if not status.rstrip().endswith("exit 0"):
            results.append((None, "oracle: " + status.strip()[-1500:]))
        else:
            results.append((records(open(out).read()), None))
    return results


def run_both(streams_run, oracle, jobs, workdir, workers=4):
    """Runs every job on both sides: the oracle's JVM and the engine runs at the same time. An engine run spends
    most of its time waiting for the embedded cluster's group rebalance (about 3 s), so several run at once."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers + 1) as pool:
        oracle_future = pool.submit(run_oracle_batch, oracle, jobs, workdir)
        engine = list(pool.map(lambda job: run_engine(streams_run, *job), jobs))
        return list(zip(engine, oracle_future.result()))


def caching_changes_final_records(program):
    """Why caching may change even the final record of a key, or None. TopologyTestDriver commits, and so flushes
    every cache, after each input record; a running application flushes at commit.interval.ms, so a cache merges the
    updates of a key in between (forwarding one Change(last new value, value before the first update)). That changes
    what a consumer of a table's update stream sees: a suppression's time limit runs from another record, a table
    groupBy's adder and subtractor see other updates in another order (the final aggregate depends on it unless
    they are inverse), and a stream made of a table's updates (toStream) has fewer records for what comes next.
    Programs without these are compared with caching on."""
    ops = [op for p in program["pipelines"] for op in p.get("ops", [])]
    if any(op["op"] == "suppress" for op in ops):
        return "a suppression"
    tables = {p["as"] for p in program["pipelines"] if "as" in p and "table" in p.get("source", {})}
    for p in program["pipelines"]:
        names = [op["op"] for op in p.get("ops", [])]
        if "toStream" in names and (names[names.index("toStream") + 1:] != ["to"] or "as" in p):
            return "a table's update stream processed further"
        if p.get("from") in tables and names[:1] == ["groupBy"]:
            return "a table groupBy"
        if "as" in p and names[-1:] in (["count"], ["reduce"], ["aggregate"], ["filter"], ["mapValues"], ["join"],
                                         ["leftJoin"], ["outerJoin"], ["toTable"]):
            tables.add(p["as"])
    return None


def mode_of(program, cache):
    if cache == CACHE_ON:
        return {"compare": "final", "why": "caching on: caches flush at other times on both sides"}
    if any("foreignKey" in op for p in program["pipelines"] for op in p.get("ops", [])):
        return {"compare": "final", "why": "a foreign-key join: subscription and response topics"}
    return {}


def outcome(streams_run, name, directory, cache, engine, oracle):
    """("agree" | "differ" | "failed" | "both-failed", printed text)."""
    (e_records, e_error), (o_records, o_error) = engine, oracle
    if e_error and o_error:
        return "both-failed", f"both-failed {name}: both sides reject it\n  engine: {e_error}\n  kafka streams: {o_error}"
    if e_error or o_error:
        return "failed", f"FAILED {name}: {e_error or o_error}"
    with open(os.path.join(directory, "topology.json")) as f:
        program = json.load(f)
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        same = differential.check(name, os.path.join(directory, "topology.json"), e_records, o_records,
                                  mode_of(program, cache), streams_run, ("-X", cache))
    return ("agree" if same else "differ"), text.getvalue().rstrip()


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    streams_run, oracle, seeds = os.path.abspath(argv[0]), os.path.abspath(argv[1]), parse_seeds(argv[2])
    cache_every, expect_differ, keep = 0, set(), None
    rest = argv[3:]
    while rest:
        flag, value, rest = rest[0], rest[1] if len(rest) > 1 else None, rest[2:]
        if value is None or flag not in ("--cache-every", "--expect-differ", "--keep"):
            print(__doc__, file=sys.stderr)
            return 2
        if flag == "--cache-every":
            cache_every = int(value)
        elif flag == "--expect-differ":
            expect_differ = set(parse_seeds(value))
        else:
            keep = os.path.abspath(value)
    workdir = keep or tempfile.mkdtemp(prefix="random-run-")
    os.makedirs(workdir, exist_ok=True)
    jobs, names = [], []
    for seed in seeds:
        directory = os.path.join(workdir, f"p{seed}")
        program = random_programs.gen(seed)
        write_case(directory, program, gen_inputs(seed, program))
        jobs.append((directory, CACHE_OFF))
        names.append((seed, f"p{seed}"))
        if cache_every and seed % cache_every == 0 and not caching_changes_final_records(program):
            jobs.append((directory, CACHE_ON))
            names.append((seed, f"p{seed} (caching on)"))
    results = run_both(streams_run, oracle, jobs, workdir)
    counts, differing = {}, set()
    for (seed, name), (directory, cache), (engine, kafka) in zip(names, jobs, results):
        kind, text = outcome(streams_run, name, directory, cache, engine, kafka)
        counts[kind] = counts.get(kind, 0) + 1
        if kind in ("differ", "failed"):
            differing.add(seed)
        print(("(expected) " if seed in expect_differ and kind in ("differ", "failed") else "") + text)
    ok = True
    print(f"random differential, seeds {argv[2]}: {len(jobs)} runs of {len(seeds)} programs: "
          + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("agree", "differ", "failed", "both-failed")))
    unexpected = sorted(differing - expect_differ)
    if unexpected:
        print(f"disagreeing seeds: {','.join(map(str, unexpected))} (cases under {workdir if keep else '--keep DIR'})")
        ok = False
    now_agree = sorted(expect_differ & set(seeds) - differing)
    if now_agree:
        print(f"seeds expected to disagree that agree now (move them to the agreeing seeds): {','.join(map(str, now_agree))}")
        ok = False
    if not keep:
        subprocess.run(["rm", "-rf", workdir])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
