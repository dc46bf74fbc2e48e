// bench/engine_bench.cpp
// The engine's throughput against its limit, measured in one run on the same cluster:
//   limit      a plain librdkafka consume -> produce loop, at-least-once (flush + commit every 100 ms)
//   stateless  the engine running filter + mapValues + to
//   stateful   the engine running groupByKey + count (RocksDB, changelog, record cache), 10,000 keys
//   windowed   the engine running groupByKey + 1-minute tumbling windows + count (RocksDB window store, changelog,
//              record cache): the input's timestamps advance 1 ms per record, so about 17 windows per key
//   join       the engine running the input joined with itself (an inner stream-stream join within 1 s, two RocksDB
//              window stores with changelogs): a key comes back every 10 s, so each record meets only itself
//   Kafka Streams (Java), with --kafka-streams: the same stateless, stateful, windowed and join topologies in Kafka Streams 4.4.0 on the same input
//              topic (bench/kafka-streams-java, fresh application ids and output topics), run after the engine's;
//              printed with their share of the limit and engine/Kafka Streams, the ratio of the engine's rate to theirs
//   memory     the peak resident memory of the stateful topology: the engine in a process of its own, and Kafka
//              Streams' JVM with --kafka-streams (sampled every 20 ms), on a real broker
//   restore    restoring a changelog of N records into RocksDB, against a plain consume of the same topic and, with
//              --kafka-streams, a fresh Kafka Streams instance restoring the same records (rates from the first
//              record read, or Kafka Streams' first batch restored, to the N-th restored)
// Records: 9-byte keys (10,000 distinct), 100-byte values. Default: 1,000,000 records on librdkafka's mock cluster
// in this process (32 partitions: the mock keeps at most 5 MiB per partition log); --bootstrap HOST:PORT runs on
// a real broker instead. Rates count from the first record processed to the N-th (start, group joins and assignment
// excluded), configured alike on both sides: one stream thread (but for the num.stream.threads=2 line), at-least-once,
// commit.interval.ms=100, statestore.cache.max.bytes 10 MiB; the Java program times itself and prints its figure. Kafka Streams needs a real broker (it creates its internal topics with admin APIs the mock lacks): on the
// mock, --kafka-streams is reported as skipped.
//   engine_bench [--records N] [--partitions P] [--bootstrap HOST:PORT] [--kafka-streams bench/kafka-streams-java/run.sh]
//                [--only LIST] [--rounds R] [--producer KEY=VALUE ...] [--eos]
// --eos: the stateless and stateful topologies (and Kafka Streams' with --kafka-streams) also run under
// processing.guarantee=exactly_once_v2, in the same rounds (a real broker: the mock's transactions are not real).
// --only LIST: a comma-separated choice of passthrough, stateless, stateless2 (two stream threads), stateful, windowed,
// join, stateless-continue and stateful-continue (the exception handlers set to continue; only when named),
// kafka-streams, memory and restore (default: all the others); the limit, which every ratio needs, always runs.
// --rounds R (default 3): the limit and each engine topology run R times, taking turns; medians are reported, the
// ratios as the median of each round's ratio to that round's limit.
// --producer KEY=VALUE (repeatable): a librdkafka producer property for every producer of the run (the loader, the
// limit's and the engine's, as producer.KEY), e.g. enable.idempotence=false to measure what idempotence costs.
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "config/streams_config.h"
#include "kafka/admin.h"
#include "kafka/client_config.h"
#include "kafka/mock_cluster.h"
#include "kafka/producer.h"
#include "runtime/kafka_streams.h"
#include "runtime/partitioner.h"
#include "state/window_store.h"
#include "topology_file/loader.h"

using namespace streams;
using Clock = std::chrono::steady_clock;

