#!/usr/bin/env python3
"""One dead-letter case (tests/dlq/cases/NAME): the same poison pills through Kafka Streams and through the engine,
and their dead-letter records compared field by field (compare_dlq.py).

    dlq_case.py --oracle tests/oracle/oracle.sh --streams-run BIN --topic-dump BIN --bootstrap-server HOST:PORT
                --work DIR CASE_DIR

1. Kafka Streams: `oracle.sh run` in TopologyTestDriver with the case's properties; the records the driver wrote to
   the dead-letter topic are dumped (--dlq-out).
2. The same input records, byte for byte, written to the broker (`oracle.sh produce`, which also creates the
   dead-letter topic: Kafka Streams does not create it).
3. The engine: `streams-run` on the broker with the same properties, until the input topic is processed (an empty
   --input file: the records are already there).
4. The engine's dead-letter topic dumped (`dump_topic --bootstrap-server B --topic T`, JSON lines until the end).
5. Both runs must end as case.json says ("exit": 0 for continue, 1 for fail), Kafka Streams must have written
   "oracle_dead_letters" records, and compare_dlq.py must find no difference.

A case whose case.json says "oracle": "broker" (an error only a broker gives, such as a record larger than a topic's
max.message.bytes: TopologyTestDriver accepts every record) runs Kafka Streams' side as a real KafkaStreams instance
on the broker instead (`oracle.sh streams`, under the application id CASE-kafka-streams, before the engine, on the
same topics) and dumps its dead-letter records with `oracle.sh dump`; the engine's records follow them in the topic.
"topics" lists topics to create first, with their configs (NAME:KEY=VALUE,...).

A case directory holds topology.json, input.jsonl (run-mode input lines, tests/oracle/README.md: raw_value for a
poison pill), streams.properties (both sides), optionally oracle.properties / engine.properties (one side only,
read after streams.properties), and case.json {"input": TOPIC, "exit": N, "oracle_dead_letters": N, "oracle": "broker"?, "topics": [...]?}.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def properties(path):
    """key=value lines of a .properties file (the subset the cases use: no continuation lines)."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith(("#", "!")) and "=" in line:
                key, value = line.split("=", 1)
                out[key.strip()] = value.strip()
    return out


def run(step, argv, log, stdout=None):
    """Runs one step; its stderr (and stdout unless captured) goes to LOG. Returns the exit status."""
    with open(log, "w", encoding="utf-8") as err:
        err.write("$ " + " ".join(argv) + "\n")
        err.flush()
        out = open(stdout, "w", encoding="utf-8") if stdout else err
        try:
            p = subprocess.run(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, timeout=240)
        except subprocess.TimeoutExpired:
            err.write(f"{step}: timed out\n")
            return None
        finally:
            if stdout:
                out.close()
    return p.returncode


def run_side(who, argv, configs, log, stdout, expected, failures):
    """Runs one side with its properties files; a wrong exit status is a failure (with the log shown). The oracle
    takes --config repeatedly; streams-run takes one --config, so the engine's further files go as -X NAME=VALUE
    (which override --config, as a later file would)."""
    for i, path in enumerate(configs):
        if not who.startswith("the engine") or i == 0:
            argv = argv + ["--config", path]
        else:
            for k, v in properties(path).items():
                argv = argv + ["-X", f"{k}={v}"]
    status = run(who, argv, log, stdout=stdout)
    if status != expected:
        failures.append(f"{who} exited {status}, the case expects {expected}")
        show_log(log)


def dump(command, bootstrap, topic, log, out, failures):
    """Dumps TOPIC with a dumper (`CMD --bootstrap-server B --topic T`) to OUT; False (and a failure) when it fails."""
    status = run("dump", command + ["--bootstrap-server", bootstrap, "--topic", topic], log, stdout=out)
    if status != 0:
        show_log(log)
        failures.append(f"dumping {topic} with {command[0]} failed (exit {status})")
    return status == 0


