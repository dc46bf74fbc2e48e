// failover_tool: the Kafka side of bench/failover/failover.sh (topics, input, lag, the SIGKILL and its probes).
//   failover_tool create BOOTSTRAP PARTITIONS TOPIC [KEY=VALUE...]   creates TOPIC with the topic configs
//   failover_tool delete BOOTSTRAP PREFIX                            deletes every topic whose name starts with PREFIX
//   failover_tool load BOOTSTRAP TOPIC FROM TO KEYS                  records FROM..TO-1: key "k<i % KEYS>", value "v"
//   failover_tool lag BOOTSTRAP GROUP TOPIC                          prints the group's lag on TOPIC (end offsets
//                                                                    minus committed offsets, summed)
//   failover_tool size BOOTSTRAP TOPIC [PARTITION...]                prints the records TOPIC holds (in PARTITIONs;
//                                                                    0: no topic)
//   failover_tool failover BOOTSTRAP PID INPUT OUTPUT TAG TIMEOUT_S  SIGKILLs PID, then writes one probe record
//        (key "probe-TAG-P", value "v") into each partition P of INPUT and waits for each probe's count on OUTPUT;
//        prints "killed_at_ms T" (the time of the SIGKILL), then "partition P seconds S" per partition, S from the
//        SIGKILL to the broker's LogAppendTime of the probe's output record (OUTPUT must have
//        message.timestamp.type=LogAppendTime), or "partition P timeout"
//   failover_tool verify BOOTSTRAP OUTPUT TO KEYS TAG                reads OUTPUT (read_committed): the last count of
//        every key k<j> must be its count in records 0..TO-1, and of every probe-TAG-P 1 (more updates per key are
//        fine: at-least-once replays them); prints "keys=K wrong_final=W records=R", exit 0 when W is 0
// Counts on OUTPUT are 8-byte big-endian longs (the engine's "value": "long", Kafka's LongSerializer).
#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "kafka/admin.h"
#include "kafka/client_config.h"
#include "kafka/producer.h"

using namespace streams;

namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t Long(const rd_kafka_message_t& m) {
  std::int64_t value = 0;
  for (std::size_t b = 0; b < 8 && b < m.len; ++b) value = (value << 8) | static_cast<const unsigned char*>(m.payload)[b];
  return value;
}

//! A consumer (no group membership: assign only) reading every partition of `topic` from `from` (default: the
//! start), with read_committed.
kafka::HandlePtr Reader(const std::string& bootstrap, const std::string& topic, int partitions,
                        const std::map<int, std::int64_t>& from) {
  kafka::HandlePtr consumer = kafka::MakeClient(
      RD_KAFKA_CONSUMER,
      kafka::MakeConf({{"bootstrap.servers", bootstrap}, {"group.id", "failover-tool"}, {"enable.auto.commit", "false"},
                       {"enable.partition.eof", "true"}, {"isolation.level", "read_committed"},
                       {"fetch.wait.max.ms", "10"}},
                      "consumer"),
      "reader");
  rd_kafka_poll_set_consumer(consumer.get());
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) {
    auto it = from.find(p);
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset =
        it == from.end() ? RD_KAFKA_OFFSET_BEGINNING : it->second;
  }
  kafka::ThrowIfError(rd_kafka_assign(consumer.get(), list.get()), "assign");
  return consumer;
}

