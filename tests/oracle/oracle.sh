#!/usr/bin/env bash
# Runs the Kafka Streams oracle (tests/oracle/java) after building it when its sources are newer than
# the jar. The first build downloads kafka-streams and the Maven plugins (online); later builds work
# offline. Usage:
#   tests/oracle/oracle.sh describe FILE.topology.json      describe() text on stdout
#   tests/oracle/oracle.sh describe-all IN=OUT ...          many files, one JVM
#   tests/oracle/oracle.sh run FILE --input TOPIC=F.jsonl   TopologyTestDriver run (JSON lines)
#   tests/oracle/oracle.sh build                            only build
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="$here/java"
jar="$project/target/oracle.jar"

build() {
  local stale=0
  if [ ! -f "$jar" ] || [ ! -d "$project/target/lib" ]; then
    stale=1
  elif [ -n "$(find "$project/pom.xml" "$project/src" -newer "$jar" -print -quit)" ]; then
    stale=1
  fi
  [ "$stale" -eq 0 ] && return 0
  command -v mvn >/dev/null || { echo "oracle.sh: mvn not found (install maven and a JDK 17)" >&2; exit 3; }
  # Offline first (fast, no network); online when something is missing from ~/.m2.
  if ! mvn -q -o -B -f "$project/pom.xml" package >/dev/null 2>&1; then
    mvn -q -B -f "$project/pom.xml" package >&2
  fi
}

build
[ "${1:-}" = "build" ] && exit 0
exec java -cp "$jar:$project/target/lib/*" oracle.Oracle "$@"
