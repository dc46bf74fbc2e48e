#!/usr/bin/env python3
"""streams-run's metrics, read as an operator reads them.

  metrics_test.py embedded STREAMS_RUN REPO_ROOT
      --embedded batch run of the purchase count on 3 records, one with a null key (the count drops it, as Kafka
      Streams does): --metrics-json written at shutdown holds process-total 3, dropped-records-total 1 for the task,
      alive-stream-threads 0, failed-stream-threads 0, state NOT_RUNNING. A thread that fails (a jq error): exit 1,
      failed-stream-threads 1 and state ERROR in the JSON.
  metrics_test.py broker STREAMS_RUN REPO_ROOT   (bootstrap from $STREAMS_TEST_BOOTSTRAP)
      a batch run loads the records into a fresh topic; a service run (no --input) of another application with
      metrics.prometheus.port set is scraped over plain HTTP while it runs: alive-stream-threads 1, process-total
      reaches 3 (the records processed), dropped-records-total 1, state RUNNING; after SIGTERM (exit 0) its
      --metrics-json has the same totals and alive-stream-threads 0. Started again without its local state, it
      restores the count's changelog: restore-records-total 2 (and the task-level restore metrics at DEBUG).
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

RECORDS = [
    '{"key": "alice", "value": "coffee beans", "timestamp": 1000}',
    '{"key": null, "value": "no customer", "timestamp": 1500}',
    '{"key": "bob", "value": "chocolate", "timestamp": 2000}',
]


def fail(message, *logs):
    print("metrics_test: " + message, file=sys.stderr)
    for path in logs:
        if os.path.exists(path):
            print("--- " + path, file=sys.stderr)
            print(open(path).read(), file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scrape(port):
    """GET /metrics with a plain socket; the Prometheus text, or None when nothing answers yet."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
    except OSError:
        return None
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        fail("GET /metrics answered " + head.split(b"\r\n")[0].decode())
    if b"text/plain; version=0.0.4" not in head:
        fail("GET /metrics is not Prometheus' text format: " + head.decode())
    return body.decode()


