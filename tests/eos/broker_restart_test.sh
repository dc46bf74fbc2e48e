#!/usr/bin/env bash
# exactly_once_v2 across a broker restart: two instances process; the (single) broker is stopped and started again
# on the same storage in the middle of the run; the application recovers by itself and the read_committed outputs
# are exact (no update lost, none twice). Uses its own broker on PORT (the shared test broker is never stopped).
# Usage: broker_restart_test.sh STREAMS_RUN EOS_CHECK REPO_ROOT PORT [RECORDS]
set -euo pipefail
run=$1 check=$2 root=$3 port=$4 records=${5:-40000}
work=$(mktemp -d)
bootstrap=127.0.0.1:$port
# shellcheck source=lib.sh
source "$root/tests/eos/lib.sh"
broker() { KAFKA_BROKER_PORT=$port "$root/scripts/kafka-broker.sh" "$1" "$work/broker"; }
trap 'broker stop >/dev/null 2>&1 || true; cleanup' EXIT

broker start >"$work/broker.log" 2>&1 || { cat "$work/broker.log" >&2; exit 1; }
id=$$-$(date +%s%N)
prepare "$id"
"$check" produce "$bootstrap" "keys-$id" "text-$id" 0 "$records" || fail "loading the input"
start a a.err
start b b.err
wait_logged a.err 1 assigned
wait_logged b.err 1 assigned
sleep 1
echo "broker_restart_test: restarting the broker"
broker restart >>"$work/broker.log" 2>&1 || { cat "$work/broker.log" >&2; fail "the broker did not restart"; }
echo "broker_restart_test: broker back"
wait_exact "$id" "$records"
kill -TERM "$pid_a" "$pid_b"
wait "$pid_a" || fail "instance a did not shut down cleanly"
wait "$pid_b" || fail "instance b did not shut down cleanly"
"$check" verify "$bootstrap" "key-counts-$id" read_committed keys "$records" >"$work/keys.txt" || fail "$(cat "$work/keys.txt")"
"$check" verify "$bootstrap" "word-counts-$id" read_committed words "$records" >"$work/words.txt" || fail "$(cat "$work/words.txt")"
echo "broker_restart_test: ok: exact after the restart ($(cat "$work/keys.txt")); the instances logged:" \
     "$(cat "$work"/a.err "$work"/b.err | grep -c "closing .* tasks dirty\|assignment lost") transaction failures"
