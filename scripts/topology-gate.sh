#!/usr/bin/env bash
# The topology gate of a pull request (the GitHub Action in action.yml runs it; it runs the same anywhere).
# For every topology file (a topology file or a describe() text) that the head changes against the base revision, it
# runs streams-diff between the base's version (read from git as BASE:PATH) and the head's: the markdown report goes
# to $GITHUB_STEP_SUMMARY, the findings to the log as GitHub annotations (paths from the repository's root), the
# HTML render (both versions side by side), the markdown and the JSON report to the report directory. A topology new
# in the head is described, not diffed. Exit status 1 when a verdict is above --allow, 2 for bad input.
#
# Run from the repository's root (the workflow's checkout, $GITHUB_WORKSPACE). Settings, from the action's inputs:
#   TOPOLOGIES   paths or globs of topology files, separated by spaces or new lines ('**' and '*' match across '/')
#   BASE         the base revision (default: the pull request's base commit, from $GITHUB_EVENT_PATH, else
#                origin/$GITHUB_BASE_REF)
#   ALLOW        the strictest verdict that passes (compatible, offline-upgrade, drain-required, reset-required)
#   CONFIG       a properties file for both versions (--config), optional
#   PROPERTIES   a properties file in the repository with per-version settings, optional: its base version is the
#                old version's (--old-config), its head version the new one's (--new-config)
#   STRICT       "true": a rule that could not be checked (describe() texts) fails the gate
#   REPORT_DIR   where the reports go (default: $RUNNER_TEMP/topology-gate, else ./topology-gate-report)
# Tools: streams-diff and streams-describe on PATH, or STREAMS_BIN naming their directory.
set -uo pipefail

TOPOLOGIES=${TOPOLOGIES:-}
ALLOW=${ALLOW:-compatible}
CONFIG=${CONFIG:-}
PROPERTIES=${PROPERTIES:-}
STRICT=${STRICT:-false}
REPORT_DIR=${REPORT_DIR:-${RUNNER_TEMP:+$RUNNER_TEMP/topology-gate}}
REPORT_DIR=${REPORT_DIR:-topology-gate-report}
SUMMARY=${GITHUB_STEP_SUMMARY:-/dev/null}
diff_tool=streams-diff describe_tool=streams-describe
if [ -n "${STREAMS_BIN:-}" ]; then diff_tool=$STREAMS_BIN/streams-diff describe_tool=$STREAMS_BIN/streams-describe; fi

fail() {  # fail MESSAGE: an error annotation and exit status 2 (bad input)
  echo "::error title=topology gate::$1"
  echo "topology-gate: $1" >&2
  [ -z "${GITHUB_OUTPUT:-}" ] || echo "status=2" >>"$GITHUB_OUTPUT"
  exit 2
}

[ -n "$TOPOLOGIES" ] || fail "no topologies given (the input 'topologies': paths or globs of topology files)"
git rev-parse --git-dir >/dev/null 2>&1 || fail "$(pwd) is not a git checkout"
[ -z "$(git rev-parse --show-prefix)" ] || fail "run from the repository's root ($(git rev-parse --show-toplevel))"

