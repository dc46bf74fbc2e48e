#!/usr/bin/env bash
# Fail-over time of a stateful task, Kafka Streams against the engine, on one broker in one run.
#
# Each run: a fresh application (input and output topics of PARTITIONS partitions, the output stamped with the
# broker's LogAppendTime) runs a count per key (RocksDB store "counts" and its changelog, record cache off) in two
# instances: streams-run with bench/failover/count.topology.json, or Kafka Streams 4.4.0 running the same topology
# (bench/kafka-streams-java, bench.FailoverApp). Once both have tasks, RECORDS records (KEYS distinct keys) are
# loaded; once the group has committed them all (and, with standbys, Kafka Streams reports every local store caught
# up; the engine gets --standby-settle seconds), the instance owning the active task TASK is SIGKILLed and one probe
# record is written into every input partition. Measured:
#   fail-over: SIGKILL to the broker's append of the output of TASK's probe (the moved task restored and running);
#   all moved: the same for the last of the killed instance's tasks;
#   restored:  the records the survivor restored after the SIGKILL ("restored N records into store" in its log;
#              the Java instance prints that line from a StateRestoreListener), against what the changelog
#              partitions of the moved tasks hold (a fail-over without a standby restores all of that).
# Rows take turns within each round; medians over the rounds are printed at the end.
#
#   bench/failover/failover.sh --bootstrap HOST:PORT --streams-run BUILD/tools/streams-run \
#       --tool BUILD/bench/failover_tool [--rows kafka-streams:0,kafka-streams:1,engine:0,engine:1] [--rounds 3]
#       [--records 600000] [--keys 200000] [--partitions 8] [--task 0_0] [--session-timeout-ms 10000]
#       [--processing-guarantee at_least_once] [--standby-settle 5] [--check] [--keep-logs DIR] [--results FILE]
# A row is ENGINE:STANDBYS (num.standby.replicas). An engine that refuses num.standby.replicas is reported as
# "not supported by this build". --check also verifies every final count on the output (exit 1 when one is wrong)
# and is what the ctest runs. --results FILE: one line per run, "ENGINE:STANDBYS TASK_S ALL_S RESTORED
# MOVED_CHANGELOG CHANGELOG REBALANCE_S RESTORE_S", or "ENGINE:STANDBYS unsupported". Exit 0 when every supported
# row measured every round; 1 when a run failed; 2 for bad arguments.
# KAFKA_STREAMS_BENCH_JAVA_OPTS adds JVM options to the Java instances.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
java_project=$here/../kafka-streams-java
bootstrap="" run="" tool="" rows="kafka-streams:0,kafka-streams:1,engine:0,engine:1" rounds=3 records=600000
keys=200000 partitions=8 task=0_0 session_timeout=10000 guarantee=at_least_once settle=5 check=0 keep="" results=""
while [ $# -gt 0 ]; do
  [ "$1" = --check ] || [ $# -ge 2 ] || { echo "failover.sh: $1 needs a value" >&2; exit 2; }
  case $1 in
    --bootstrap) bootstrap=$2 ;; --streams-run) run=$2 ;; --tool) tool=$2 ;; --rows) rows=$2 ;;
    --rounds) rounds=$2 ;; --records) records=$2 ;; --keys) keys=$2 ;; --partitions) partitions=$2 ;;
    --task) task=$2 ;; --session-timeout-ms) session_timeout=$2 ;; --processing-guarantee) guarantee=$2 ;;
    --standby-settle) settle=$2 ;; --keep-logs) keep=$2 ;; --results) results=$2 ;;
    --check) check=1; shift; continue ;;
    *) echo "failover.sh: unknown option \"$1\" (see the usage at the top of bench/failover/failover.sh)" >&2; exit 2 ;;
  esac
  shift 2
