#!/usr/bin/env bash
# The GitHub Action's gate (scripts/topology-gate.sh) without GitHub: a temporary repository with a base commit and
# pull request heads, the GITHUB_* variables a pull_request workflow sets, and three pull requests: a compatible
# change (plus a topology new in the head, described), a blocking one (a filter before a count renames its store)
# and the same allowed with ALLOW=reset-required. Checks the exit status, the annotations (the log) and the checks
# summary against golden files in tests/action/golden/ (STREAMS_UPDATE_GOLDEN=1 rewrites them), the artifacts (HTML
# render, markdown and JSON reports) and the step outputs.
# Usage: gate_test.sh TOOLS_DIR SOURCE_DIR
set -euo pipefail
tools=$1 src=$2
golden_dir=$src/tests/action/golden
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Fixed identities and dates: the commits, and so the base's short id in the reports, are the same every run.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES=$work
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"

repo=$work/repo
mkdir -p "$repo/services/orders/app" "$repo/services/payments"
git -C "$repo" init -q -b main
cp "$src/topology-fixtures/talk/count-v1.topology.json" "$repo/services/orders/app/orders.topology.json"
cp "$src/topology-fixtures/upgrades/talk-count-v2-filter-pinned/old.topology.json" "$repo/services/payments/payments.topology.json"
echo "unrelated" >"$repo/README.md"
git -C "$repo" add . && git -C "$repo" commit -q -m "base"
base_sha=$(git -C "$repo" rev-parse HEAD)

# Pull request 1: a compatible change of payments, a new topology, orders unchanged.
git -C "$repo" checkout -q -b compatible
cp "$src/topology-fixtures/upgrades/talk-count-v2-filter-pinned/new.topology.json" "$repo/services/payments/payments.topology.json"
mkdir -p "$repo/services/shipping"
cp "$src/topology-fixtures/talk/count-v3-named-store.topology.json" "$repo/services/shipping/shipping.topology.json"
git -C "$repo" add . && git -C "$repo" commit -q -m "compatible change"
# Pull request 2: a filter before the count of orders.
git -C "$repo" checkout -q -b filter main
cp "$src/topology-fixtures/talk/count-v2-filter.topology.json" "$repo/services/orders/app/orders.topology.json"
git -C "$repo" commit -q -am "filter before the count"

failures=0
fail() { echo "FAIL $1"; failures=$((failures + 1)); }
compare() {  # compare GOLDEN ACTUAL
  if [ -n "${STREAMS_UPDATE_GOLDEN:-}" ]; then cp "$2" "$golden_dir/$1"; return; fi
  diff -u "$golden_dir/$1" "$2" || fail "$1 differs from tests/action/golden/$1"
}

# gate NAME HEAD_BRANCH EXPECTED_STATUS [VAR=VALUE...]: runs the gate as the action's step does for a pull request
# from HEAD_BRANCH into main, and compares its log and summary with NAME's golden files.
gate() {
  local name=$1 head=$2 expected=$3
  shift 3
  git -C "$repo" checkout -q "$head"
  local run=$work/$name
  mkdir -p "$run/runner-temp"
  printf '{"action": "synchronize", "number": 7, "pull_request": {"base": {"ref": "main", "sha": "%s"}, "head": {"ref": "%s"}}}\n' \
    "$base_sha" "$head" >"$run/event.json"
  : >"$run/summary.md"
  : >"$run/output"
  local status=0
  (cd "$repo" && env GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$run/event.json" \
      GITHUB_BASE_REF=main GITHUB_HEAD_REF="$head" GITHUB_REF=refs/pull/7/merge GITHUB_WORKSPACE="$repo" \
      GITHUB_STEP_SUMMARY="$run/summary.md" GITHUB_OUTPUT="$run/output" RUNNER_TEMP="$run/runner-temp" \
      STREAMS_BIN="$tools" TOPOLOGIES=$'services/**/*.topology.json\nservices/payments/payments.topology.json' "$@" \
      "$src/scripts/topology-gate.sh" >"$run/log" 2>"$run/stderr") || status=$?
  [ "$status" = "$expected" ] || { fail "$name: exit status $status, expected $expected"; cat "$run/log" "$run/stderr"; }
  [ "$expected" != 2 ] && [ -s "$run/stderr" ] && { fail "$name: the gate wrote to stderr"; cat "$run/stderr"; }
  sed -i "s|$work|\$WORK|g" "$run/log"
  compare "$name.log" "$run/log"
  compare "$name.summary.md" "$run/summary.md"
  [ "$expected" = 2 ] || grep -qx "report-dir=$run/runner-temp/topology-gate" "$run/output" || fail "$name: no report-dir output"
  grep -qx "status=$expected" "$run/output" || fail "$name: no status output"
}

artifact() {  # artifact NAME FILE PATTERN: FILE of NAME's report directory exists and holds PATTERN
  local file=$work/$1/runner-temp/topology-gate/$2
  [ -f "$file" ] || { fail "$1: no artifact $2"; return; }
  grep -q -- "$3" "$file" || fail "$1: artifact $2 does not hold '$3'"
}

gate compatible compatible 0
artifact compatible services_payments_payments.topology.json.html "<svg"
artifact compatible services_payments_payments.topology.json.md "Verdict: compatible"
artifact compatible services_payments_payments.topology.json.json '"verdict": "compatible"'
artifact compatible services_shipping_shipping.topology.json.txt "Purchase_count_store"
[ -e "$work/compatible/runner-temp/topology-gate/services_orders_app_orders.topology.json.html" ] &&
  fail "compatible: the unchanged orders topology was diffed"

gate blocking filter 1
artifact blocking services_orders_app_orders.topology.json.html "KSTREAM-AGGREGATE-STATE-STORE-0000000002"
artifact blocking services_orders_app_orders.topology.json.json '"verdict": "reset-required"'
grep -q "^::error file=services/orders/app/orders.topology.json,line=10,col=9," "$work/blocking/log" ||
  fail "blocking: no error annotation on the count"

gate allowed filter 0 ALLOW=reset-required
grep -q "^::warning file=services/orders/app/orders.topology.json,line=10,col=9," "$work/allowed/log" ||
  fail "allowed: no warning annotation on the count"

gate bad-base filter 2 BASE=no-such-branch
[ "$failures" -eq 0 ] || { echo "$failures checks of the topology gate failed"; exit 1; }
echo "every check of the topology gate passed"
