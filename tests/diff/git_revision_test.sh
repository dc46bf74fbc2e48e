#!/usr/bin/env bash
# Versions in git as inputs (REV:PATH): a temporary repository with two commits of the purchase count (a filter
# inserted before the count), diffed by revision from its root and from a sub-directory, in the text and github
# formats, and the bad arguments (unknown revision, unknown path, a directory, outside a repository), each output
# compared with its golden file in tests/diff/golden/git/ (STREAMS_UPDATE_GOLDEN=1 rewrites them).
# Usage: git_revision_test.sh STREAMS_DIFF STREAMS_DESCRIBE SOURCE_DIR
set -euo pipefail
diff_tool=$1 describe_tool=$2 src=$3
golden_dir=$src/tests/diff/golden/git
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES=$work
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com

repo=$work/repo
mkdir -p "$repo/services/orders/app"
git -C "$repo" init -q -b main
cp "$src/topology-fixtures/talk/count-v1.topology.json" "$repo/services/orders/app/orders.topology.json"
git -C "$repo" add . && git -C "$repo" commit -q -m "count v1"
cp "$src/topology-fixtures/talk/count-v2-filter.topology.json" "$repo/services/orders/app/orders.topology.json"
git -C "$repo" commit -q -am "a filter before the count"
# A file whose name has the form REV:PATH is read as the file.
cp "$src/topology-fixtures/talk/count-v1.topology.json" "$repo/main:count.topology.json"

failures=0
# check NAME DIR STATUS STREAM COMMAND...: runs COMMAND in DIR, compares STREAM (stdout|stderr) with NAME's golden
check() {
  local name=$1 dir=$2 expected=$3 stream=$4
  shift 4
  local status=0
  (cd "$dir" && "$@" >"$work/out" 2>"$work/err") || status=$?
  local actual=$work/out
  [ "$stream" = stderr ] && actual=$work/err
  if [ "$status" != "$expected" ]; then
    echo "FAIL $name: exit status $status, expected $expected"; cat "$work/out" "$work/err"; failures=$((failures + 1))
    return
  fi
  if [ -n "${STREAMS_UPDATE_GOLDEN:-}" ]; then cp "$actual" "$golden_dir/$name"; return; fi
  if ! diff -u "$golden_dir/$name" "$actual"; then echo "FAIL $name: output differs"; failures=$((failures + 1)); fi
}

app=services/orders/app/orders.topology.json
check root.txt "$repo" 1 stdout "$diff_tool" "HEAD~1:$app" "$app"
check both-revisions.github.txt "$repo" 1 stdout "$diff_tool" "main~1:$app" "main:$app" --format github
check subdir.github.txt "$repo/services/orders" 1 stdout \
  "$diff_tool" HEAD~1:./app/orders.topology.json app/orders.topology.json --format github --path-prefix services/orders
check subdir-json-files.txt "$repo/services/orders/app" 0 stdout \
  sh -c "'$diff_tool' HEAD~1:./orders.topology.json :../app/orders.topology.json --format json | grep '\"file\"'"
check describe.txt "$repo" 0 stdout "$describe_tool" "HEAD~1:$app"
check colon-file.txt "$repo" 0 stdout "$describe_tool" "main:count.topology.json"
check unknown-revision.err "$repo" 2 stderr "$diff_tool" "no-such-branch:$app" "$app"
check unknown-path.err "$repo" 2 stderr "$diff_tool" "HEAD~1:services/orders/app/order.topology.json" "$app"
check directory.err "$repo" 2 stderr "$diff_tool" "HEAD:services/orders" "$app"
check outside-root.err "$repo" 2 stderr "$diff_tool" "HEAD:../x.topology.json" "$app"
mkdir "$work/not-a-repo"
check not-a-repository.err "$work/not-a-repo" 2 stderr "$diff_tool" "HEAD:$app" "$repo/$app"
[ "$failures" -eq 0 ] || { echo "$failures of the git revision checks failed"; exit 1; }
echo "every git revision check passed"
