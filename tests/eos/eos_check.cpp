// eos_check: the input loader and output verifier of the exactly-once tests (tests/eos/*.sh).
//   eos_check create BOOTSTRAP PARTITIONS TOPIC...          creates the topics
//   eos_check produce BOOTSTRAP KEYS_TOPIC TEXT_TOPIC FROM TO records FROM..TO-1 of the input (both topics)
//   eos_check verify BOOTSTRAP TOPIC ISOLATION MODE N        reads TOPIC to its end with isolation.level ISOLATION
//   eos_check limit BOOTSTRAP MAX_BYTES TOPIC...             creates the topics (4 partitions) with max.message.bytes
//   eos_check poison BOOTSTRAP KEYS_TOPIC KEY_BYTES          one record whose key (KEY_BYTES bytes of 'p') makes a
//                                                            count result larger than a limited output topic allows
//   eos_check poisoned BOOTSTRAP TOPIC N EVERY               records 0..N-1 of the keys input with JSON values (1),
//                                                            and after every EVERY-th one a poison pill with key
//                                                            poison-<j>: value {bad (not JSON) for even j, "x" (a
//                                                            JSON string, which a mapper adding 0 fails on) for odd j
// The input: record i has key "k<i % 500>" on KEYS_TOPIC and value "w<i % 37> x<i % 11>" on TEXT_TOPIC. The outputs
// are counts (8-byte big-endian longs) of the keys (MODE keys) or of the words (MODE words) of records 0..N-1, one
// output record per update (record cache off): every key's values must be exactly 1, 2, ..., its count. verify
// prints "records=R keys=K duplicates=D gaps=G wrong_final=W" and exits 0 only when all three are 0 and R is the
// number of updates expected; a duplicate is a value at or below one already read for the key (an update that
// reappears after a replay).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <string>

#include "kafka/admin.h"
#include "kafka/producer.h"

using namespace streams;

