#!/usr/bin/env python3
"""Compares two dumps of a dead-letter topic, Kafka Streams' (the oracle) and the engine's, field by field.

    compare_dlq.py ORACLE.jsonl ENGINE.jsonl

Each dump has one JSON object per record, in topic-partition-offset order (the record dump format of
tests/dlq/README.md): {"topic", "partition", "offset", "timestamp", "key", "value", "headers": [[NAME, BYTES], ...]}.
Records are paired in order. Compared byte for byte: topic, key, value, timestamp, and every header (name, value and
position; duplicates allowed). A field that one side lacks (TopologyTestDriver gives no partition nor offset) is not
compared. The headers whose values are inherently different (INHERENT below: the engine is not Java) must be present
on both sides, in the same position, with a non-empty value.

Prints one line per difference and exits 1 when there is one; 0 when the dumps agree; 2 for unreadable input.
"""
import json
import sys

# Headers whose values differ by nature between Kafka Streams and the engine (tests/dlq/README.md says why).
INHERENT = ("__streams.errors.exception", "__streams.errors.message", "__streams.errors.stacktrace")
COMPARED = ("topic", "partition", "offset", "timestamp", "key", "value")


def load(path):
    records = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{number}: not JSON: {e}") from e
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{number}: a record must be a JSON object")
            headers = record.get("headers", [])
            if not isinstance(headers, list) or not all(
                    isinstance(h, list) and len(h) == 2 and isinstance(h[0], str) for h in headers):
                raise ValueError(f"{path}:{number}: headers must be [[NAME, BYTES], ...]")
            records.append(record)
    return records


def show(value):
    return json.dumps(value, ensure_ascii=False)


def empty(value):
    return value is None or value == "" or (isinstance(value, dict) and value.get("base64") == "")


def compare_headers(where, oracle, engine):
    out = []
    for i in range(max(len(oracle), len(engine))):
        o = oracle[i] if i < len(oracle) else None
        e = engine[i] if i < len(engine) else None
        if o is None:
            out.append(f"{where}: header {i} {show(e[0])}: only the engine has it ({show(e[1])})")
            continue
        if e is None:
            out.append(f"{where}: header {i} {show(o[0])}: the engine lacks it (oracle: {show(o[1])})")
            continue
        if o[0] != e[0]:
            out.append(f"{where}: header {i}: name {show(e[0])}, oracle {show(o[0])}")
            continue
        if o[0] in INHERENT:
            for side, value in (("oracle", o[1]), ("engine", e[1])):
                if empty(value):
                    out.append(f"{where}: header {show(o[0])}: empty on the {side} side")
        elif o[1] != e[1]:
            out.append(f"{where}: header {show(o[0])}: engine {show(e[1])}, oracle {show(o[1])}")
    return out


def compare(oracle, engine):
    """The differences between two lists of dump records, one message each."""
    out = []
    if len(oracle) != len(engine):
        out.append(f"record count: engine {len(engine)}, oracle {len(oracle)}")
    for i, (o, e) in enumerate(zip(oracle, engine)):
        where = f"record {i}"
        for field in COMPARED:
            if field in o and field in e and o[field] != e[field]:
                out.append(f"{where}: {field}: engine {show(e[field])}, oracle {show(o[field])}")
        out.extend(compare_headers(where, o.get("headers", []), e.get("headers", [])))
    for i in range(len(engine), len(oracle)):
        out.append(f"record {i}: only in the oracle's dump: {show(oracle[i].get('value'))}")
    for i in range(len(oracle), len(engine)):
        out.append(f"record {i}: only in the engine's dump: {show(engine[i].get('value'))}")
    return out


def main(argv):
    if len(argv) != 3:
        print("usage: compare_dlq.py ORACLE.jsonl ENGINE.jsonl", file=sys.stderr)
        return 2
    try:
        oracle, engine = load(argv[1]), load(argv[2])
    except (OSError, ValueError) as e:
        print(f"compare_dlq: {e}", file=sys.stderr)
        return 2
    differences = compare(oracle, engine)
    for d in differences:
        print(d)
    if differences:
        print(f"compare_dlq: {len(differences)} difference(s) between {argv[1]} (oracle) and {argv[2]} (engine)")
        return 1
    print(f"compare_dlq: {len(oracle)} dead-letter record(s) agree")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
