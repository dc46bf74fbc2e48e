#!/usr/bin/env bash
# The main job on the bundled fixtures: install, build, then describe and render the talk's example
# (slide 29, the purchase count with a named store) and show what changed from slide 27.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p out
for f in count-v1 count-v2-filter count-v3-named-store; do
  echo "== streams-describe topology-fixtures/talk/$f.topology.json"
  build/tools/streams-describe "topology-fixtures/talk/$f.topology.json"
  build/tools/streams-describe "topology-fixtures/talk/$f.topology.json" --format svg -o "out/$f.svg"
  build/tools/streams-describe "topology-fixtures/talk/$f.topology.json" --format mermaid -o "out/$f.mmd"
done
echo "Rendered out/*.svg (Graphviz) and out/*.mmd (Mermaid)."
