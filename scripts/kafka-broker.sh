#!/usr/bin/env bash
# A real Apache Kafka broker for the integration tests: one node, KRaft (broker + controller in one process),
# listening on 127.0.0.1 only. The jars come from Maven Central through tests/broker/pom.xml.
#
#   scripts/kafka-broker.sh fetch  [DIR]   copy the broker's jars into DIR/lib (mvn dependency:copy-dependencies)
#   scripts/kafka-broker.sh start  [DIR]   fetch if needed, write DIR/server.properties, format DIR/data, start the
#                                          broker in the background, wait until it is unfenced and lists topics
#   scripts/kafka-broker.sh stop   [DIR]   stop it (SIGTERM, then SIGKILL after 20 s) and wait; keeps DIR/lib
#   scripts/kafka-broker.sh restart [DIR]  stop it and start it again on the same storage (a broker restart)
#   scripts/kafka-broker.sh status [DIR]   exit 0 and print the pid when it runs and answers, 1 otherwise
#
# DIR defaults to ./kafka-broker. Each start formats fresh storage: topics and offsets never outlive a stop, and a
# broker still running from the same DIR (an interrupted test run) is stopped first.
# Environment:
#   KAFKA_BROKER_PORT           client listener port (default 39092); the controller listens on PORT+1
#   KAFKA_BROKER_START_TIMEOUT  seconds to wait for the broker to answer (default 90)
#   KAFKA_BROKER_HEAP           JVM heap (default 512m)
#   KAFKA_BROKER_JVM_OPTS       JVM options (default: serial GC and C1 only, for a fast start in tests;
#                               benchmarks use "-XX:+UseG1GC", the full JIT of a production broker)
set -euo pipefail

cmd=${1:-}
dir=${2:-kafka-broker}
port=${KAFKA_BROKER_PORT:-39092}
controller_port=$((port + 1))
offsets_partitions=4  # __consumer_offsets; the readiness probe waits until the coordinator has loaded each
timeout=${KAFKA_BROKER_START_TIMEOUT:-90}
heap=${KAFKA_BROKER_HEAP:-512m}
read -r -a jvm_opts <<<"${KAFKA_BROKER_JVM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pom=$here/tests/broker/pom.xml

