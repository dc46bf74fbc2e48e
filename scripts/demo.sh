#!/usr/bin/env bash
# The main job on the bundled fixtures (topology-fixtures/talk, three versions of a purchase count):
# install, build, describe and render each version, check the upgrade that inserts a filter before the count
# with streams-diff, and run the version with a named store on the embedded cluster (no Kafka needed) over
# sample input.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p out
talk=topology-fixtures/talk
for f in count-v1 count-v2-filter count-v3-named-store; do
  echo "== streams-describe $talk/$f.topology.json"
  build/tools/streams-describe "$talk/$f.topology.json"
  build/tools/streams-describe "$talk/$f.topology.json" --format svg -o "out/$f.svg"
  build/tools/streams-describe "$talk/$f.topology.json" --format mermaid -o "out/$f.mmd"
done
echo "Rendered out/*.svg (Graphviz) and out/*.mmd (Mermaid)."
echo
echo "== streams-diff $talk/count-v1.topology.json $talk/count-v2-filter.topology.json"
status=0
build/tools/streams-diff "$talk/count-v1.topology.json" "$talk/count-v2-filter.topology.json" || status=$?
echo "(streams-diff exit status $status: 1 means the change is not compatible with a rolling bounce)"
echo
echo "== streams-run $talk/count-v3-named-store.topology.json --embedded --input input=$talk/input/input.jsonl"
build/tools/streams-run "$talk/count-v3-named-store.topology.json" --embedded --input "input=$talk/input/input.jsonl"
