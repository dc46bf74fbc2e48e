#!/usr/bin/env bash
# `streams-run --embedded` start-up, end to end: runs the bundled purchase count (topology-fixtures/talk, the job
# scripts/demo.sh runs) several times and prints, per run and as the median, the time from the process's start to
# its first processed record (the stream threads' process-total metric, read from the Prometheus endpoint every
# 5 ms) and to its exit. See docs/runtime.md, "`--embedded`".
#   scripts/bench-embedded-start.sh [STREAMS_RUN] [RUNS]     defaults: build/tools/streams-run, 5
# Environment: BENCH_METRICS_PORT, the port of the metrics endpoint (default 40293); BENCH_MAX_FIRST_S, when set,
# makes the script fail when the median time to the first processed record reaches it (the ctest run-embedded-start).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
streams_run=${1:-$here/build/tools/streams-run}
runs=${2:-5}
port=${BENCH_METRICS_PORT:-40293}
max_first=${BENCH_MAX_FIRST_S:-}
talk=$here/topology-fixtures/talk
python3 - "$streams_run" "$runs" "$port" "$talk" "$max_first" <<'PY'
import statistics, subprocess, sys, time, urllib.request

streams_run, runs, port, talk, max_first = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
command = [streams_run, f"{talk}/count-v3-named-store.topology.json", "--embedded",
           "--input", f"input={talk}/input/input.jsonl", "-X", f"metrics.prometheus.port={port}"]

def processed():
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=0.5) as answer:
            text = answer.read().decode()
    except OSError:
        return 0
    return sum(float(line.split()[-1]) for line in text.splitlines()
               if line.startswith("kafka_streams_stream_thread_metrics_process_total{"))

first, total = [], []
for i in range(runs):
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = None
    while process.poll() is None:
        if seen is None and processed() > 0:
            seen = time.monotonic() - start
        time.sleep(0.005)
    end = time.monotonic() - start
    if process.returncode != 0:
        sys.exit(f"run {i + 1}: {streams_run} exited with {process.returncode}")
    if seen is None:
        sys.exit(f"run {i + 1}: no processed record seen before the exit")
    first.append(seen)
    total.append(end)
    print(f"run {i + 1}: first record processed {seen:.3f} s, exit {end:.3f} s")
print(f"median of {runs}: first record processed {statistics.median(first):.3f} s, "
      f"exit {statistics.median(total):.3f} s")
if max_first and statistics.median(first) >= float(max_first):
    sys.exit(f"the median time to the first processed record reached {max_first} s")
PY