namespace {

struct Cluster {
  std::unique_ptr<kafka::MockCluster> mock;
  std::string bootstrap;
  void Create(const std::string& topic, int partitions) {
    if (mock) {
      mock->CreateTopic(topic, partitions);
      return;
    }
    kafka::Admin admin({{"bootstrap.servers", bootstrap}});
    // retention.ms=-1: the records' timestamps are from 1970 (1000 + i), which a broker's time retention (7 days by
    // default, checked every 5 minutes) would delete in the middle of a run.
    for (const auto& r : admin.CreateTopics({{topic, partitions, 1, {{"retention.ms", "-1"}}}})) {
      if (!r.ok()) throw kafka::KafkaError(r.code, "creating " + topic, r.message);
    }
    for (int i = 0; i < 100 && admin.ListTopics().count(topic) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kafka::ClientProperties producer;  //!< --producer properties
  //! Producer properties.
  kafka::ClientProperties Props(kafka::ClientProperties extra = {}) const {
    extra["bootstrap.servers"] = bootstrap;
    for (const auto& [k, v] : producer) extra[k] = v;
    return extra;
  }
  //! Consumer properties: the mock holds empty fetches for the whole fetch.wait.max.ms.
  kafka::ClientProperties ConsumerProps(kafka::ClientProperties extra = {}) const {
    extra["bootstrap.servers"] = bootstrap;
    if (mock) extra.emplace("fetch.wait.max.ms", "10");
    return extra;
  }
};

//! The configuration both the engine and Kafka Streams run with.
constexpr const char* kCommitIntervalMs = "100";
constexpr const char* kCacheMaxBytes = "10485760";  // Kafka Streams' and the engine's default, stated

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

//! CPU seconds (user + system) of this process, all threads: with the figures, the cost of a record in CPU time,
//! which the other programs on a shared machine disturb less than a rate.
double CpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::string Key(long i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "key%06ld", i % 10000);  // 9 bytes
  return buf;
}

//! Produces n records (keys by murmur2 partition), returns records/s.
double Produce(Cluster& c, const std::string& topic, int partitions, long n, bool changelog_values = false) {
  kafka::Producer producer(c.Props({{"linger.ms", "5"}}));
  const std::string value(100, 'x');
  const auto start = Clock::now();
  for (long i = 0; i < n; ++i) {
    const std::string key = changelog_values ? "rkey" + std::to_string(i) : Key(i);
    std::string v = value;
    if (changelog_values) {
      v.clear();
      state::AppendBigEndian64(v, 1000 + i);
      state::AppendBigEndian64(v, i);
    }
    producer.Send(topic, runtime::PartitionForKey(key, partitions), key, v, 1000 + i);
  }
  producer.Flush();
  return static_cast<double>(n) / Seconds(Clock::now() - start);
}

struct Measured {
  double rate = 0;
  double cpu_us = 0;  //!< CPU microseconds of this process per record, from the first record to the n-th
};

//! The limit: consume, produce each record, every 100 ms flush the producer then commit (at-least-once).
Measured PlainPipe(Cluster& c, const std::string& in, const std::string& out, long n, const std::string& group) {
  kafka::Producer producer(c.Props());
  kafka::ConfPtr conf = kafka::MakeConf(c.ConsumerProps({{"group.id", group},
                                                 {"enable.auto.commit", "false"},
                                                 {"auto.offset.reset", "earliest"},
                                                 {"queued.min.messages", "1000000"},
                                                 {"queued.max.messages.kbytes", "262144"}}));
  kafka::HandlePtr consumer = kafka::MakeClient(RD_KAFKA_CONSUMER, std::move(conf));
  rd_kafka_poll_set_consumer(consumer.get());
  kafka::TopicPartitionListPtr topics(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(topics.get(), in.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer.get(), topics.get());
  long count = 0;
  Clock::time_point first{}, last_commit = Clock::now();
  double cpu_first = 0;
  while (count < n) {
    kafka::MessagePtr m(rd_kafka_consumer_poll(consumer.get(), 100));
    if (m && m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (count == 0) {
        first = Clock::now();
        cpu_first = CpuSeconds();
      }
      ++count;
      producer.Send(out, m->partition, std::string_view(static_cast<const char*>(m->key), m->key_len),
                    std::string_view(static_cast<const char*>(m->payload), m->len),
                    rd_kafka_message_timestamp(m.get(), nullptr));
    }
    if (Clock::now() - last_commit > std::chrono::milliseconds(100) || count == n) {
      producer.Flush();
      rd_kafka_commit(consumer.get(), nullptr, 0);  // the consumed positions (enable.auto.offset.store)
      last_commit = Clock::now();
    }
  }
  const Measured m{static_cast<double>(n) / Seconds(Clock::now() - first), (CpuSeconds() - cpu_first) * 1e6 / static_cast<double>(n)};
  std::fprintf(stderr, "limit: %ld records in %.2f s\n", n, Seconds(Clock::now() - first));
  rd_kafka_consumer_close(consumer.get());
  return m;
}

//! A plain consume of a topic from the beginning (assign), records/s.
double PlainConsume(Cluster& c, const std::string& topic, int partitions, long n) {
  kafka::HandlePtr consumer = kafka::MakeClient(
      RD_KAFKA_CONSUMER, kafka::MakeConf(c.ConsumerProps({{"group.id", "bench-read"},
                                                  {"queued.min.messages", "1000000"},
                                                  {"queued.max.messages.kbytes", "262144"}})));
  rd_kafka_poll_set_consumer(consumer.get());
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = 0;
  rd_kafka_assign(consumer.get(), list.get());
  // Timed from the first record to the n-th, as the restorations are (from their first batch).
  long count = 0;
  Clock::time_point first{};
  while (count < n) {
    kafka::MessagePtr m(rd_kafka_consumer_poll(consumer.get(), 100));
    if (m && m->err == RD_KAFKA_RESP_ERR_NO_ERROR && ++count == 1) first = Clock::now();
  }
  return static_cast<double>(n - 1) / Seconds(Clock::now() - first);
}

struct EngineResult {
  double rate = 0;
  double cpu_us = 0;
  std::int64_t restored = 0;
  double restore_rate = 0;
};

//! Runs a topology until `n` records are processed (or, with `restore`, until n records are restored).
EngineResult RunEngine(Cluster& c, const std::string& text, const std::string& app, long n, bool restore,
                       int threads = 1, const std::map<std::string, std::string>& extra = {}) {
  const auto topology = topology_file::LoadTopologyFile(text, app + ".topology.json", {{{"application.id", {app, {}}}}, {}});
  const std::string state_dir = (std::filesystem::temp_directory_path() / ("engine-bench-" + app)).string();
  std::filesystem::remove_all(state_dir);
  std::map<std::string, std::string> props = {{"application.id", app}, {"bootstrap.servers", c.bootstrap},
                                              {"state.dir", state_dir}, {"commit.interval.ms", kCommitIntervalMs},
                                              {"statestore.cache.max.bytes", kCacheMaxBytes},
                                              {"num.stream.threads", std::to_string(threads)}};
  if (c.mock) props["consumer.fetch.wait.max.ms"] = "10";
  for (const auto& [k, v] : c.producer) props["producer." + k] = v;
  for (const auto& [k, v] : extra) props[k] = v;
  std::ostringstream log;
  runtime::KafkaStreams::TopicCreator creator;
  if (c.mock) {
    creator = [&c](const std::vector<kafka::NewTopicSpec>& specs) { return c.mock->CreateTopics(specs); };
  }
  runtime::KafkaStreams streams(topology, config::ParseStreamsConfig(props), log, creator);
  EngineResult result;
  const auto start = Clock::now();
  streams.Start();
  Clock::time_point first{};
  double cpu_first = 0;
  std::int64_t first_done = 0;  //!< what the first sample found done: the restoration's rate counts the records after it
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const std::int64_t done = restore ? streams.restored() : streams.processed();
    // Restoration starts with its first changelog record read (a bulk load counts its records restored only
    // once it has written them all).
    const std::int64_t started = restore ? streams.restore_read() : done;
    if (started > 0 && first == Clock::time_point{}) {
      first = Clock::now();
      cpu_first = CpuSeconds();
      first_done = done;
    }
    if (done >= n || streams.stopping()) break;
  }
  const auto end = Clock::now();
  result.cpu_us = (CpuSeconds() - cpu_first) * 1e6 / static_cast<double>(n);
  std::fprintf(stderr, "%s: %ld records in %.2f s (%.2f s from start)\n", app.c_str(), n, Seconds(end - first),
               Seconds(end - start));
  result.rate = static_cast<double>(restore ? n - first_done : n) / Seconds(end - first);
  if (restore) result.restore_rate = static_cast<double>(n) / Seconds(end - start);
  result.restored = streams.restored();
  streams.RequestShutdown();
  streams.Join();
  std::filesystem::remove_all(state_dir);
  return result;
}

std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

//! Runs the Kafka Streams (Java) program (bench/kafka-streams-java/run.sh) on `in` until n records are processed.
//! It times from the first record to the n-th itself (a peek after the source, like the engine's processed count)
//! and prints `records=N seconds=S ...`; returns n/S, or 0 when it failed (its messages are on stderr).
double RunKafkaStreams(const Cluster& c, const std::string& script, const std::string& topology, const std::string& app,
                       const std::string& in, const std::string& out, long n, const std::string& guarantee) {
  std::string command = ShellQuote(script);
  for (const std::string& arg : {std::string("--topology"), topology, std::string("--bootstrap"), c.bootstrap,
                                 std::string("--application-id"), app, std::string("--input"), in,
                                 std::string("--output"), out, std::string("--records"), std::to_string(n),
                                 std::string("--commit-interval-ms"), std::string(kCommitIntervalMs),
                                 std::string("--cache-max-bytes"), std::string(kCacheMaxBytes),
                                 std::string("--processing-guarantee"), guarantee}) {
    command += ' ';
    command += ShellQuote(arg);
  }
  std::fflush(stdout);
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    std::fprintf(stderr, "engine_bench: cannot run %s: %s\n", script.c_str(), std::strerror(errno));
    return 0;
  }
  double seconds = 0;
  long records = 0;
  char line[512];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    long r = 0;
    double s = 0;
    if (std::sscanf(line, "records=%ld seconds=%lf", &r, &s) == 2) {
      records = r;
      seconds = s;
    }
  }
  const int status = ::pclose(pipe);
  if (status != 0 || records != n || seconds <= 0) {
    std::fprintf(stderr, "engine_bench: %s %s failed (%s %d)\n", script.c_str(), topology.c_str(),
                 WIFEXITED(status) ? "exit status" : "wait status", WIFEXITED(status) ? WEXITSTATUS(status) : status);
    return 0;
  }
  return static_cast<double>(n) / seconds;
}


