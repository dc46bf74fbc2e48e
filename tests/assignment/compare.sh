#!/usr/bin/env bash
# Compares the engine's task assignor with Kafka Streams' on COUNT random cluster states from SEED; on the first
# case that differs prints its input and both assignments and fails (tests/assignment/README.md).
#   tests/assignment/compare.sh DRIVER SEED COUNT WORKDIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
driver=$1 seed=$2 count=$3 work=$4
project="$here/java"
jar="$project/target/assignor-oracle.jar"
"$here/../../scripts/maven-package.sh" "$project" "$jar"
mkdir -p "$work"
python3 "$here/gen_cases.py" "$seed" "$count" > "$work/cases.txt"
java -cp "$jar:$project/target/lib/*" org.apache.kafka.streams.processor.internals.assignment.AssignorOracle \
  "$work/cases.txt" > "$work/kafka.txt"
"$driver" "$work/cases.txt" > "$work/engine.txt" 2> "$work/engine.err"
python3 - "$work" "$count" <<'PY'
import sys
work, count = sys.argv[1], int(sys.argv[2])
def cases(path):
    out, name = {}, None
    for line in open(path):
        if line.startswith("case "):
            name = line.split()[1]
            out[name] = ""
        out[name] += line
    return out
kafka, engine = cases(f"{work}/kafka.txt"), cases(f"{work}/engine.txt")
inputs = cases(f"{work}/cases.txt")
if len(kafka) != count:
    sys.exit(f"Kafka's assignor answered {len(kafka)} of {count} cases ({work}/kafka.txt)")
errors = sum(1 for text in kafka.values() if " error" in text.splitlines()[0])
for name in sorted(kafka, key=int):
    if engine.get(name) != kafka[name]:
        mine = engine.get(name, "(no answer)\n")
        print(f"case {name}: the engine's assignment differs from Kafka Streams'\n--- input\n{inputs[name]}"
              f"--- Kafka Streams\n{kafka[name]}--- engine\n{mine}", end="")
        sys.exit(1)
print(f"{count} cases: the engine assigns as Kafka Streams does ({errors} refused by both)")
PY