# The base revision: given, else the pull request's base commit, else the base branch.
base=${BASE:-}
if [ -z "$base" ] && [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
  base=$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(((e.get("pull_request") or {}).get("base") or {}).get("sha",""))' \
         "$GITHUB_EVENT_PATH" 2>/dev/null || true)
fi
if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then base=origin/$GITHUB_BASE_REF; fi
[ -n "$base" ] || fail "no base revision: give the input 'base' (the workflow is not running for a pull request)"
if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
  # A shallow checkout: fetch the base commit.
  git fetch --quiet --depth=1 origin "${base#origin/}" 2>/dev/null || true
  git rev-parse --verify --quiet "$base^{commit}" >/dev/null ||
    fail "the base revision $base is not in the checkout (actions/checkout with fetch-depth: 0 fetches it)"
fi
# Reports name the base by a short commit id when it was given as one.
base_name=$base
[[ "$base" =~ ^[0-9a-f]{40}$ ]] && base_name=${base:0:12}

# The topology files: every path of the head's or the base's tree that a pattern matches.
read -r -a patterns <<<"$(echo "$TOPOLOGIES" | tr '\n' ' ')"
mapfile -t head_files < <(git ls-files)
mapfile -t base_files < <(git ls-tree -r --name-only --full-tree "$base")
declare -A in_head=() in_base=() selected=()
for f in "${head_files[@]}"; do [ -f "$f" ] && in_head[$f]=1; done
for f in "${base_files[@]}"; do in_base[$f]=1; done
for p in "${patterns[@]}"; do
  matched=0
  for f in "${!in_head[@]}" "${!in_base[@]}"; do
    # shellcheck disable=SC2053  # the pattern is a glob
    if [[ "$f" == $p ]]; then selected[$f]=1; matched=1; fi
  done
  [ "$matched" = 1 ] || echo "::warning title=topology gate::no topology file matches '$p' in the head or the base"
done

mkdir -p "$REPORT_DIR" || fail "cannot create the report directory $REPORT_DIR"
common=(--allow "$ALLOW")
[ "$STRICT" = true ] && common+=(--strict)
[ -n "$CONFIG" ] && common+=(--config "$CONFIG")
if [ -n "$PROPERTIES" ]; then
  [ -f "$PROPERTIES" ] && common+=(--new-config "$PROPERTIES")
  if git cat-file -e "$base:$PROPERTIES" 2>/dev/null; then
    old_properties=$REPORT_DIR/base.$(basename "$PROPERTIES")
    git show "$base:$PROPERTIES" >"$old_properties"
    common+=(--old-config "$old_properties")
  fi
fi

{
  echo "# Topology gate"
  echo
  echo "Base \`$base_name\`, verdicts up to \`$ALLOW\` pass."
  echo
} >>"$SUMMARY"

status=0 diffed=0 described=0 unchanged=0
mapfile -t files < <(printf '%s\n' "${!selected[@]}" | sort)
for f in "${files[@]}"; do
  [ -n "$f" ] || continue
  report=$REPORT_DIR/$(echo "$f" | tr '/' '_')
  if [ -z "${in_head[$f]:-}" ]; then
    echo "::notice title=topology gate::$f was removed in the head (the topology of $base_name no longer exists)"
    printf '## `%s`: removed\n\nThe head no longer has this topology.\n\n' "$f" >>"$SUMMARY"
    continue
  fi
  if [ -z "${in_base[$f]:-}" ]; then
    # New in the head: described, not diffed.
    described=$((described + 1))
    if ! "$describe_tool" "$f" ${CONFIG:+--config "$CONFIG"} -o "$report.txt" 2>"$report.err"; then
      echo "::error file=$f,title=topology gate::$(tr '\n' ' ' <"$report.err")"
      status=2; continue
    fi
    "$describe_tool" "$f" ${CONFIG:+--config "$CONFIG"} --format mermaid -o "$report.mmd" 2>/dev/null
    echo "::notice file=$f,title=topology gate::new topology (nothing to compare with in $base_name)"
    { printf '## `%s`: new topology\n\n' "$f"
      printf '```mermaid\n'; cat "$report.mmd"; printf '```\n\n'
      printf '<details><summary>describe()</summary>\n\n```\n'; cat "$report.txt"; printf '```\n\n</details>\n\n'
    } >>"$SUMMARY"
    continue
  fi
  if git diff --quiet "$base" -- "$f" && [ -z "$PROPERTIES" ]; then
    unchanged=$((unchanged + 1)); continue
  fi
  diffed=$((diffed + 1))
  old="$base_name:$f"
  rc=0
  "$diff_tool" "$old" "$f" "${common[@]}" --format github 2>"$report.err" || rc=$?
  if [ "$rc" = 2 ]; then
    echo "::error file=$f,title=topology gate::$(tr '\n' ' ' <"$report.err")"
    status=2; continue
  fi
  "$diff_tool" "$old" "$f" "${common[@]}" --format markdown -o "$report.md" --render "$report.html" 2>/dev/null
  "$diff_tool" "$old" "$f" "${common[@]}" --format json -o "$report.json" 2>/dev/null
  { printf '## `%s`\n\n' "$f"; sed 's/^## /### /' "$report.md"; echo; } >>"$SUMMARY"
  [ "$rc" = 1 ] && [ "$status" = 0 ] && status=1
done

echo "Checked $((diffed + described)) changed topologies ($diffed diffed, $described new); $unchanged unchanged." >>"$SUMMARY"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { echo "report-dir=$REPORT_DIR"; echo "status=$status"; } >>"$GITHUB_OUTPUT"
fi
case $status in
  0) echo "topology-gate: pass ($diffed diffed, $described new, $unchanged unchanged; reports in $REPORT_DIR)" ;;
  1) echo "topology-gate: FAIL: a verdict is above $ALLOW (reports in $REPORT_DIR)" ;;
  *) echo "topology-gate: bad input (see the errors above)" ;;
esac
exit "$status"