die() { echo "kafka-broker: $*" >&2; exit 1; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
pidfile=$dir/broker.pid

running_pid() {
  [[ -f $pidfile ]] || return 1
  local pid
  pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

fetch() {
  # .complete holds the checksum of the pom the jars came from: a changed pom (another Kafka version) fetches again.
  local stamp
  stamp=$(sha256sum "$pom" | cut -d' ' -f1)
  if [[ -f $dir/lib/.complete && $(cat "$dir/lib/.complete") == "$stamp" ]]; then return 0; fi
  command -v mvn >/dev/null || die "mvn not found (scripts/install-deps.sh installs maven)"
  echo "kafka-broker: fetching the Kafka broker jars into $dir/lib"
  rm -rf "$dir/lib"
  mvn -q -B -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dir/lib" \
    || die "mvn dependency:copy-dependencies failed for $pom"
  ls "$dir/lib"/kafka_2.13-*.jar >/dev/null 2>&1 || die "no kafka_2.13 jar in $dir/lib after mvn"
  echo "$stamp" >"$dir/lib/.complete"
}

write_config() {
  cat >"$dir/server.properties" <<EOF
# Written by scripts/kafka-broker.sh: a single-node KRaft cluster for tests.
process.roles=broker,controller
node.id=1
# A rack, so that rack-aware task assignment (rack.aware.assignment.strategy) finds the partitions' racks.
broker.rack=rack-1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=$offsets_partitions
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
num.network.threads=2
num.io.threads=4
background.threads=4
# Test records carry small (1970) timestamps: with time retention the broker's retention check (every 5 min)
# deleted topics' records in the middle of a test run (a reader then waited for offsets that were gone).
log.retention.ms=-1
log.retention.bytes=-1
# Applications on the streams rebalance protocol (group.protocol=streams) push their topology description to the
# broker, which keeps it only when a storage plugin is named; kafka-streams-groups --describe --topology prints it.
group.streams.topology.description.plugin.class=org.apache.kafka.server.streams.InMemoryTopologyDescriptionPlugin
EOF
}

start() {
  if pid=$(running_pid); then
    # Left over from an interrupted run of this DIR: a start always gives a fresh, empty broker.
    echo "kafka-broker: pid $pid is still running from $dir; stopping it first"
    stop_quietly
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port 127.0.0.1:$port is already in use by another process (set KAFKA_BROKER_PORT)"
  fi
  fetch
  command -v java >/dev/null || die "java not found"
  write_config
  rm -rf "$dir/data" "$dir/logs"
  mkdir -p "$dir/logs"
  local cluster_id
  # A random UUID in Kafka's URL-safe base64. One that starts with '-' (1 in 64) reads as an option to the storage
  # tool's argument parser, as Kafka's Uuid.randomUuid knows: draw again, as it does.
  cluster_id=-
  while [[ $cluster_id == -* ]]; do
    cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  done
  local jvm=(java "-Xmx$heap" "-Xms128m" "${jvm_opts[@]}"
             "-Dlog4j2.configurationFile=$here/tests/broker/log4j2.properties" "-Dkafka.logs.dir=$dir/logs"
             -cp "$dir/lib/*")
  "${jvm[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
    >"$dir/logs/format.log" 2>&1 || { cat "$dir/logs/format.log" >&2; die "formatting $dir/data failed"; }
  launch
}

# Starts the broker on the storage already formatted in $dir/data (start, restart).
launch() {
  local jvm=(java "-Xmx$heap" "-Xms128m" "${jvm_opts[@]}"
             "-Dlog4j2.configurationFile=$here/tests/broker/log4j2.properties" "-Dkafka.logs.dir=$dir/logs"
             -cp "$dir/lib/*")
  local t0=$SECONDS
  # setsid: the broker survives the shell that started it (ctest runs broker-start as its own process).
  setsid "${jvm[@]}" kafka.Kafka "$dir/server.properties" >"$dir/logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local pid
  pid=$(cat "$pidfile")
  if ! java -cp "$dir/lib/*" "$here/tests/broker/BrokerProbe.java" "127.0.0.1:$port" "$timeout" "$offsets_partitions" \
       >"$dir/logs/probe.log" 2>&1 || ! kill -0 "$pid" 2>/dev/null; then
    echo "--- last lines of $dir/logs/server.log:" >&2
    tail -n 30 "$dir/logs/server.log" >&2 2>/dev/null || true
    cat "$dir/logs/probe.log" >&2
    stop_quietly
    die "the broker did not answer on 127.0.0.1:$port within ${timeout} s (logs in $dir/logs)"
  fi
  echo "kafka-broker: started pid $pid on 127.0.0.1:$port in $((SECONDS - t0)) s (data $dir/data, logs $dir/logs)"
}

stop_quietly() {
  local pid
  pid=$(running_pid) || { rm -f "$pidfile"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "kafka-broker: pid $pid did not stop in 20 s, killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$pidfile"
}

case $cmd in
  fetch) fetch ;;
  start) start ;;
  restart)
    # Stops the broker and starts it again on the same storage (topics, offsets and transactions survive).
    stop_quietly
    launch ;;
  stop)
    if pid=$(running_pid); then stop_quietly; echo "kafka-broker: stopped pid $pid"; else
      rm -f "$pidfile"; echo "kafka-broker: not running ($dir)"; fi ;;
  status)
    pid=$(running_pid) || { echo "kafka-broker: not running ($dir)"; exit 1; }
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "kafka-broker: pid $pid does not answer on $port"; exit 1; }
    echo "kafka-broker: running, pid $pid, 127.0.0.1:$port" ;;
  *) echo "usage: $0 {fetch|start|restart|stop|status} [DIR]" >&2; exit 2 ;;
esac
