#!/usr/bin/env bash
# Runs the Kafka Streams oracle (tests/oracle/java) after building it when its sources are newer than
# the jar. The first build downloads kafka-streams and the Maven plugins (online); later builds work
# offline. Usage:
#   tests/oracle/oracle.sh describe FILE.topology.json      describe() text on stdout
#   tests/oracle/oracle.sh describe-all IN=OUT ...          many files, one JVM
#   tests/oracle/oracle.sh run FILE --input TOPIC=F.jsonl   TopologyTestDriver run (JSON lines)
#   tests/oracle/oracle.sh property-names                   the Kafka jars' property names
#   tests/oracle/oracle.sh build                            only build
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="$here/java"
jar="$project/target/oracle.jar"

build() { "$here/../../scripts/maven-package.sh" "$project" "$jar"; }

build
[ "${1:-}" = "build" ] && exit 0
exec java -cp "$jar:$project/target/lib/*" oracle.Oracle "$@"