int Failover(const std::string& bootstrap, pid_t pid, const std::string& input, const std::string& output,
             const std::string& tag, int timeout_s) {
  kafka::Admin admin({{"bootstrap.servers", bootstrap}});
  const auto topics = admin.ListTopics();
  const int in_partitions = topics.at(input), out_partitions = topics.at(output);
  std::map<int, std::int64_t> ends;
  for (int p = 0; p < out_partitions; ++p) ends[p] = admin.QueryWatermarks(output, p).high;
  kafka::HandlePtr reader = Reader(bootstrap, output, out_partitions, ends);
  kafka::Producer producer({{"bootstrap.servers", bootstrap}, {"linger.ms", "0"}});
  {  // the producer connected and the input's metadata known before the clock starts
    const rd_kafka_metadata_t* metadata = nullptr;
    rd_kafka_topic_t* topic = rd_kafka_topic_new(producer.handle(), input.c_str(), nullptr);
    if (rd_kafka_metadata(producer.handle(), 0, topic, &metadata, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_metadata_destroy(metadata);
    }
    rd_kafka_topic_destroy(topic);
  }
  const std::int64_t killed_at = NowMs();
  if (kill(pid, SIGKILL) != 0) {
    std::cerr << "failover_tool: cannot SIGKILL " << pid << "\n";
    return 2;
  }
  for (int p = 0; p < in_partitions; ++p) producer.Send(input, p, "probe-" + tag + "-" + std::to_string(p), "v", 0);
  producer.Flush();
  std::map<std::string, int> waiting;
  for (int p = 0; p < in_partitions; ++p) waiting["probe-" + tag + "-" + std::to_string(p)] = p;
  std::map<int, double> seconds;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (!waiting.empty() && std::chrono::steady_clock::now() < deadline) {
    kafka::MessagePtr m(rd_kafka_consumer_poll(reader.get(), 100));
    if (!m || m->err != RD_KAFKA_RESP_ERR_NO_ERROR || m->key == nullptr) continue;
    auto it = waiting.find(std::string(static_cast<const char*>(m->key), m->key_len));
    if (it == waiting.end()) continue;
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    const std::int64_t appended = rd_kafka_message_timestamp(m.get(), &type);
    if (type != RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME) {
      std::cerr << "failover_tool: " << output << " has no LogAppendTime (message.timestamp.type)\n";
      return 2;
    }
    seconds[it->second] = static_cast<double>(appended - killed_at) / 1000.0;
    waiting.erase(it);
  }
  rd_kafka_assign(reader.get(), nullptr);
  rd_kafka_consumer_close(reader.get());
  std::cout << "killed_at_ms " << killed_at << "\n";
  for (int p = 0; p < in_partitions; ++p) {
    auto it = seconds.find(p);
    if (it == seconds.end()) {
      std::cout << "partition " << p << " timeout\n";
    } else {
      std::cout << "partition " << p << " seconds " << it->second << "\n";
    }
  }
  return waiting.empty() ? 0 : 1;
}

int Verify(const std::string& bootstrap, const std::string& output, std::int64_t to, std::int64_t keys,
           const std::string& tag) {
  kafka::Admin admin({{"bootstrap.servers", bootstrap}});
  const int partitions = admin.ListTopics().at(output);
  std::map<int, std::int64_t> ends;
  for (int p = 0; p < partitions; ++p) ends[p] = admin.QueryWatermarks(output, p).high;
  kafka::HandlePtr reader = Reader(bootstrap, output, partitions, {});
  std::map<std::string, std::int64_t> last;
  std::set<int> open;
  for (const auto& [p, end] : ends) {
    if (end > 0) open.insert(p);
  }
  std::int64_t records = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!open.empty() && std::chrono::steady_clock::now() < deadline) {
    kafka::MessagePtr m(rd_kafka_consumer_poll(reader.get(), 200));
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (m->offset >= ends[m->partition]) open.erase(m->partition);
      continue;
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR || m->key == nullptr) continue;
    ++records;
    last[std::string(static_cast<const char*>(m->key), m->key_len)] = Long(*m);
  }
  rd_kafka_assign(reader.get(), nullptr);
  rd_kafka_consumer_close(reader.get());
  std::map<std::string, std::int64_t> expected;
  for (std::int64_t i = 0; i < to; ++i) ++expected["k" + std::to_string(i % keys)];
  std::int64_t wrong = 0;
  for (const auto& [key, count] : expected) {
    auto it = last.find(key);
    if (it == last.end() || it->second != count) ++wrong;
  }
  for (const auto& [key, value] : last) {
    if (key.rfind("probe-" + tag + "-", 0) == 0) {
      if (value != 1) ++wrong;
    } else if (expected.count(key) == 0) {
      ++wrong;
    }
  }
  std::cout << "keys=" << last.size() << " wrong_final=" << wrong << " records=" << records << std::endl;
  return wrong == 0 && open.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string cmd = argc > 1 ? argv[1] : "";
    const std::vector<std::string> a(argv + std::min(argc, 2), argv + argc);
    if (cmd == "create" && a.size() >= 3) {
      kafka::Admin admin({{"bootstrap.servers", a[0]}});
      std::map<std::string, std::string> configs{{"retention.ms", "-1"}};
      for (std::size_t i = 3; i < a.size(); ++i) {
        const auto eq = a[i].find('=');
        if (eq == std::string::npos) throw std::invalid_argument("not KEY=VALUE: " + a[i]);
        configs[a[i].substr(0, eq)] = a[i].substr(eq + 1);
      }
      for (const auto& r : admin.CreateTopics({{a[2], std::stoi(a[1]), 1, configs}})) {
        if (!r.ok()) throw kafka::KafkaError(r.code, "creating " + r.topic, r.message);
      }
      // until the broker's metadata has it: an application started right away would not find it
      for (int i = 0; i < 100 && admin.ListTopics().count(a[2]) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      return 0;
    }
    if (cmd == "delete" && a.size() == 2 && !a[1].empty()) {
      kafka::Admin admin({{"bootstrap.servers", a[0]}});
      std::vector<std::string> doomed;
      for (const auto& [topic, partitions] : admin.ListTopics()) {
        if (topic.rfind(a[1], 0) == 0) doomed.push_back(topic);
      }
      if (!doomed.empty()) admin.DeleteTopics(doomed);
      return 0;
    }
    if (cmd == "load" && a.size() == 5) {
      kafka::Producer producer({{"bootstrap.servers", a[0]}, {"partitioner", "murmur2_random"}, {"linger.ms", "20"}});
      const std::int64_t from = std::stoll(a[2]), to = std::stoll(a[3]), keys = std::stoll(a[4]);
      for (std::int64_t i = from; i < to; ++i) producer.Send(a[1], RD_KAFKA_PARTITION_UA, "k" + std::to_string(i % keys), "v", 0);
      producer.Flush();
      return 0;
    }
    if (cmd == "lag" && a.size() == 3) {
      kafka::Admin admin({{"bootstrap.servers", a[0]}});
      const int partitions = admin.ListTopics().at(a[2]);
      const auto committed = admin.ListGroupOffsets(a[1]);
      std::int64_t lag = 0;
      for (int p = 0; p < partitions; ++p) {
        const auto wm = admin.QueryWatermarks(a[2], p);
        auto it = committed.find({a[2], p});
        lag += wm.high - (it == committed.end() ? wm.low : it->second);
      }
      std::cout << lag << std::endl;
      return 0;
    }
    if (cmd == "size" && a.size() >= 2) {
      kafka::Admin admin({{"bootstrap.servers", a[0]}});
      const auto topics = admin.ListTopics();
      std::int64_t records = 0;
      if (auto it = topics.find(a[1]); it != topics.end()) {
        std::vector<int> partitions;
        for (std::size_t i = 2; i < a.size(); ++i) partitions.push_back(std::stoi(a[i]));
        if (partitions.empty()) {
          for (int p = 0; p < it->second; ++p) partitions.push_back(p);
        }
        for (int p : partitions) {
          const auto wm = admin.QueryWatermarks(a[1], p);
          records += wm.high - wm.low;
        }
      }
      std::cout << records << std::endl;
      return 0;
    }
    if (cmd == "failover" && a.size() == 6) {
      return Failover(a[0], static_cast<pid_t>(std::stol(a[1])), a[2], a[3], a[4], std::stoi(a[5]));
    }
    if (cmd == "verify" && a.size() == 5) return Verify(a[0], a[1], std::stoll(a[2]), std::stoll(a[3]), a[4]);
    std::cerr << "usage: failover_tool create|delete|load|lag|size|failover|verify ... (see bench/failover/failover_tool.cpp)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "failover_tool: " << e.what() << "\n";
    return 2;
  }
}
