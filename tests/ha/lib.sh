# Shared by the high-availability test scripts, sourced with their arguments (STREAMS_RUN EOS_CHECK REPO_ROOT; the
# bootstrap from $STREAMS_TEST_BOOTSTRAP): tests/eos/lib.sh's helpers, and the plans the instances log
# ("generation G plan: active 0_1 2_3, standby ..."), one stream thread per instance.
export LC_ALL=C  # join and sort agree on the order
run=$1 check=$2 root=$3
bootstrap=${STREAMS_TEST_BOOTSTRAP:?set by the kafka_broker fixture}
work=$(mktemp -d)
# shellcheck source=../eos/lib.sh
source "$root/tests/eos/lib.sh"

# last_generation NAME: the generation of the last plan instance NAME applied (0: none yet).
last_generation() { grep -o "generation [0-9]* plan:" "$work/$1.err" 2>/dev/null | tail -1 | awk '{ print $2 + 0 }' || true; }
# settle AFTER NAME...: waits (90 s) until the instances' last plans are of one generation newer than AFTER, and
# prints it.
settle() {
  local after=$1; shift
  for _ in $(seq 1 900); do
    local gens=() g
    for n in "$@"; do gens+=("$(last_generation "$n")"); done
    g=${gens[0]}
    if [ "${g:-0}" -gt "$after" ] && [ "$(printf '%s\n' "${gens[@]}" | sort -u | wc -l)" -eq 1 ]; then
      sleep 1  # a rebalance under way would show in a second
      local again=()
      for n in "$@"; do again+=("$(last_generation "$n")"); done
      [ "${again[*]}" = "${gens[*]}" ] && { echo "$g"; return 0; }
    fi
    sleep 0.1
  done
  fail "the instances $* did not settle on one generation within 90 s"
}
# plan_tasks KIND GEN NAME...: "task instance" lines of the KIND (active or standby) tasks in generation GEN's
# plans, sorted.
plan_tasks() {
  local kind=$1 gen=$2 edit; shift 2
  edit='s/.*, standby //'
  [ "$kind" = standby ] || edit='s/.*plan: active //; s/, standby .*//'
  for n in "$@"; do
    grep -o "generation $gen plan: active .*" "$work/$n.err" | tail -1 | sed "$edit" | tr ' ' '\n' |
      grep -v '^(none)$' | grep . | sed "s/\$/ $n/" || true
  done | sort
}
# owners GEN NAME...: the active tasks of generation GEN's plans ("task instance" lines).
owners() { plan_tasks active "$@"; }
# standbys GEN NAME...: the standby (and warm-up) tasks of generation GEN's plans.
standbys() { plan_tasks standby "$@"; }
# check_complete OWNERS: every one of the 12 tasks exactly once.
check_complete() {
  [ "$(echo "$1" | awk '{ print $1 }' | sort -u | wc -l)" -eq 12 ] && [ "$(echo "$1" | wc -l)" -eq 12 ] ||
    fail "not every task has exactly one owner: $(echo "$1" | tr '\n' ' ')"
}

# three_instances [-X PROPERTY=VALUE ...]: instances a, b and c of the counts topology (at-least-once) on fresh
# topics, with these extra properties, settled; sets id, g1 (their generation) and props.
three_instances() {
  id=$$-$(date +%s%N)
  topology "$id"
  "$check" create "$bootstrap" 4 "keys-$id" "text-$id" "key-counts-$id" "word-counts-$id" || fail "creating topics"
  props=(-X "bootstrap.servers=$bootstrap" -X "application.id=$app" -X consumer.session.timeout.ms=6000 "$@")
  for n in a b c; do start "$n" "$n.err"; done
  g1=$(settle 0 a b c)
}