//! The stateful topology (groupByKey + count materialized as "counts" + toStream + to) from `in` to `out`.
std::string CountTopology(const std::string& in, const std::string& out) {
  return R"({"pipelines": [{"source": {"stream": ")" + in + R"("}, "ops": [
        {"op": "groupByKey"}, {"op": "count", "materialized": {"as": "counts"}}, {"op": "toStream"},
        {"op": "to", "topic": ")" + out + R"(", "value": "long"}]}]})";
}

//! The resident memory (VmRSS) of this process's descendants, summed: the engine's child process, or Kafka
//! Streams' JVM under the shell popen starts (the shells add about 4 MiB). Sampled every 20 ms on a thread of its
//! own from construction to Stop(), which returns the peak in KiB.
class DescendantsRss {
 public:
  DescendantsRss() : thread_([this] {
    while (!stop_.load()) {
      peak_kib_ = std::max(peak_kib_, Sample());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }) {}
  ~DescendantsRss() { Stop(); }
  DescendantsRss(const DescendantsRss&) = delete;
  DescendantsRss& operator=(const DescendantsRss&) = delete;
  long Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return peak_kib_;
  }

 private:
  static long Sample() {
    std::multimap<long, long> children;  // parent pid -> pid
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
      const std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::ifstream stat(entry.path() / "stat");
      std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
      const auto paren = text.rfind(')');  // "pid (comm) state ppid ...": comm may hold spaces and parentheses
      if (paren == std::string::npos) continue;
      char state = 0;
      long ppid = 0;
      if (std::sscanf(text.c_str() + paren + 1, " %c %ld", &state, &ppid) == 2) children.emplace(ppid, std::stol(name));
    }
    long kib = 0;
    std::vector<long> todo = {static_cast<long>(::getpid())};
    while (!todo.empty()) {
      const long parent = todo.back();
      todo.pop_back();
      for (auto [it, end] = children.equal_range(parent); it != end; ++it) {
        todo.push_back(it->second);
        std::ifstream status("/proc/" + std::to_string(it->second) + "/status");
        for (std::string line; std::getline(status, line);) {
          if (line.rfind("VmRSS:", 0) == 0) kib += std::atol(line.c_str() + 6);
        }
      }
    }
    return kib;
  }
  std::atomic<bool> stop_{false};
  long peak_kib_ = 0;
  std::thread thread_;
};