def samples(text):
    """{(name, frozenset(labels)): value} of a Prometheus text."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        series, value = line.rsplit(" ", 1)
        name, _, labels = series.partition("{")
        pairs = frozenset(tuple(p.split("=", 1)) for p in labels.rstrip("}").split(",") if p) if labels else frozenset()
        out[(name, pairs)] = float(value)
    return out


def total(metrics, name):
    """The sum of a metric over its label sets (a task-level metric summed over the tasks)."""
    return sum(v for (n, _), v in metrics.items() if n == name)


def json_values(path):
    doc = json.load(open(path))
    out = {}
    for m in doc["metrics"]:
        out.setdefault((m["group"], m["name"]), []).append(m["value"])
    return out


def check_json(path, state, logs):
    values = json_values(path)

    def one(group, name):
        if (group, name) not in values:
            fail(f"{path} has no {group} {name}", *logs)
        return values[(group, name)]

    checks = [
        (sum(one("stream-thread-metrics", "process-total")), 3, "process-total"),
        (sum(one("stream-task-metrics", "dropped-records-total")), 1, "dropped-records-total"),
        (one("stream-metrics", "alive-stream-threads"), [0], "alive-stream-threads"),
        (one("stream-metrics", "failed-stream-threads"), [0], "failed-stream-threads"),
        (one("stream-metrics", "state"), [state], "state"),
    ]
    for got, want, what in checks:
        if got != want:
            fail(f"{path}: {what} is {got}, expected {want}", *logs)


def embedded(run, root):
    work = tempfile.mkdtemp()
    inputs = os.path.join(work, "purchases.jsonl")
    open(inputs, "w").write("\n".join(RECORDS) + "\n")
    out, err, dump = (os.path.join(work, n) for n in ("out.jsonl", "run.err", "metrics.json"))
    with open(out, "w") as o, open(err, "w") as e:
        status = subprocess.call([run, "topology-fixtures/run/purchase-count/topology.json", "--embedded",
                                  "--input", "purchases=" + inputs, "--metrics-json", dump], cwd=root, stdout=o, stderr=e)
    if status != 0:
        fail(f"exit status {status}", err)
    check_json(dump, "NOT_RUNNING", [err])

    # A thread that fails (a jq error on the record): exit 1, and the JSON written before the error names it.
    topology = json.load(open(os.path.join(root, "topology-fixtures/run/purchase-count/topology.json")))
    topology["pipelines"][0]["ops"].insert(0, {"op": "mapValues", "mapper": "$value | tonumber"})
    path = os.path.join(work, "failing.topology.json")
    json.dump(topology, open(path, "w"))
    failing = os.path.join(work, "failing.json")
    with open(err, "w") as e:
        status = subprocess.call([run, path, "--embedded", "--input", "purchases=" + inputs, "--metrics-json", failing],
                                 cwd=root, stdout=subprocess.DEVNULL, stderr=e)
    if status != 1:
        fail(f"exit status {status} for a failing thread (expected 1)", err)
    values = json_values(failing)
    if values.get(("stream-metrics", "failed-stream-threads")) != [1] or values.get(("stream-metrics", "state")) != ["ERROR"]:
        fail(f"{failing}: failed-stream-threads {values.get(('stream-metrics', 'failed-stream-threads'))}, state "
             f"{values.get(('stream-metrics', 'state'))} (expected [1], ['ERROR'])", err)
    print("metrics_test: ok (embedded: process-total 3, dropped-records-total 1 in --metrics-json; a failed thread "
          "counted in failed-stream-threads)")


def serve_and_scrape(args, port, err, expected, more_checks=None):
    """Starts a service run, scrapes /metrics until the first expected (metric, value) is reached (60 s at most),
    checks every expected value (summed over label sets), then stops it with SIGTERM: exit status 0."""
    with open(err, "w") as e:
        service = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=e)
    try:
        deadline = time.time() + 60
        metrics = {}
        while time.time() < deadline:
            if service.poll() is not None:
                fail(f"the service run ended with status {service.returncode} before it was signalled", err)
            text = scrape(port)
            if text is not None:
                metrics = samples(text)
                if total(metrics, expected[0][0]) >= expected[0][1]:
                    break
            time.sleep(0.2)
        for name, want in expected:
            if total(metrics, name) != want:
                fail(f"scraped {name} is {total(metrics, name)}, expected {want}: {sorted(metrics.items())}", err)
        if more_checks:
            more_checks(metrics)
        service.send_signal(signal.SIGTERM)
        status = service.wait(timeout=60)
    finally:
        if service.poll() is None:
            service.kill()
    if status != 0:
        fail(f"exit status {status} after SIGTERM", err)


def broker(run, root):
    bootstrap = os.environ.get("STREAMS_TEST_BOOTSTRAP")
    if not bootstrap:
        fail("STREAMS_TEST_BOOTSTRAP is set by the kafka_broker fixture")
    work = tempfile.mkdtemp()
    suffix = f"{os.getpid()}-{time.time_ns()}"
    topic = "metrics-purchases-" + suffix
    topology = json.load(open(os.path.join(root, "topology-fixtures/run/purchase-count/topology.json")))
    topology["pipelines"][0]["source"]["stream"] = topic
    topology["pipelines"][0]["ops"][-1]["topic"] = "metrics-counts-" + suffix
    topology["config"]["application.id"] = "metrics-load-" + suffix
    path = os.path.join(work, "topology.json")
    json.dump(topology, open(path, "w"))
    inputs = os.path.join(work, "purchases.jsonl")
    open(inputs, "w").write("\n".join(RECORDS) + "\n")
    common = ["-X", "bootstrap.servers=" + bootstrap, "-X", "state.dir=" + os.path.join(work, "state"),
              "-X", "commit.interval.ms=100"]
    load_err = os.path.join(work, "load.err")
    with open(load_err, "w") as e:
        if subprocess.call([run, path, *common, "--input", f"{topic}={inputs}"], stdout=subprocess.DEVNULL, stderr=e):
            fail("the batch run that loads the input failed", load_err)

    port = free_port()
    service_args = [run, path, *common, "-X", "application.id=metrics-service-" + suffix,
                    "-X", f"metrics.prometheus.port={port}", "-X", "metrics.prometheus.host=127.0.0.1"]
    err, dump = os.path.join(work, "service.err"), os.path.join(work, "metrics.json")
    client = "metrics-service-" + suffix
    running = ("kafka_streams_stream_metrics_state", frozenset({("client_id", f'"{client}"'), ("state", '"RUNNING"')}))
    serve_and_scrape(service_args + ["--metrics-json", dump], port, err, [
        ("kafka_streams_stream_thread_metrics_process_total", 3),
        ("kafka_streams_stream_task_metrics_dropped_records_total", 1),
        ("kafka_streams_stream_metrics_alive_stream_threads", 1),
        ("kafka_streams_stream_metrics_failed_stream_threads", 0),
    ], lambda metrics: metrics.get(running) == 1 or fail(f"no state RUNNING for client {client} in {sorted(metrics)}", err))
    check_json(dump, "NOT_RUNNING", [err])

    # Without its local state, the next start restores the count's changelog (2 records: alice 1, bob 1, the cache
    # being off in this topology): restore-records-total 2, and with DEBUG the task's restore-total 2 and
    # restore-remaining-records-total 0.
    shutil.rmtree(os.path.join(work, "state"))
    serve_and_scrape(service_args + ["-X", "metrics.recording.level=DEBUG"], port, os.path.join(work, "restore.err"), [
        ("kafka_streams_stream_state_updater_metrics_restore_records_total", 2),
        ("kafka_streams_stream_task_metrics_restore_total", 2),
        ("kafka_streams_stream_task_metrics_restore_remaining_records_total", 0),
    ])
    print(f"metrics_test: ok (broker: scraped process-total 3, dropped-records-total 1 on port {port}; "
          "restore-records-total 2 after the local state was removed)")


if __name__ == "__main__":
    mode, run, root = sys.argv[1:4]
    {"embedded": embedded, "broker": broker}[mode](run, root)
