# Shared by the exactly-once test scripts: sourced after setting run, check, root, bootstrap and work.
pids=()
cleanup() { for p in "${pids[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill -KILL "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
fail() { [ -n "${EOS_KEEP_LOGS:-}" ] && cp "$work"/*.err "$EOS_KEEP_LOGS/"; echo "$(basename "$0"): $*" >&2; for f in "$work"/*.err; do echo "--- $f" >&2; tail -40 "$f" >&2; done; exit 1; }

# prepare ID: a fresh application eos-app-ID with the topics keys-ID, text-ID (inputs, 4 partitions),
# key-counts-ID and word-counts-ID (outputs), in $work/topology.json; sets app and props.
# topology ID [FILE]: $work/topology.json, the topology of FILE (tests/eos/counts.topology.json by default) on the
# topics of ID; sets app.
topology() {
  local id=$1
  app=eos-app-$id
  sed -e "s/\"keys\"/\"keys-$id\"/g" -e "s/\"text\"/\"text-$id\"/g" -e "s/\"topic\": \"key-counts\"/\"topic\": \"key-counts-$id\"/" \
      -e "s/\"topic\": \"word-counts\"/\"topic\": \"word-counts-$id\"/" \
      -e "s/\"application.id\": \"[^\"]*\"/\"application.id\": \"$app\"/" \
      "$root/tests/eos/${2:-counts.topology.json}" >"$work/topology.json"
}
prepare() {
  local id=$1
  topology "$id"
  "$check" create "$bootstrap" 4 "keys-$id" "text-$id" "key-counts-$id" "word-counts-$id" || fail "creating topics"
  props=(-X "bootstrap.servers=$bootstrap" -X "application.id=$app" -X processing.guarantee=exactly_once_v2
         -X consumer.session.timeout.ms=6000)
}

# start NAME LOG: an instance with its own state directory, logging to $work/LOG; its pid in pid_NAME.
start() {
  "$run" "$work/topology.json" "${props[@]}" -X "state.dir=$work/state-$1" >/dev/null 2>>"$work/$2" &
  pids+=($!)
  eval "pid_$1=$!"
}

# wait_logged LOG COUNT TEXT: until LOG has COUNT lines with TEXT (60 s).
wait_logged() {
  for _ in $(seq 1 600); do
    local n
    n=$(grep -c "$3" "$work/$1" 2>/dev/null || true)
    [ "${n:-0}" -ge "$2" ] && return 0
    sleep 0.1
  done
  fail "fewer than $2 lines \"$3\" in $1 within 60 s"
}

# wait_exact ID RECORDS: until both read_committed outputs are exact for RECORDS inputs (240 s; a committed
# duplicate fails at once).
wait_exact() {
  local deadline=$((SECONDS + 240))
  : >"$work/keys.txt"; : >"$work/words.txt"
  until "$check" verify "$bootstrap" "key-counts-$1" read_committed keys "$2" >"$work/keys.txt" 2>&1 &&
        "$check" verify "$bootstrap" "word-counts-$1" read_committed words "$2" >"$work/words.txt" 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "outputs not complete within 240 s: $(cat "$work/keys.txt" "$work/words.txt")"
    if grep -q "duplicates=[1-9]" "$work/keys.txt" "$work/words.txt"; then
      fail "duplicates in read_committed output: $(cat "$work/keys.txt" "$work/words.txt")"
    fi
    sleep 2
  done
}