//! `engine_bench --memory-child BOOTSTRAP IN OUT N APP`: the stateful topology alone in a process of its own, so
//! that its resident memory is the engine's only.
int MemoryChild(char** argv) {
  try {
    Cluster c;
    c.bootstrap = argv[2];
    RunEngine(c, CountTopology(argv[3], argv[4]), argv[6], std::atol(argv[5]), false);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "engine_bench --memory-child: " << e.what() << "\n";
    return 1;
  }
}

//! Memory: the peak resident set of the stateful topology, the engine's (in a child process: this one holds the
//! loader's and the other runs' memory) next to Kafka Streams'. Returns false when a run failed.
bool MeasureMemory(Cluster& c, const std::string& run, const std::string& in, long n, int partitions, int rounds,
                   const std::string& kafka_streams) {
  if (c.mock) {
    std::printf("memory: skipped on the mock cluster (it runs in this process; --bootstrap HOST:PORT)\n");
    return true;
  }
  std::vector<double> engine_mib, engine_hwm_mib, ks_mib;
  for (int r = 1; r <= rounds; ++r) {
    const std::string round = run + "-" + std::to_string(r);
    const std::string app = "bench-memory-" + round;
    c.Create(app + "-out", partitions);
    const std::vector<std::string> args = {"engine_bench", "--memory-child", c.bootstrap, in, app + "-out",
                                           std::to_string(n), app};
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::fflush(stdout);
    DescendantsRss sampler;
    const pid_t child = ::fork();
    if (child == 0) {
      ::execv("/proc/self/exe", argv.data());
      ::_exit(127);
    }
    int status = 0;
    rusage usage{};
    if (child < 0 || ::wait4(child, &status, 0, &usage) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::printf("memory, engine stateful: failed (see stderr)\n");
      return false;
    }
    engine_mib.push_back(static_cast<double>(sampler.Stop()) / 1024);
    engine_hwm_mib.push_back(static_cast<double>(usage.ru_maxrss) / 1024);
    std::printf("round %d: memory, engine stateful: peak RSS %.0f MiB sampled, %.0f MiB VmHWM\n", r, engine_mib.back(),
                engine_hwm_mib.back());
    if (kafka_streams.empty()) continue;
    const std::string ks_app = "bench-memory-ks-" + round;
    c.Create(ks_app + "-out", partitions);
    DescendantsRss ks_sampler;
    const double ks = RunKafkaStreams(c, kafka_streams, "stateful", ks_app, in, ks_app + "-out", n, "at_least_once");
    ks_mib.push_back(static_cast<double>(ks_sampler.Stop()) / 1024);
    if (ks <= 0) {
      std::printf("memory, Kafka Streams stateful: failed (see stderr)\n");
      return false;
    }
    std::printf("round %d: memory, Kafka Streams stateful: peak RSS %.0f MiB sampled (%.0f records/s)\n", r,
                ks_mib.back(), ks);
  }
  std::printf("memory, stateful groupByKey+count, statestore.cache.max.bytes %s, median of %d rounds:\n", kCacheMaxBytes,
              rounds);
  std::printf("%-44s %10.0f MiB peak RSS (sampled every 20 ms; %.0f MiB VmHWM)\n", "engine (a process of its own)",
              Median(engine_mib), Median(engine_hwm_mib));
  if (!ks_mib.empty()) {
    std::printf("%-44s %10.0f MiB peak RSS (sampled every 20 ms); Kafka Streams/engine = %.1f\n",
                "Kafka Streams (Java, the JVM's default heap)", Median(ks_mib), Median(ks_mib) / Median(engine_mib));
  }
  return true;
}

