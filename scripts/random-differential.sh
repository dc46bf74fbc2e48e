#!/usr/bin/env bash
# The random run differential over any range of seeds, for longer than the test suite's fixed set (ctest
# differential-random): random programs and inputs, this engine against Kafka Streams' TopologyTestDriver
# (tests/differential/random_run.py says what is generated and compared).
#   scripts/random-differential.sh SEEDS [BUILD_DIR] [random_run.py options]
#   scripts/random-differential.sh 1000-1199 build --cache-every 4 --keep /tmp/random-cases
# Prints one line per program, a summary, and the disagreeing seeds; reduce one with
#   tests/differential/reduce_case.py BUILD_DIR/tools/streams-run tests/oracle/oracle.sh /tmp/random-cases/p<seed> OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
seeds=$1
shift
build=build
if [ $# -ge 1 ] && [ "${1#-}" = "$1" ]; then build=$1; shift; fi
[ -x "$build/tools/streams-run" ] || { echo "random-differential.sh: $build/tools/streams-run not built" >&2; exit 2; }
exec python3 tests/differential/random_run.py "$build/tools/streams-run" tests/oracle/oracle.sh "$seeds" "$@"
