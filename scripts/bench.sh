#!/usr/bin/env bash
# The whole benchmark in one command: builds engine_bench and processing_bench (Release, in build-bench), starts a
# benchmark broker on fresh storage (G1 and the full JIT, 2 GiB heap: a production broker's settings, not the test
# broker's), runs engine_bench against it with the Kafka Streams (Java) rows, stops the broker however the run ends,
# then runs processing_bench (no Kafka). The machine's load (uptime) is printed before and after: the rates depend
# on it. See docs/runtime.md, "Benchmark".
#   scripts/bench.sh [ENGINE_BENCH_OPTION ...]      e.g. scripts/bench.sh --rounds 5, scripts/bench.sh --eos
# Environment:
#   KAFKA_BROKER_PORT   the broker's port (default 39692; the controller listens on the next one)
#   BENCH_BUILD_DIR     the build directory (default build-bench); the broker lives in BUILD_DIR/kafka-broker
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD_DIR:-$here/build-bench}
export KAFKA_BROKER_PORT=${KAFKA_BROKER_PORT:-39692}
broker_dir=$build/kafka-broker

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target engine_bench processing_bench
"$here/bench/kafka-streams-java/run.sh" build

stop_broker() { "$here/scripts/kafka-broker.sh" stop "$broker_dir" >&2 || true; }
trap stop_broker EXIT
trap 'exit 130' INT TERM
KAFKA_BROKER_HEAP=2g KAFKA_BROKER_JVM_OPTS=-XX:+UseG1GC "$here/scripts/kafka-broker.sh" start "$broker_dir"
echo "load before: $(uptime)"
"$build/bench/engine_bench" --bootstrap "127.0.0.1:$KAFKA_BROKER_PORT" \
  --kafka-streams "$here/bench/kafka-streams-java/run.sh" "$@"
echo "load after: $(uptime)"
stop_broker
trap - EXIT
"$build/bench/processing_bench"
