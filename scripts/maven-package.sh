#!/usr/bin/env bash
# Packages a Maven project when its sources are newer than its jar (or the jar or target/lib is missing): offline
# first (fast, no network), online when something is missing from ~/.m2. Shared by the Java helpers of the tests and
# benchmarks (tests/oracle/oracle.sh, bench/kafka-streams-java/run.sh).
#   scripts/maven-package.sh PROJECT_DIR JAR
set -euo pipefail
project=$1 jar=$2
if [ -f "$jar" ] && [ -d "$project/target/lib" ] &&
   [ -z "$(find "$project/pom.xml" "$project/src" -newer "$jar" -print -quit)" ]; then
  exit 0
fi
command -v mvn >/dev/null || { echo "maven-package.sh: mvn not found (install maven and a JDK 17)" >&2; exit 3; }
# copy-dependencies adds to target/lib and never removes: after a version change the old jars (kafka-streams-4.1.0.jar
# beside 4.4.0's) would stay on the `target/lib/*` class path.
rm -rf "$project/target/lib"
if ! mvn -q -o -B -f "$project/pom.xml" package >/dev/null 2>&1; then
  mvn -q -B -f "$project/pom.xml" package >&2
fi