//! Restoration: a changelog of n records (n distinct keys) restored into RocksDB by a fresh instance of the
//! stateful topology's application (on an input topic with no records), against a plain consume of the changelog
//! and, with `kafka_streams`, a fresh Kafka Streams instance restoring the same records. Kafka Streams leaves its
//! consumer group member behind on close (until the session times out), so each of its rounds has an application
//! of its own and so a changelog of its own, produced alike. Returns false when a run failed.
bool MeasureRestoration(Cluster& c, const std::string& run, long n, int partitions, int rounds,
                        const std::string& kafka_streams) {
  const std::string rapp = "bench-restore-" + run;
  const std::string rin = "bench-restore-in-" + run;
  c.Create(rin, partitions);
  c.Create(rapp + "-counts-changelog", partitions);
  Produce(c, rapp + "-counts-changelog", partitions, n, true);
  const bool with_ks = !kafka_streams.empty() && !c.mock;
  if (!kafka_streams.empty() && c.mock) std::printf("Kafka Streams restoration: skipped on the mock cluster\n");
  for (int r = 1; with_ks && r <= rounds; ++r) {
    const std::string app = rapp + "-ks-" + std::to_string(r);
    c.Create(app + "-counts-changelog", partitions);
    Produce(c, app + "-counts-changelog", partitions, n, true);
  }
  std::vector<double> consume, engine, engine_from_start, ks, engine_ratio, ks_ratio;
  for (int r = 1; r <= rounds; ++r) {
    consume.push_back(PlainConsume(c, rapp + "-counts-changelog", partitions, n));
    const EngineResult e = RunEngine(c, CountTopology(rin, "bench-stateful-out-" + run), rapp, n, true);
    if (e.restored != n) {
      std::printf("engine restoration: %lld of %ld records restored\n", static_cast<long long>(e.restored), n);
      return false;
    }
    engine.push_back(e.rate);
    engine_from_start.push_back(e.restore_rate);
    engine_ratio.push_back(e.rate / consume.back());
    std::printf("round %d: %-35s %10.0f records/s   engine %10.0f records/s = %.2f of it", r,
                "plain consume of the changelog", consume.back(), e.rate, engine_ratio.back());
    if (with_ks) {
      const std::string app = rapp + "-ks-" + std::to_string(r);
      ks.push_back(RunKafkaStreams(c, kafka_streams, "restore", app, rin, "bench-stateful-out-" + run, n, "at_least_once"));
      if (ks.back() <= 0) {
        std::printf("\nKafka Streams restoration: failed (see stderr)\n");
        return false;
      }
      ks_ratio.push_back(e.rate / ks.back());
      std::printf("   Kafka Streams %9.0f records/s", ks.back());
    }
    std::printf("\n");
  }
  std::printf("restoration, median of %d rounds (rates from the first record read or batch restored to the %ld-th restored):\n", rounds, n);
  std::printf("%-44s %10.0f records/s   1.00\n", "plain consume of the changelog", Median(consume));
  std::printf("%-44s %10.0f records/s   %.2f of the plain consume (target 0.8); %.0f records/s from start\n",
              "engine restoration into RocksDB", Median(engine), Median(engine_ratio), Median(engine_from_start));
  if (with_ks) {
    std::printf("%-44s %10.0f records/s   %.2f of the plain consume; engine/Kafka Streams = %.2f (target 2)\n",
                "Kafka Streams (Java) restoration", Median(ks), Median(ks) / Median(consume), Median(ks_ratio));
  }
  return true;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc == 7 && std::strcmp(argv[1], "--memory-child") == 0) return MemoryChild(argv);
  long n = 1000000;
  int partitions = 32;
  Cluster c;
  std::string kafka_streams;  // bench/kafka-streams-java/run.sh
  std::string only;
  int rounds = 3;
  bool eos = false;
  for (int i = 1; i < argc; ++i) eos |= std::strcmp(argv[i], "--eos") == 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--eos") == 0) --i;  // a flag: the next argument is an option name
    if (std::strcmp(argv[i], "--records") == 0) n = std::atol(argv[i + 1]);
    if (std::strcmp(argv[i], "--partitions") == 0) partitions = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--bootstrap") == 0) c.bootstrap = argv[i + 1];
    if (std::strcmp(argv[i], "--kafka-streams") == 0) kafka_streams = argv[i + 1];
    if (std::strcmp(argv[i], "--only") == 0) only = argv[i + 1];
    if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::max(1, std::atoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--producer") == 0) {
      const std::string kv = argv[i + 1];
      const auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::cerr << "engine_bench: --producer " << kv << ": expected KEY=VALUE\n";
        return 2;
      }
      c.producer[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  // --only LIST: those measurements (and the limit, which every ratio needs) only.
  const auto want = [&only](const char* what) {
    if (only.empty()) return true;
    std::stringstream list(only);
    for (std::string item; std::getline(list, item, ',');) {
      if (item == what) return true;
    }
    return false;
  };
  bool failed = false;
  try {
    if (c.bootstrap.empty()) {
      c.mock = std::make_unique<kafka::MockCluster>(1);
      c.bootstrap = c.mock->bootstrap_servers();
    }
    const std::string run = std::to_string(::getpid());
    std::cout << "engine_bench: " << n << " records (9-byte keys, 10,000 distinct; 100-byte values), " << partitions
              << " partitions, " << (c.mock ? "librdkafka mock cluster in this process" : "broker " + c.bootstrap) << "\n";
    for (const auto& [k, v] : c.producer) std::cout << "producer property " << k << "=" << v << "\n";
    const std::string in = "bench-in-" + run;
    for (const auto& t : {in, "bench-plain-out-" + run, "bench-stateless-out-" + run, "bench-stateful-out-" + run,
                          "bench-windowed-out-" + run, "bench-join-out-" + run}) {
      c.Create(t, partitions);
    }
    const double produce = Produce(c, in, partitions, n);
    std::printf("%-44s %10.0f records/s\n", "produce (input load)", produce);
    const std::string passthrough = R"({"pipelines": [{"source": {"stream": ")" + in + R"("}, "ops": [
        {"op": "to", "topic": "bench-stateless-out-)" + run + R"("}]}]})";
    const std::string stateless = R"({"pipelines": [{"source": {"stream": ")" + in + R"("}, "ops": [
        {"op": "filter", "predicate": "length > 10"}, {"op": "mapValues", "mapper": ".[0:50]"},
        {"op": "to", "topic": "bench-stateless-out-)" + run + R"("}]}]})";
    const std::string stateful = R"({"pipelines": [{"source": {"stream": ")" + in + R"("}, "ops": [
        {"op": "groupByKey"}, {"op": "count", "materialized": {"as": "counts"}}, {"op": "toStream"},
        {"op": "to", "topic": "bench-stateful-out-)" + run + R"(", "value": "long"}]}]})";
    const std::string windowed = R"({"pipelines": [{"source": {"stream": ")" + in + R"("}, "ops": [
        {"op": "groupByKey"}, {"op": "windowedBy", "window": {"type": "tumbling", "size": "1m", "grace": "0ms"}},
        {"op": "count", "materialized": {"as": "windowed-counts"}}, {"op": "toStream"},
        {"op": "to", "topic": "bench-windowed-out-)" + run + R"(", "key": "windowed<string>", "value": "long"}]}]})";
    const std::string join = R"({"pipelines": [{"source": {"stream": ")" + in + R"("}, "as": "in"}, {"from": "in", "ops": [
        {"op": "join", "with": "in", "joiner": "$left[0:50]", "window": {"before": "1s", "grace": "0ms"}},
        {"op": "to", "topic": "bench-join-out-)" + run + R"("}]}]})";
    // Rounds: the limit and the engine's topologies take turns, each reading the whole input with a fresh group, so
    // that all see the broker (JIT, page cache, GC) in the same states. Medians are reported, and the median of each
    // round's ratio to that round's limit (runs of one round are neighbours in time). The pass-through topology
    // (source -> to) is the engine without user logic: what the runtime itself costs.
    struct Series {
      const char* label;
      const std::string* topology;
      const char* target;
      std::vector<double> rates, cpu, ratios;
      std::map<std::string, std::string> extra;  //!< properties over the common ones
    };
    // The exception handlers set to continue (docs/configuration.md): the same topologies, for the cost of handling.
    const std::map<std::string, std::string> handlers_continue = {{"deserialization.exception.handler", "continue"},
                                                                  {"processing.exception.handler", "continue"},
                                                                  {"production.exception.handler", "continue"}};
    std::vector<Series> series;
    if (want("passthrough")) series.push_back({"engine pass-through: source+to", &passthrough, "", {}, {}, {}, {}});
    if (want("stateless")) series.push_back({"engine stateless: filter+mapValues+to", &stateless, " (target 0.8)", {}, {}, {}, {}});
    if (!only.empty() && want("stateless-continue")) {
      series.push_back({"engine stateless, handlers continue", &stateless, "", {}, {}, {}, handlers_continue});
    }
    if (want("stateful")) series.push_back({"engine stateful: groupByKey+count (RocksDB)", &stateful, " (target 0.5)", {}, {}, {}, {}});
    if (want("windowed")) {
      series.push_back({"engine windowed: 1-min tumbling count", &windowed, " (target 0.7)", {}, {}, {}, {}});
    }
    if (want("join")) series.push_back({"engine stream-stream self-join, 1 s", &join, "", {}, {}, {}, {}});
    if (!only.empty() && want("stateful-continue")) {
      series.push_back({"engine stateful, handlers continue", &stateful, "", {}, {}, {}, handlers_continue});
    }
    // --eos: the stateless and stateful topologies under exactly_once_v2 too, in the same rounds.
    const std::map<std::string, std::string> eos_v2 = {{"processing.guarantee", "exactly_once_v2"}};
    if (eos && want("stateless")) {
      series.push_back({"engine stateless, exactly_once_v2", &stateless, " (target 0.8 of ALO)", {}, {}, {}, eos_v2});
    }
    if (eos && want("stateful")) {
      series.push_back({"engine stateful, exactly_once_v2", &stateful, " (target 0.8 of ALO)", {}, {}, {}, eos_v2});
    }
    std::vector<double> limit_rates, limit_cpu;
    for (int r = 1; r <= rounds; ++r) {
      const std::string round = run + "-" + std::to_string(r);
      const Measured plain = PlainPipe(c, in, "bench-plain-out-" + run, n, "bench-plain-" + round);
      limit_rates.push_back(plain.rate);
      limit_cpu.push_back(plain.cpu_us);
      std::printf("round %d: %-44s %10.0f records/s                       cpu %5.2f us/record\n", r, "limit", plain.rate,
                  plain.cpu_us);
      for (std::size_t i = 0; i < series.size(); ++i) {
        Series& s = series[i];
        const EngineResult e = RunEngine(c, *s.topology, "bench-" + std::to_string(i) + "-" + round, n, false, 1, s.extra);
        s.rates.push_back(e.rate);
        s.cpu.push_back(e.cpu_us);
        s.ratios.push_back(e.rate / plain.rate);
        std::printf("round %d: %-44s %10.0f records/s   %.2f of the limit   cpu %5.2f us/record\n", r, s.label, e.rate,
                    e.rate / plain.rate, e.cpu_us);
      }
    }
    const double limit = Median(limit_rates);
    std::printf("median of %d rounds:\n", rounds);
    std::printf("%-44s %10.0f records/s   1.00                             cpu %5.2f us/record\n",
                "limit: plain consume-produce, ALO commits", limit, Median(limit_cpu));
    EngineResult sl, sf, sl_eos, sf_eos, wc, sj;
    for (const Series& s : series) {
      const double rate = Median(s.rates);
      std::printf("%-44s %10.0f records/s   %.2f of the limit%-13s  cpu %5.2f us/record\n", s.label, rate,
                  Median(s.ratios), s.target, Median(s.cpu));
      const auto g = s.extra.find("processing.guarantee");
      const bool exactly_once = g != s.extra.end() && g->second == "exactly_once_v2";
      const bool handlers = s.extra.count("processing.exception.handler") != 0;
      if (s.topology == &stateless && !handlers) (exactly_once ? sl_eos : sl).rate = rate;
      if (s.topology == &stateful && !handlers) (exactly_once ? sf_eos : sf).rate = rate;
      if (s.topology == &windowed) wc.rate = rate;
      if (s.topology == &join) sj.rate = rate;
    }
    if (want("stateless2")) {
      const auto sl2 = RunEngine(c, stateless, "bench-stateless2-" + run, n, false, 2);
      std::printf("%-44s %10.0f records/s   %.2f of the median limit (one run)\n", "engine stateless, num.stream.threads=2",
                  sl2.rate, sl2.rate / limit);
    }

    // Kafka Streams (Java): the same topologies on the same input topic, fresh application ids and outputs.
    if (!kafka_streams.empty() && c.mock) {
      std::printf("Kafka Streams (Java): skipped, it needs a real broker (--bootstrap HOST:PORT): the mock cluster "
                  "lacks the admin APIs Kafka Streams uses to create its internal topics\n");
    } else if (!kafka_streams.empty() && want("kafka-streams")) {
      struct KsRun {
        const char* kind;
        double engine_rate;
        const char* guarantee;
      };
      std::vector<KsRun> runs = {{"stateless", sl.rate, "at_least_once"}, {"stateful", sf.rate, "at_least_once"},
                                 {"windowed", wc.rate, "at_least_once"}, {"join", sj.rate, "at_least_once"}};
      if (eos) {
        runs.push_back({"stateless", sl_eos.rate, "exactly_once_v2"});
        runs.push_back({"stateful", sf_eos.rate, "exactly_once_v2"});
      }
      for (const auto& [kind, engine_rate, guarantee] : runs) {
        if (!want(kind)) continue;
        const bool exactly_once = std::strcmp(guarantee, "exactly_once_v2") == 0;
        const std::string app = std::string("bench-ks-") + kind + (exactly_once ? "-eos-" : "-") + run;
        c.Create(app + "-out", partitions);
        const double ks = RunKafkaStreams(c, kafka_streams, kind, app, in, app + "-out", n, guarantee);
        const std::string label = std::string("Kafka Streams (Java) ") + kind + (exactly_once ? ", exactly_once_v2" : "");
        if (ks <= 0) {
          std::printf("%-44s     failed (see stderr)\n", label.c_str());
          failed = true;
          continue;
        }
        std::printf("%-44s %10.0f records/s   %.2f of the limit; engine/Kafka Streams = %.2f\n", label.c_str(), ks,
                    ks / limit, engine_rate / ks);
      }
    }

    if (want("memory")) failed |= !MeasureMemory(c, run, in, n, partitions, rounds, kafka_streams);
    if (want("restore")) failed |= !MeasureRestoration(c, run, n, partitions, rounds, kafka_streams);
  } catch (const std::exception& e) {
    std::cerr << "engine_bench: " << e.what() << "\n";
    return 1;
  }
  return failed ? 1 : 0;
}
