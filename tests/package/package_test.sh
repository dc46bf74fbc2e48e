#!/usr/bin/env bash
# The Debian package, as a user gets it: cpack packages the tools already built in BUILD_DIR (nothing is rebuilt),
# dpkg-deb -x unpacks it into a temporary root, and from there each tool runs (--version; describe and diff of
# fixtures), each has its man page and bash completion, every library a tool links (NEEDED, resolved by ldd) comes
# from a Debian package named in the package's Depends, and lintian reports nothing that docs/packaging.md does not
# explain. Usage: package_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; echo "FAIL cpack"; exit 1; }
deb=$(ls "$work"/out/*.deb)
echo "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"
root=$work/root
dpkg-deb -x "$deb" "$root"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# The package names in Depends (alternatives included, versions dropped).
mapfile -t depend_names < <(echo "$depends" | tr ',|' '\n\n' | sed -E 's/\(.*\)//; s/:any//; s/^ *//; s/ *$//' | grep -v '^$')
declare -A in_depends=()
for name in "${depend_names[@]}"; do in_depends[$name]=1; done
version=$(grep -E '^project\(' "$src/CMakeLists.txt" | grep -oE 'VERSION [0-9.]+' | cut -d' ' -f2)

fixture=$src/topology-fixtures/talk/count-v1.topology.json
declare -A linked=()
for tool in describe diff run reset drain; do
  bin=$root/usr/bin/streams-$tool
  [ -x "$bin" ] || { fail "no usr/bin/streams-$tool"; continue; }
  # (grep reads here-strings, not pipes: grep -q exits at the first match, and pipefail would count the writer's
  # SIGPIPE as a failure.)
  version_line=$("$bin" --version)
  grep -q "^streams-$tool $version (commit " <<<"$version_line" || fail "streams-$tool --version: $version_line"
  page=$root/usr/share/man/man1/streams-$tool.1.gz
  if [ -f "$page" ]; then
    man_text=$(zcat "$page")
    grep -q '^\.TH STREAMS-'"${tool^^}"' "1"' <<<"$man_text" || fail "streams-$tool.1.gz is not a man page of section 1"
    grep -q -- 'version' <<<"$man_text" || fail "streams-$tool.1.gz does not document --version"
  else
    fail "no man page usr/share/man/man1/streams-$tool.1.gz"
  fi
  completion=$root/usr/share/bash-completion/completions/streams-$tool
  if [ -f "$completion" ]; then
    # The completion offers the tool's options (read from the packaged tool's --help).
    words=$(PATH="$root/usr/bin:$PATH" bash -c 'source "$1"; COMP_WORDS=(streams-'"$tool"' --versi); COMP_CWORD=1;
            _streams_toolkit; echo "${COMPREPLY[*]}"' _ "$completion")
    [ "$words" = "--version" ] || fail "completion of streams-$tool --versi: '$words'"
  else
    fail "no bash completion usr/share/bash-completion/completions/streams-$tool"
  fi
  # Every library the tool links comes from a package in Depends.
  while read -r lib; do
    path=$(ldd "$bin" | awk -v l="$lib" '$1 == l {print $3}')
    [ -n "$path" ] && [ -e "$path" ] || { fail "streams-$tool: $lib not found by ldd"; continue; }
    pkg=""
    for candidate in "$path" "$(realpath "$path")" "/usr$path" "${path#/usr}"; do
      pkg=$(dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1) && [ -n "$pkg" ] && break
    done
    [ -n "$pkg" ] || { fail "streams-$tool: $lib ($path) is not from a Debian package"; continue; }
    [ -n "${in_depends[$pkg]:-}" ] || fail "streams-$tool: $lib is from $pkg, not in Depends"
    linked[$pkg]=1
  done < <(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done
echo "libraries linked, by package: ${!linked[*]}"
[ "${#linked[@]}" -ge 5 ] || fail "the libraries the tools link were not resolved"
[ -f "$root/usr/share/doc/kafka-streams-toolkit/copyright" ] || fail "no usr/share/doc/kafka-streams-toolkit/copyright"

# The packaged tools at work: describe of a fixture as Kafka Streams prints it, and a diff with its verdict.
"$root/usr/bin/streams-describe" "$fixture" >"$work/describe.txt" || fail "streams-describe of $fixture"
diff -u "$src/topology-fixtures/talk/count-v1.expected.txt" "$work/describe.txt" || fail "streams-describe output"
status=0
"$root/usr/bin/streams-diff" "$fixture" "$src/topology-fixtures/talk/count-v2-filter.topology.json" \
  --format json >"$work/diff.json" || status=$?
[ "$status" = 1 ] && grep -q '"verdict": "reset-required"' "$work/diff.json" || fail "streams-diff (exit $status)"

# lintian: every error or warning is one docs/packaging.md explains ("- `TAG`: why").
explained=$(grep -oE '^- `[a-z0-9-]+`' "$src/docs/packaging.md" | sed -E 's/^- `(.*)`$/\1/' || true)
lintian --no-tag-display-limit "$deb" >"$work/lintian.txt" 2>&1 || true
while read -r line; do
  tag=$(echo "$line" | awk '{print $3}')
  grep -qx "$tag" <<<"$explained" || fail "lintian: $line (not explained in docs/packaging.md)"
done < <(grep -E '^[EW]: ' "$work/lintian.txt")
echo "lintian: $(grep -cE '^[EW]: ' "$work/lintian.txt" || true) errors and warnings, each explained in docs/packaging.md"

[ "$failures" -eq 0 ] || { echo "$failures package checks failed"; exit 1; }
echo "every package check passed"