def read_dump(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [line for line in f if line.strip()]


def show_log(log):
    with open(log, encoding="utf-8", errors="replace") as f:
        text = f.read()
    print(f"--- {os.path.basename(log)} (last lines):")
    print("\n".join(text.splitlines()[-25:]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--oracle", required=True)
    ap.add_argument("--streams-run", required=True)
    ap.add_argument("--topic-dump", required=True, help="the engine-side dumper (CMake target dump_topic)")
    ap.add_argument("--bootstrap-server", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("case")
    a = ap.parse_args()
    a.topic_dump = [a.topic_dump]
    a.oracle_dump = [a.oracle, "dump"]
    case = os.path.abspath(a.case)
    name = os.path.basename(case)
    os.makedirs(a.work, exist_ok=True)
    with open(os.path.join(case, "case.json"), encoding="utf-8") as f:
        spec = json.load(f)
    topology = os.path.join(case, "topology.json")
    records = os.path.join(case, "input.jsonl")
    configs = {side: [os.path.join(case, "streams.properties")] for side in ("oracle", "engine")}
    for side in configs:
        extra = os.path.join(case, side + ".properties")
        if os.path.exists(extra):
            configs[side].append(extra)
    dlq = {}
    for path in configs["engine"]:
        dlq.update(properties(path))
    dlq_topic = dlq.get("errors.dead.letter.queue.topic.name")
    if not dlq_topic:
        print(f"{name}: streams.properties sets no errors.dead.letter.queue.topic.name")
        return 2
    w = lambda f: os.path.join(a.work, f)
    failures = []

    on_broker = spec.get("oracle") == "broker"
    produce = [a.oracle, "produce", topology, "--bootstrap-server", a.bootstrap_server,
               "--input", f"{spec['input']}={records}", "--create-topic", dlq_topic]
    for topic in spec.get("topics", []):
        produce += ["--create-topic", topic]
    if on_broker:
        # Kafka Streams' side on the broker first, under an application id of its own; its dead-letter records are the
        # first ones of the topic, the engine's follow them.
        if run("produce", produce, w("produce.log")) != 0:
            show_log(w("produce.log"))
            print(f"{name}: writing the input to the broker failed")
            return 1
        run_side("Kafka Streams (oracle streams)",
                 [a.oracle, "streams", topology, "--bootstrap-server", a.bootstrap_server,
                  "-X", "application.id=" + name + "-kafka-streams"],
                 configs["oracle"], w("oracle.log"), w("oracle-out.jsonl"), spec["exit"], failures)
        dump(a.oracle_dump, a.bootstrap_server, dlq_topic, w("oracle-dump.log"), w("oracle-dlq.jsonl"), failures)
    else:
        run_side("Kafka Streams (oracle run)",
                 [a.oracle, "run", topology, "--input", f"{spec['input']}={records}", "--dlq-out", w("oracle-dlq.jsonl")],
                 configs["oracle"], w("oracle.log"), w("oracle-out.jsonl"), spec["exit"], failures)
    oracle_dlq = read_dump(w("oracle-dlq.jsonl"))
    if len(oracle_dlq) != spec["oracle_dead_letters"]:
        failures.append(f"Kafka Streams wrote {len(oracle_dlq)} dead-letter records, the case expects "
                        f"{spec['oracle_dead_letters']}")
    if not on_broker and run("produce", produce, w("produce.log")) != 0:
        show_log(w("produce.log"))
        print(f"{name}: writing the input to the broker failed")
        return 1

    open(w("no-input.jsonl"), "w").close()
    run_side("the engine (streams-run)",
             [a.streams_run, topology, "--bootstrap-server", a.bootstrap_server,
              "--input", f"{spec['input']}={w('no-input.jsonl')}", "--timeout", "90s", "-X", "state.dir=" + w("state")],
             configs["engine"], w("engine.log"), w("engine-out.jsonl"), spec["exit"], failures)

    if dump(a.topic_dump, a.bootstrap_server, dlq_topic, w("dump.log"), w("engine-dlq-topic.jsonl"), failures):
        engine_dlq = read_dump(w("engine-dlq-topic.jsonl"))
        if on_broker:
            # The same topic: the engine's records follow Kafka Streams' ones, and their offsets differ by that much.
            engine_dlq = engine_dlq[len(oracle_dlq):]
            oracle_dlq = [{k: v for k, v in json.loads(r).items() if k != "offset"} for r in oracle_dlq]
            with open(w("oracle-dlq.jsonl"), "w", encoding="utf-8") as f:
                f.writelines(json.dumps(r) + "\n" for r in oracle_dlq)
        # "kafka_only": indexes of Kafka Streams' dead-letter records that the engine does not write on purpose
        # (tests/dlq/README.md, "Where the engine differs on purpose"); left out of the comparison.
        kafka_only = set(spec.get("kafka_only", []))
        if kafka_only:
            print(f"{name}: Kafka Streams' dead-letter record(s) {sorted(kafka_only)} not compared (case.json kafka_only)")
            kept = [r for i, r in enumerate(oracle_dlq) if i not in kafka_only]
            with open(w("oracle-dlq.jsonl"), "w", encoding="utf-8") as f:
                f.writelines((r if isinstance(r, str) else json.dumps(r) + "\n") for r in kept)
        if spec.get("compare") == "error-headers":
            # A delivery failure the broker reports after the task moved on: Kafka Streams' dead-letter record
            # carries whatever input record the task is on then, the engine's names the result that failed
            # (tests/dlq/README.md, "Where the engine differs on purpose"); compared: the count, the topic and the
            # error headers' names, in order.
            print(f"{name}: compared: record count, topic and __streams.errors.* header names (case.json compare)")

            def reduced(lines):
                out = []
                for r in lines:
                    r = r if isinstance(r, dict) else json.loads(r)
                    names = [h[0] for h in r.get("headers", []) if h[0].startswith("__streams.errors.")]
                    out.append(json.dumps({"topic": r["topic"], "headers": [[n, "-"] for n in names]}) + "\n")
                return out

            kept = reduced(read_dump(w("oracle-dlq.jsonl")))
            with open(w("oracle-dlq.jsonl"), "w", encoding="utf-8") as f:
                f.writelines(kept)
            engine_dlq = reduced(engine_dlq)
        with open(w("engine-dlq.jsonl"), "w", encoding="utf-8") as f:
            f.writelines(engine_dlq)
        p = subprocess.run([sys.executable, os.path.join(HERE, "compare_dlq.py"), w("oracle-dlq.jsonl"),
                            w("engine-dlq.jsonl")], capture_output=True, text=True)
        sys.stdout.write(p.stdout + p.stderr)
        if p.returncode != 0:
            failures.append("the dead-letter records differ (above)")
    for failure in failures:
        print(f"{name}: {failure}")
    print(f"{name}: {'FAILED' if failures else 'ok'} (files in {a.work})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
