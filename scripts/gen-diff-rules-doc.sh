#!/usr/bin/env bash
# Regenerates docs/diff-rules.md from the rule list (engine/diff/rule_list.cpp). A unit test and the ctest
# diff-list-rules-doc fail when the committed file is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
cmake --build "$build" --target streams-diff >/dev/null
"$build/tools/streams-diff" --list-rules --format markdown > docs/diff-rules.md
echo "docs/diff-rules.md regenerated"
