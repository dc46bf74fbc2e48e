#!/usr/bin/env bash
# Rewrites every expected describe() text from the Kafka Streams oracle, in one JVM:
#   topology-fixtures/dsl/<case>/topology.json   -> topology-fixtures/dsl/<case>/expected.txt
#   topology-fixtures/talk/<name>.topology.json  -> topology-fixtures/talk/<name>.expected.txt
# With --check nothing is written: the oracle's output goes to a temporary directory and every
# difference from the committed files is printed; exit 1 when a fixture is stale (ctest
# oracle-fixtures-up-to-date runs this).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
check=0
[ "${1:-}" = "--check" ] && check=1

pairs=()
expected=()
for f in "$root"/topology-fixtures/dsl/*/topology.json; do
  pairs+=("$f")
  expected+=("$(dirname "$f")/expected.txt")
done
for f in "$root"/topology-fixtures/talk/*.topology.json; do
  pairs+=("$f")
  expected+=("${f%.topology.json}.expected.txt")
done
[ ${#pairs[@]} -gt 0 ] || { echo "regenerate.sh: no fixtures found" >&2; exit 1; }

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
args=()
for i in "${!pairs[@]}"; do args+=("${pairs[$i]}=$out/$i.txt"); done
"$root/tests/oracle/oracle.sh" describe-all "${args[@]}"

stale=0
for i in "${!pairs[@]}"; do
  if [ "$check" -eq 1 ]; then
    if ! diff -u --label "${expected[$i]#$root/} (committed)" --label "oracle" "${expected[$i]}" "$out/$i.txt"; then
      stale=1
    fi
  else
    cp "$out/$i.txt" "${expected[$i]}"
  fi
done
if [ "$check" -eq 1 ]; then
  if [ "$stale" -ne 0 ]; then
    echo "regenerate.sh: fixtures are stale; run tests/oracle/regenerate.sh and review the diff" >&2
    exit 1
  fi
  echo "regenerate.sh: ${#pairs[@]} fixtures match the oracle"
else
  echo "regenerate.sh: wrote ${#pairs[@]} expected files"
fi