done
[ -n "$bootstrap" ] && [ -x "$tool" ] || { echo "failover.sh: --bootstrap and --tool are required" >&2; exit 2; }
for row in ${rows//,/ }; do
  [[ $row =~ ^(kafka-streams|engine):[0-9]+$ ]] ||
    { echo "failover.sh: --rows: \"$row\" is not kafka-streams:N or engine:N (N: num.standby.replicas)" >&2; exit 2; }
done
case $rows in *engine*) [ -x "$run" ] || { echo "failover.sh: engine rows need --streams-run" >&2; exit 2; } ;; esac
task_partition=${task#*_}

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "failover.sh: $*" >&2
  for f in "$work"/*/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -30 "$f" >&2; }; done
  exit 1
}
case $rows in *kafka-streams*) "$java_project/run.sh" build || fail "building bench/kafka-streams-java" ;; esac

# stamp: each line of stdin with the time it came (seconds since the epoch) in front.
stamp() { while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done; }

# start DIR NAME ENGINE STANDBYS: one instance logging to DIR/NAME.log (lines stamped); its pid in pid_NAME.
start() {
  local dir=$1 name=$2 engine=$3 standbys=$4
  if [ "$engine" = engine ]; then
    "$run" "$dir/topology.json" -X "bootstrap.servers=$bootstrap" -X "application.id=$app" \
      -X "state.dir=$dir/state-$name" -X "num.standby.replicas=$standbys" -X "processing.guarantee=$guarantee" \
      -X "consumer.session.timeout.ms=$session_timeout" >/dev/null 2> >(stamp >"$dir/$name.log") &
  else
    # shellcheck disable=SC2086
    java ${KAFKA_STREAMS_BENCH_JAVA_OPTS:-} -cp "$java_project/target/kafka-streams-bench.jar:$java_project/target/lib/*" \
      bench.FailoverApp --bootstrap "$bootstrap" --application-id "$app" --input "$app-input" --output "$app-output" \
      --state-dir "$dir/state-$name" --standbys "$standbys" --session-timeout-ms "$session_timeout" \
      --processing-guarantee "$guarantee" >/dev/null 2> >(stamp >"$dir/$name.log") &
  fi
  pids+=($!)
  eval "pid_$name=$!"
  disown $!  # no job report when it is SIGKILLed
}

# active LOG: the active tasks of the instance's latest assignment ("... tasks: 0_0 0_2 [standby ...]"; a line
# of standby or warm-up tasks alone does not count).
active() {
  awk '{i = index($0, "tasks:")} i > 0 && substr($0, 1, i) !~ /standby|warm/ {l = substr($0, i + 7)} END {print l}' \
    "$1" 2>/dev/null | sed -E 's/ *standby.*//; s/\(none\)//' || true
}

# wait_balanced DIR: until both instances have active tasks, every task exactly once (120 s). Returns 3 when an
# instance exited because it refuses num.standby.replicas.
wait_balanced() {
  local dir=$1
  for _ in $(seq 1 1200); do
    for name in a b; do
      local pid
      pid=$(eval echo "\$pid_$name")
      if ! kill -0 "$pid" 2>/dev/null; then
        grep -q "num.standby.replicas" "$dir/$name.log" && return 3
        fail "instance $name exited before it got tasks"
      fi
    done
    local ta tb
    ta=$(active "$dir/a.log") tb=$(active "$dir/b.log")
    if [ -n "$ta" ] && [ -n "$tb" ] &&
       [ "$(echo $ta $tb | tr ' ' '\n' | sort -u | grep -c .)" -eq "$partitions" ] &&
       [ "$(echo $ta $tb | wc -w)" -eq "$partitions" ]; then
      return 0
    fi
    sleep 0.1
  done
  fail "the two instances did not share the $partitions tasks within 120 s: a: $(active "$dir/a.log"); b: $(active "$dir/b.log")"
}