namespace {

std::map<std::string, std::int64_t> Expected(const std::string& mode, std::int64_t n) {
  std::map<std::string, std::int64_t> out;
  for (std::int64_t i = 0; i < n; ++i) {
    if (mode == "keys") {
      ++out["k" + std::to_string(i % 500)];
    } else {
      ++out["w" + std::to_string(i % 37)];
      ++out["x" + std::to_string(i % 11)];
    }
  }
  return out;
}

int Verify(const std::string& bootstrap, const std::string& topic, const std::string& isolation,
           const std::string& mode, std::int64_t n) {
  kafka::Admin admin({{"bootstrap.servers", bootstrap}});
  const int partitions = admin.ListTopics().at(topic);
  kafka::ClientProperties props = {{"bootstrap.servers", bootstrap},
                                   {"group.id", "eos-check"},
                                   {"enable.auto.commit", "false"},
                                   {"enable.partition.eof", "true"},
                                   {"isolation.level", isolation}};
  kafka::HandlePtr consumer = kafka::MakeClient(RD_KAFKA_CONSUMER, kafka::MakeConf(props, "consumer"), "verifier");
  rd_kafka_poll_set_consumer(consumer.get());
  std::map<std::string, std::int64_t> last;
  std::int64_t records = 0, duplicates = 0, gaps = 0;
  for (int p = 0; p < partitions; ++p) {
    const auto wm = admin.QueryWatermarks(topic, p);
    kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = wm.low;
    kafka::ThrowIfError(rd_kafka_assign(consumer.get(), list.get()), "assign");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      kafka::MessagePtr m(rd_kafka_consumer_poll(consumer.get(), 200));
      if (!m) continue;
      if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        if (m->offset >= wm.high) break;
        continue;
      }
      if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR || m->key == nullptr || m->len != 8) continue;
      ++records;
      const std::string key(static_cast<const char*>(m->key), m->key_len);
      std::int64_t value = 0;
      for (std::size_t b = 0; b < 8; ++b) value = (value << 8) | static_cast<const unsigned char*>(m->payload)[b];
      auto& previous = last[key];
      if (value <= previous) {
        ++duplicates;
      } else if (value != previous + 1) {
        ++gaps;
      }
      previous = std::max(previous, value);
    }
  }
  rd_kafka_assign(consumer.get(), nullptr);
  rd_kafka_consumer_close(consumer.get());
  const auto expected = Expected(mode, n);
  std::int64_t wrong = 0, updates = 0;
  for (const auto& [key, count] : expected) {
    updates += count;
    auto it = last.find(key);
    if (it == last.end() || it->second != count) ++wrong;
  }
  wrong += static_cast<std::int64_t>(last.size()) - static_cast<std::int64_t>(expected.size());
  std::cout << "records=" << records << " keys=" << last.size() << " duplicates=" << duplicates << " gaps=" << gaps
            << " wrong_final=" << wrong << " expected_records=" << updates << std::endl;
  return duplicates == 0 && gaps == 0 && wrong == 0 && records == updates ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "create" && argc >= 4) {
      kafka::Admin admin({{"bootstrap.servers", argv[2]}});
      std::vector<kafka::NewTopicSpec> specs;
      for (int i = 4; i < argc; ++i) specs.push_back({argv[i], std::stoi(argv[3]), 1, {}});
      for (const auto& r : admin.CreateTopics(specs)) {
        if (!r.ok()) throw kafka::KafkaError(r.code, "creating " + r.topic, r.message);
      }
      return 0;
    }
    if (cmd == "limit" && argc >= 5) {
      kafka::Admin admin({{"bootstrap.servers", argv[2]}});
      std::vector<kafka::NewTopicSpec> specs;
      for (int i = 4; i < argc; ++i) specs.push_back({argv[i], 4, 1, {{"max.message.bytes", argv[3]}}});
      for (const auto& r : admin.CreateTopics(specs)) {
        if (!r.ok()) throw kafka::KafkaError(r.code, "creating " + r.topic, r.message);
      }
      return 0;
    }
    if (cmd == "poison" && argc == 5) {
      kafka::Producer producer({{"bootstrap.servers", argv[2]}});
      producer.Send(argv[3], RD_KAFKA_PARTITION_UA, std::string(std::stoul(argv[4]), 'p'), "v", 999);
      producer.Flush();
      return 0;
    }
    if (cmd == "poisoned" && argc == 6) {
      kafka::Producer producer({{"bootstrap.servers", argv[2]}, {"partitioner", "murmur2_random"}});
      const std::int64_t n = std::stoll(argv[4]), every = std::stoll(argv[5]);
      for (std::int64_t i = 0; i < n; ++i) {
        producer.Send(argv[3], RD_KAFKA_PARTITION_UA, "k" + std::to_string(i % 500), "1", 1000 + i);
        if ((i + 1) % every != 0) continue;
        const std::int64_t j = (i + 1) / every - 1;
        producer.Send(argv[3], RD_KAFKA_PARTITION_UA, "poison-" + std::to_string(j), j % 2 == 0 ? "{bad" : "\"x\"",
                      1000 + i);
      }
      producer.Flush();
      return 0;
    }
    if (cmd == "produce" && argc == 7) {
      kafka::Producer producer({{"bootstrap.servers", argv[2]}, {"partitioner", "murmur2_random"}});
      const std::int64_t from = std::stoll(argv[5]), to = std::stoll(argv[6]);
      for (std::int64_t i = from; i < to; ++i) {
        const std::string key = "k" + std::to_string(i % 500);
        producer.Send(argv[3], RD_KAFKA_PARTITION_UA, key, "v", 1000 + i);
        producer.Send(argv[4], RD_KAFKA_PARTITION_UA, key,
                      "w" + std::to_string(i % 37) + " x" + std::to_string(i % 11), 1000 + i);
      }
      producer.Flush();
      return 0;
    }
    if (cmd == "verify" && argc == 7) return Verify(argv[2], argv[3], argv[4], argv[5], std::stoll(argv[6]));
    std::cerr << "usage: eos_check create|produce|verify|limit|poison|poisoned ... (see tests/eos/eos_check.cpp)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "eos_check: " << e.what() << "\n";
    return 2;
  }
}
