#!/usr/bin/env python3
"""Checks compare_dlq.py on hand-written dumps: dumps that agree (up to the inherent headers and the fields the
oracle lacks) pass, and each kind of difference fails with a line naming it.

    compare_dlq_test.py
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
COMPARER = os.path.join(HERE, "compare_dlq.py")


def oracle_record(**changes):
    """A dead-letter record as the oracle dumps it (no partition nor offset)."""
    record = {
        "topic": "app-dlq", "timestamp": 2000, "key": "b", "value": "{not json",
        "headers": [["trace", "t2"], ["bin", {"base64": "/wA="}],
                    ["__streams.errors.exception", "java.lang.IllegalArgumentException"],
                    ["__streams.errors.message", "invalid JSON: Unexpected character ('n' (code 110))"],
                    ["__streams.errors.stacktrace", "java.lang.IllegalArgumentException: invalid JSON\n\tat ..."],
                    ["__streams.errors.topic", "orders"], ["__streams.errors.partition", "0"],
                    ["__streams.errors.offset", "1"]],
    }
    record.update(changes)
    return record


def engine_record(**changes):
    """The same record as the engine's dumper prints it: its own position, its own error texts."""
    record = oracle_record()
    record = {"topic": record["topic"], "partition": 0, "offset": 0, **{k: v for k, v in record.items() if k != "topic"}}
    headers = [list(h) for h in record["headers"]]
    headers[2][1] = "streams::FormatError"
    headers[3][1] = "value is not valid JSON: syntax error at byte 2"
    headers[4][1] = "streams-run: deserialization of orders-0@1 at KSTREAM-SOURCE-0000000000"
    record["headers"] = headers
    record.update(changes)
    return record


def with_header(record, index, value):
    headers = [list(h) for h in record["headers"]]
    headers[index][1] = value
    return {**record, "headers": headers}


def run(oracle, engine):
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, records in (("oracle.jsonl", oracle), ("engine.jsonl", engine)):
            path = os.path.join(tmp, name)
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(json.dumps(r) + "\n" for r in records)
            paths.append(path)
        p = subprocess.run([sys.executable, COMPARER, *paths], capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr


FAILURES = []


def expect(name, oracle, engine, status, needle=None):
    code, output = run(oracle, engine)
    if code != status or (needle is not None and needle not in output):
        FAILURES.append(f"{name}: exit {code} (expected {status}), output lacks {needle!r}:\n{output}")


def main():
    o, e = oracle_record(), engine_record()
    expect("agree up to the inherent headers", [o], [e], 0, "1 dead-letter record(s) agree")
    expect("two empty dumps agree", [], [], 0)
    expect("a value differs", [o], [engine_record(value="{not json}")], 1,
           'record 0: value: engine "{not json}", oracle "{not json"')
    expect("a key differs", [o], [engine_record(key=None)], 1, "record 0: key: engine null")
    expect("the timestamp differs", [o], [engine_record(timestamp=2001)], 1, "timestamp: engine 2001, oracle 2000")
    expect("the topic differs", [o], [engine_record(topic="other-dlq")], 1, 'topic: engine "other-dlq"')
    expect("bytes that are not UTF-8 differ from text", [o], [with_header(e, 1, "\u00ff")], 1,
           'header "bin": engine "\u00ff", oracle {"base64": "/wA="}')
    expect("the offset header differs", [o], [with_header(e, 7, "2")], 1,
           'header "__streams.errors.offset": engine "2", oracle "1"')
    expect("the partition header differs", [o], [with_header(e, 6, None)], 1,
           'header "__streams.errors.partition": engine null')
    expect("an inherent header is empty", [o], [with_header(e, 2, "")], 1,
           'header "__streams.errors.exception": empty on the engine side')
    expect("an inherent header is null on the oracle side", [with_header(o, 3, None)], [e], 1,
           'header "__streams.errors.message": empty on the oracle side')
    swapped = {**e, "headers": [e["headers"][1], e["headers"][0], *e["headers"][2:]]}
    expect("headers in another order", [o], [swapped], 1, 'header 0: name "bin", oracle "trace"')
    expect("a header missing", [o], [{**e, "headers": e["headers"][:-1]}], 1,
           'header 7 "__streams.errors.offset": the engine lacks it')
    expect("an extra header", [o], [{**e, "headers": [*e["headers"], ["extra", "x"]]}], 1,
           'header 8 "extra": only the engine has it')
    expect("a record missing", [o, o], [e], 1, "record count: engine 1, oracle 2")
    expect("an extra record", [o], [e, e], 1, "record 1: only in the engine's dump")
    expect("partition and offset compared when both sides give them", [{**o, "offset": 3}], [e], 1,
           "record 0: offset: engine 0, oracle 3")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write("{not a record\n")
    p = subprocess.run([sys.executable, COMPARER, f.name, f.name], capture_output=True, text=True)
    os.unlink(f.name)
    if p.returncode != 2 or "not JSON" not in p.stderr:
        FAILURES.append(f"unreadable dump: exit {p.returncode}, {p.stderr!r}")
    for failure in FAILURES:
        print("FAILED " + failure)
    checks = 18
    print(f"{checks - len(FAILURES)} passed, {len(FAILURES)} failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