# wait_caught_up DIR ENGINE STANDBYS: the group committed every input record; Kafka Streams' instances report
# every local store (standbys included) caught up; the engine with standbys gets $settle seconds.
wait_caught_up() {
  local dir=$1 engine=$2 standbys=$3 deadline=$((SECONDS + 600))
  until [ "$("$tool" lag "$bootstrap" "$app" "$app-input" 2>/dev/null || echo -1)" = 0 ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "the group did not commit all $records input records within 600 s"
    sleep 0.5
  done
  if [ "$engine" = kafka-streams ]; then
    until [ "$(grep "store lag:" "$dir/a.log" | tail -1 | sed 's/.*store lag: //')" = 0 ] &&
          [ "$(grep "store lag:" "$dir/b.log" | tail -1 | sed 's/.*store lag: //')" = 0 ]; do
      [ "$SECONDS" -lt "$deadline" ] || fail "Kafka Streams' stores did not catch up within 600 s"
      sleep 0.2
    done
  elif [ "$standbys" -gt 0 ]; then
    sleep "$settle"
  fi
  sleep 1  # the last commits' changelog writes and checkpoints
}

# measure ROUND ENGINE STANDBYS: one run; appends its --results line to $work/results.
measure() {
  local round=$1 engine=$2 standbys=$3
  local id
  id=$(date +%s%N | tail -c 10)
  app=failover-$engine-$standbys-$id
  local dir=$work/$round-$engine-$standbys
  mkdir -p "$dir"
  sed -e "s/\"failover-input\"/\"$app-input\"/" -e "s/\"failover-output\"/\"$app-output\"/" \
    "$here/count.topology.json" >"$dir/topology.json"
  "$tool" create "$bootstrap" "$partitions" "$app-input" || fail "creating $app-input"
  "$tool" create "$bootstrap" "$partitions" "$app-output" message.timestamp.type=LogAppendTime || fail "creating $app-output"
  start "$dir" a "$engine" "$standbys"
  start "$dir" b "$engine" "$standbys"
  local status=0
  wait_balanced "$dir" || status=$?
  if [ "$status" = 3 ]; then
    echo "$engine:$standbys unsupported" >>"$work/results"
    echo "round $round: $engine standbys=$standbys: not supported by this build:" \
         "$(grep -h -m1 "num.standby.replicas" "$dir/a.log" "$dir/b.log" | head -1 | cut -d' ' -f2-)"
    for name in a b; do kill -KILL "$(eval echo "\$pid_$name")" 2>/dev/null || true; done
    "$tool" delete "$bootstrap" "$app"
    return 0
  fi
  "$tool" load "$bootstrap" "$app-input" 0 "$records" "$keys" || fail "loading the input"
  wait_caught_up "$dir" "$engine" "$standbys"
  local victim survivor
  if [[ " $(active "$dir/a.log") " == *" $task "* ]]; then victim=a survivor=b; else victim=b survivor=a; fi
  local moved changelog moved_changelog
  moved=$(active "$dir/$victim.log")
  local mark
  mark=$(wc -l <"$dir/$survivor.log")
  # the changelogs before the probes add to them
  changelog=$("$tool" size "$bootstrap" "$app-counts-changelog")
  # shellcheck disable=SC2046
  moved_changelog=$("$tool" size "$bootstrap" "$app-counts-changelog" $(for t in $moved; do echo "${t#*_}"; done))
  local vpid
  vpid=$(eval echo "\$pid_$victim")
  "$tool" failover "$bootstrap" "$vpid" "$app-input" "$app-output" "$id" 180 >"$dir/probes.txt" ||
    fail "round $round $engine standbys=$standbys: a probe's output did not appear within 180 s: $(tr '\n' ' ' <"$dir/probes.txt")"
  local task_s all_s restored rebalance_s restore_s
  task_s=$(awk -v p="$task_partition" '$1 == "partition" && $2 == p {printf "%.2f", $4}' "$dir/probes.txt")
  all_s=$(for t in $moved; do awk -v p="${t#*_}" '$1 == "partition" && $2 == p {printf "%.2f\n", $4}' "$dir/probes.txt"; done |
          sort -g | tail -1)
  restored=$(tail -n +"$((mark + 1))" "$dir/$survivor.log" |
             awk '/restored [0-9]+ records into store/ {for (i = 1; i < NF; ++i) if ($i == "restored") n += $(i + 1)}
                  END {print n + 0}')
  # From the survivor's stamped log: when its rebalance began (Kafka Streams: state REBALANCING; the engine:
  # revoked or assigned), and how long its restoration took (first "restoring store" to last "restored").
  local killed
  killed=$(awk '$1 == "killed_at_ms" {printf "%.3f", $2 / 1000}' "$dir/probes.txt")
  read -r rebalance_s restore_s < <(tail -n +"$((mark + 1))" "$dir/$survivor.log" | awk -v k="$killed" '
    r == "" && /state REBALANCING|revoked|assigned/ {r = $1 - k}
    /restoring store/ && s == "" {s = $1}
    /restored [0-9]+ records into store/ {e = $1}
    END {printf "%.2f %.2f\n", r == "" ? -1 : r, s == "" || e == "" ? 0 : e - s}')
  if [ "$check" = 1 ]; then
    "$tool" verify "$bootstrap" "$app-output" "$records" "$keys" "$id" >"$dir/verify.txt" ||
      fail "round $round $engine standbys=$standbys: wrong counts after the fail-over: $(cat "$dir/verify.txt")"
  fi
  local spid
  spid=$(eval echo "\$pid_$survivor")
  kill -TERM "$spid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$spid" 2>/dev/null || true
  [ -n "$keep" ] && { mkdir -p "$keep"; cp -r "$dir" "$keep/"; }
  "$tool" delete "$bootstrap" "$app"
  rm -rf "$dir"/state-*
  echo "$engine:$standbys $task_s $all_s $restored $moved_changelog $changelog $rebalance_s $restore_s" >>"$work/results"
  printf 'round %s: %-13s standbys=%s  task %s back after %6.2f s, all %d moved tasks after %6.2f s;' \
    "$round" "$engine" "$standbys" "$task" "$task_s" "$(echo $moved | wc -w)" "$all_s"
  printf ' restored %d records (the moved tasks'"'"' changelogs: %d; all: %d);' "$restored" "$moved_changelog" "$changelog"
  printf ' survivor: rebalance began after %.2f s, restoration took %.2f s%s\n' "$rebalance_s" "$restore_s" \
    "$([ "$check" = 1 ] && echo "; counts: $(cat "$dir/verify.txt")")"
}

echo "failover: $records records, $keys keys, $partitions partitions, two instances, session.timeout.ms=$session_timeout," \
     "commit.interval.ms=100, record cache off, $guarantee, $rounds rounds; broker $bootstrap"
echo "load: $(uptime | sed 's/.*load average/load average/')"
IFS=, read -r -a row_list <<<"$rows"
: >"$work/results"
for round in $(seq 1 "$rounds"); do
  for row in "${row_list[@]}"; do
    grep -q "^$row unsupported" "$work/results" && continue
    measure "$round" "${row%%:*}" "${row#*:}"
  done
done
echo "load: $(uptime | sed 's/.*load average/load average/')"
# median FORMAT: the median of the numbers on stdin, printed with FORMAT.
median() {
  sort -g | awk -v f="$1" '{v[NR] = $1} END {printf f, NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
echo "median of $rounds rounds (min-max):"
printf '%-26s %-22s %-22s %-30s %-16s %s\n' "" "task $task back after" "all moved tasks after" \
  "restored (moved tasks' changelogs)" "rebalance began" "restoration took"
for row in "${row_list[@]}"; do
  label="${row%%:*} standbys=${row#*:}"
  if grep -q "^$row unsupported" "$work/results"; then
    printf '%-26s not supported by this build (it refuses num.standby.replicas=%s)\n' "$label" "${row#*:}"
    continue
  fi
  col() { grep "^$row " "$work/results" | awk -v c="$1" '{print $c}'; }
  range() { printf "$2-$2" "$(col "$1" | sort -g | head -1)" "$(col "$1" | sort -g | tail -1)"; }
  printf '%-26s %-22s %-22s %-30s %-16s %s\n' "$label" "$(col 2 | median %.2f) s ($(range 2 %.2f))" \
    "$(col 3 | median %.2f) s ($(range 3 %.2f))" "$(col 4 | median %d) ($(col 5 | median %d))" \
    "$(col 7 | median %.2f) s" "$(col 8 | median %.2f) s"
done
[ -z "$results" ] || cp "$work/results" "$results"
