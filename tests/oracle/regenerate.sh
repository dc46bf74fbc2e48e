#!/usr/bin/env bash
# Rewrites every expected describe() text from the Kafka Streams oracle, in one JVM:
#   topology-fixtures/dsl/<case>/topology.json   -> topology-fixtures/dsl/<case>/expected.txt
#   topology-fixtures/talk/<name>.topology.json  -> topology-fixtures/talk/<name>.expected.txt
# and, in a second JVM, Kafka's list of the generated internal names of each (what
# ensure.explicit.internal.resource.naming=true refuses, KIP-1111):
#   topology-fixtures/dsl/<case>/topology.json   -> topology-fixtures/dsl/<case>/generated-names.txt
#   topology-fixtures/talk/<name>.topology.json  -> topology-fixtures/talk/<name>.generated-names.txt
#   topology-fixtures/naming/<name>.topology.json -> topology-fixtures/naming/<name>.generated-names.txt
# With --check nothing is written: the oracle's output goes to a temporary directory and every
# difference from the committed files is printed; exit 1 when a fixture is stale (ctest
# oracle-fixtures-up-to-date runs this).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
check=0
[ "${1:-}" = "--check" ] && check=1

pairs=()
expected=()
names=()
for f in "$root"/topology-fixtures/dsl/*/topology.json; do
  pairs+=("$f")
  expected+=("$(dirname "$f")/expected.txt")
  names+=("$(dirname "$f")/generated-names.txt")
done
for f in "$root"/topology-fixtures/talk/*.topology.json; do
  pairs+=("$f")
  expected+=("${f%.topology.json}.expected.txt")
  names+=("${f%.topology.json}.generated-names.txt")
done
[ ${#pairs[@]} -gt 0 ] || { echo "regenerate.sh: no fixtures found" >&2; exit 1; }
# The naming fixtures (streams-describe --lint) are checked for their generated names only.
naming_only=()
naming_only_out=()
for f in "$root"/topology-fixtures/naming/*.topology.json; do
  naming_only+=("$f")
  naming_only_out+=("${f%.topology.json}.generated-names.txt")
done

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
stale=0
args=()
naming_args=()
for i in "${!pairs[@]}"; do
  args+=("${pairs[$i]}=$out/$i.txt")
  naming_args+=("${pairs[$i]}=$out/$i.names.txt")
done
"$root/tests/oracle/oracle.sh" describe-all "${args[@]}"
for i in "${!naming_only[@]}"; do naming_args+=("${naming_only[$i]}=$out/naming-$i.names.txt"); done
"$root/tests/oracle/oracle.sh" naming-all "${naming_args[@]}"
for i in "${!naming_only[@]}"; do
  if [ "$check" -eq 1 ]; then
    if ! diff -u --label "${naming_only_out[$i]#$root/} (committed)" --label "oracle" "${naming_only_out[$i]}" \
        "$out/naming-$i.names.txt"; then
      stale=1
    fi
  else
    cp "$out/naming-$i.names.txt" "${naming_only_out[$i]}"
  fi
done

for i in "${!pairs[@]}"; do
  if [ "$check" -eq 1 ]; then
    if ! diff -u --label "${expected[$i]#$root/} (committed)" --label "oracle" "${expected[$i]}" "$out/$i.txt"; then
      stale=1
    fi
    if ! diff -u --label "${names[$i]#$root/} (committed)" --label "oracle" "${names[$i]}" "$out/$i.names.txt"; then
      stale=1
    fi
  else
    cp "$out/$i.txt" "${expected[$i]}"
    cp "$out/$i.names.txt" "${names[$i]}"
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
