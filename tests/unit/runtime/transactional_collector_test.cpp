// The collector of a stream thread under exactly_once_v2 on the real test broker (hidden tag [.broker-eos], run by
// ctest `eos-broker-producer`): a result the broker refused for good, which the production handler dropped
// (continue), is skipped whenever a replay produces it again, and its dead-letter record is sent in its place, in
// the transaction of that replay. So an aborted replay takes the dead-letter record with it, and the next one writes
// it again: read_committed sees it exactly once.
#include <chrono>
#include <sstream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "../../broker/test_broker.h"
#include "errors/exception_handlers.h"
#include "kafka/admin.h"
#include "runtime/record_dump.h"
#include "runtime/transactions/exactly_once.h"

using namespace streams;

namespace {

class PartitionsOnly final : public runtime::RecordCollector {
 public:
  void Send(const std::string&, int, std::optional<std::string_view>, std::optional<std::string_view>, std::int64_t,
            const runtime::Headers&) override {
    FAIL("the instance's collector was used under exactly_once_v2");
  }
  void Log(const std::string&, int, std::string_view, std::optional<std::string_view>, std::int64_t) override {
    FAIL("the instance's collector was used under exactly_once_v2");
  }
  int PartitionCount(const std::string&) override { return 1; }
  std::optional<std::int64_t> LastOffset(const std::string&, int) override { return std::nullopt; }
};

//! The records of `topic` that a reader with `isolation` sees, as dump lines.
std::vector<nlohmann::json> Read(const std::string& topic, const std::string& isolation) {
  std::ostringstream out;
  REQUIRE(runtime::DumpTopic(topic, {{"bootstrap.servers", testing::TestBootstrap()}},
                             {{"bootstrap.servers", testing::TestBootstrap()}, {"isolation.level", isolation}}, out));
  std::vector<nlohmann::json> records;
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) records.push_back(nlohmann::json::parse(line));
  return records;
}

}  // namespace

TEST_CASE("should write a refused result's dead-letter record in every transaction that skips the result",
          "[.broker-eos]") {
  const std::string out = testing::UniqueName("tx-out"), dlq = testing::UniqueName("tx-dlq");
  kafka::Admin admin({{"bootstrap.servers", testing::TestBootstrap()}});
  for (const auto& r : admin.CreateTopics({{out, 1, 1, {}}, {dlq, 1, 1, {}}})) REQUIRE(r.ok());
  kafka::TransactionalProducer producer({{"bootstrap.servers", testing::TestBootstrap()}},
                                        testing::UniqueName("tx-id"));
  producer.Init();
  PartitionsOnly instance;
  runtime::transactions::TransactionalCollector collector(producer, instance, dlq);
  const runtime::Headers headers = {{"trace", std::string("t-1")}};
  collector.Refuse({out, 0, std::string("big key"), std::string("big value"), 999, headers,
                    RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE});
  const auto replay = [&] {
    collector.Send(out, 0, std::string_view("k"), std::string_view("1"), 998, {});
    collector.Send(out, 0, std::string_view("big key"), std::string_view("big value"), 999, headers);
    collector.Send(out, 0, std::string_view("k"), std::string_view("2"), 1000, {});
  };
  replay();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // written to the log before the abort
  producer.Abort();
  replay();
  kafka::TopicPartitionListPtr none(rd_kafka_topic_partition_list_new(0));
  producer.Commit(*none, nullptr);

  const auto outputs = Read(out, "read_committed");
  REQUIRE(outputs.size() == 2);  // the refused result is skipped, the others written once
  CHECK(outputs[0]["value"] == "1");
  CHECK(outputs[1]["value"] == "2");
  const auto dead_letters = Read(dlq, "read_committed");
  REQUIRE(dead_letters.size() == 1);
  CHECK(dead_letters[0]["timestamp"] == 999);
  CHECK(dead_letters[0]["key"].is_null());
  bool topic_header = false;
  for (const auto& h : dead_letters[0]["headers"]) {
    topic_header |= h[0] == errors::kHeaderTopic && h[1] == out;
  }
  CHECK(topic_header);
  CHECK(Read(dlq, "read_uncommitted").size() == 2);  // the aborted replay's copy is in the log
}
