#!/usr/bin/env bash
# Builds (when its sources are newer than the jar) and runs the Kafka Streams (Java) side of bench/engine_bench.cpp.
# The first build downloads kafka-streams and the Maven plugins (online); later builds work offline.
#   bench/kafka-streams-java/run.sh --topology stateless|stateful|restore|windowed|join --bootstrap HOST:PORT --application-id ID \
#       --input TOPIC --output TOPIC --records N [--commit-interval-ms MS] [--cache-max-bytes B] [--timeout-seconds S]
#   bench/kafka-streams-java/run.sh build        only build
# Prints `records=N seconds=S rate=R startup_seconds=T` on stdout (see src/main/java/bench/KafkaStreamsBench.java).
# KAFKA_STREAMS_BENCH_JAVA_OPTS adds JVM options (default: none, the JVM's own defaults).
set -euo pipefail
project="$(cd "$(dirname "$0")" && pwd)"
jar="$project/target/kafka-streams-bench.jar"

build() { "$project/../../scripts/maven-package.sh" "$project" "$jar"; }

build
[ "${1:-}" = "build" ] && exit 0
# shellcheck disable=SC2086
exec java ${KAFKA_STREAMS_BENCH_JAVA_OPTS:-} -cp "$jar:$project/target/lib/*" bench.KafkaStreamsBench "$@"
