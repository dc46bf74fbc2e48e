// Poison pills on the real test broker (hidden tag [.broker-errors], ctest `errors-broker`): deserialization,
// processing and production errors under the fail and continue handlers, the committed offsets around them, and
// the dead-letter records they write.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../../broker/broker_clients.h"
#include "../../broker/test_broker.h"
#include "config/streams_config.h"
#include "errors/exception_handlers.h"
#include "kafka/admin.h"
#include "kafka/producer.h"
#include "runtime/kafka_streams.h"
#include "runtime/record_dump.h"
#include "topology_file/loader.h"

using namespace streams;
using namespace std::chrono_literals;

namespace {

struct Setup {
  std::string in = testing::UniqueName("in"), out = testing::UniqueName("out"), app = testing::UniqueName("app");
  std::string dlq = testing::UniqueName("dlq");
  std::string state = (std::filesystem::temp_directory_path() / testing::UniqueName("state")).string();
  explicit Setup(std::map<std::string, std::string> out_configs = {}) {
    kafka::Admin admin({{"bootstrap.servers", testing::TestBootstrap()}});
    for (const auto& r : admin.CreateTopics({{in, 1, 1, {}}, {out, 1, 1, out_configs}, {dlq, 1, 1, {}}})) REQUIRE(r.ok());
    testing::WaitForTopics(admin, {in, out, dlq});
  }
  ~Setup() { std::filesystem::remove_all(state); }

  model::Topology Topology(const std::string& mapper, const std::string& out_format) const {
    const std::string text = R"({"pipelines": [{"source": {"stream": ")" + in + R"(", "value": "json"}, "ops": [
        {"op": "mapValues", "mapper": ")" + mapper + R"(", "value": "json"},
        {"op": "to", "topic": ")" + out + R"(", "value": ")" + out_format + R"("}]}]})";
    return topology_file::LoadTopologyFile(text, "poison.topology.json", {{{"application.id", {app, {}}}}, {}});
  }
  //! Values as raw bytes at timestamps 1000, 2000, ...; key "k<i>"; the record at `with_header` gets a header.
  void Produce(const std::vector<std::string>& values, int with_header = -1) const {
    kafka::Producer producer({{"bootstrap.servers", testing::TestBootstrap()}});
    for (std::size_t i = 0; i < values.size(); ++i) {
      runtime::Headers h;
      if (static_cast<int>(i) == with_header) h.emplace_back("trace", std::string("t-1"));
      producer.Send(in, 0, "k" + std::to_string(i), values[i], 1000 * static_cast<std::int64_t>(i + 1), h);
    }
    producer.Flush();
  }
  //! Runs the application until it is idle (true) or fails (false, the error in `error`); `log` gets its log.
  bool Run(const model::Topology& topology, std::map<std::string, std::string> props, std::string& error,
           std::string& log) const {
    props["application.id"] = app;
    props["bootstrap.servers"] = testing::TestBootstrap();
    props["state.dir"] = state;
    props["commit.interval.ms"] = "100";
    props["producer.batch.num.messages"] = "1";  // librdkafka does not split a batch the broker finds too large
    std::ostringstream out_log;
    runtime::KafkaStreams streams(topology, config::ParseStreamsConfig(props), out_log);
    streams.Start();
    const bool idle = streams.WaitForIdle(60s);
    streams.RequestShutdown();
    try {
      streams.Join();
    } catch (const std::exception& e) {
      error = e.what();
    }
    log = out_log.str();
    return idle && error.empty();
  }
  std::int64_t Committed() const {
    kafka::Admin admin({{"bootstrap.servers", testing::TestBootstrap()}});
    const auto offsets = admin.ListGroupOffsets(app, {{in, 0}});
    const auto it = offsets.find({in, 0});
    return it == offsets.end() ? -1 : it->second;
  }
  std::vector<nlohmann::json> Records(const std::string& topic) const {
    std::ostringstream text;
    REQUIRE(runtime::DumpTopic(topic, {{"bootstrap.servers", testing::TestBootstrap()}},
                               {{"bootstrap.servers", testing::TestBootstrap()}}, text));
    std::vector<nlohmann::json> out;
    std::istringstream lines(text.str());
    for (std::string line; std::getline(lines, line);) out.push_back(nlohmann::json::parse(line));
    return out;
  }
};

int Count(const std::string& text, const std::string& part) {
  int n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

const std::vector<std::string> kPrices = {R"({"price":"1"})", R"({"price":"2"})", "not json{", R"({"price":"4"})",
                                          R"({"price":"5"})"};

}  // namespace

TEST_CASE("a record that cannot be deserialized fails the instance at it, again after a restart", "[.broker-errors]") {
  Setup s;
  s.Produce(kPrices);
  const auto topology = s.Topology(".price | tonumber", "long");
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string error, log;
    CHECK_FALSE(s.Run(topology, {}, error, log));
    CHECK(error.find("deserialization error in task 0_0, processor KSTREAM-SOURCE-0000000000") != std::string::npos);
    CHECK(error.find("input " + s.in + "-0@2, key \"k2\"") != std::string::npos);
    CHECK(error.find("LogAndFailExceptionHandler: failed") != std::string::npos);
    CHECK(s.Committed() == 2);  // the poison record's offset: a restart starts at it
    CHECK(s.Records(s.out).size() == 2);
  }
}

TEST_CASE("a record that cannot be deserialized is dropped under continue", "[.broker-errors]") {
  Setup s;
  s.Produce(kPrices);
  std::string error, log;
  CHECK(s.Run(s.Topology(".price | tonumber", "long"),
              {{"deserialization.exception.handler", "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler"}},
              error, log));
  CHECK(error.empty());
  CHECK(s.Committed() == 5);
  CHECK(s.Records(s.out).size() == 4);
  CHECK(Count(log, "LogAndContinueExceptionHandler: dropped the record") == 1);
  CHECK(s.Records(s.dlq).empty());
}

TEST_CASE("user logic failing on a record fails the instance, or drops the record under continue", "[.broker-errors]") {
  Setup s;
  s.Produce({R"({"price":"1"})", R"({"price":"abc"})", R"({"price":"3"})"});
  const auto topology = s.Topology(".price | tonumber", "long");
  std::string error, log;
  CHECK_FALSE(s.Run(topology, {}, error, log));
  CHECK(error.find("processing error in task 0_0, processor KSTREAM-MAPVALUES-0000000001 (poison.topology.json:") !=
        std::string::npos);
  CHECK(error.find("jq expression '.price | tonumber' failed") != std::string::npos);
  CHECK(s.Committed() == 1);
  error.clear();
  CHECK(s.Run(topology, {{"processing.exception.handler", "continue"}}, error, log));
  CHECK(s.Committed() == 3);
  CHECK(s.Records(s.out).size() == 2);
  CHECK(Count(log, "LogAndContinueProcessingExceptionHandler: dropped the record") == 1);
}

TEST_CASE("a result too large for its topic, or that its format cannot hold, goes to the production handler",
          "[.broker-errors]") {
  Setup s(std::map<std::string, std::string>{{"max.message.bytes", "1000"}});
  const std::string big = R"({"price":")" + std::string(2000, 'x') + R"("})";
  s.Produce({R"({"price":"1"})", big, R"({"price":"3"})"});
  const auto topology = s.Topology(".price", "string");
  std::string error, log;
  CHECK_FALSE(s.Run(topology, {}, error, log));
  CHECK(error.find("MSG_SIZE_TOO_LARGE") != std::string::npos);
  error.clear();
  CHECK(s.Run(topology, {{"production.exception.handler", "continue"}}, error, log));
  CHECK(s.Committed() == 3);
  CHECK(Count(log, "production error") == 1);
  CHECK(Count(log, "dropped the record") == 1);

  // A value the sink's format cannot hold (a string where long values are written): a serialization error.
  Setup t;
  t.Produce({R"({"price":1})", R"({"price":"abc"})", R"({"price":3})"});
  CHECK_FALSE(t.Run(t.Topology(".price", "long"), {}, error, log));
  CHECK(error.find("production error in task 0_0, processor KSTREAM-SINK-0000000002") != std::string::npos);
  CHECK(t.Committed() == 1);
  error.clear();
  CHECK(t.Run(t.Topology(".price", "long"), {{"production.exception.handler", "continue"}}, error, log));
  CHECK(t.Committed() == 3);
  CHECK(t.Records(t.out).size() == 2);
}

TEST_CASE("every handled error writes one dead-letter record with the input record and the error headers",
          "[.broker-errors]") {
  const auto check_dlq = [](const Setup& s, const std::string& value, const std::string& exception_part) {
    const auto records = s.Records(s.dlq);
    REQUIRE(records.size() == 1);
    const auto& r = records[0];
    CHECK(r["key"] == "k1");
    CHECK(r["value"] == value);
    CHECK(r["timestamp"] == 2000);
    const auto& h = r["headers"];
    REQUIRE(h.size() == 7);
    CHECK(h[0] == nlohmann::json::array({"trace", "t-1"}));
    CHECK(h[1][0] == errors::kHeaderException);
    CHECK(h[1][1].get<std::string>().find(exception_part) != std::string::npos);
    CHECK(h[2][0] == errors::kHeaderMessage);
    CHECK(h[3][0] == errors::kHeaderStacktrace);
    CHECK(h[4] == nlohmann::json::array({errors::kHeaderTopic, s.in}));
    CHECK(h[5] == nlohmann::json::array({errors::kHeaderPartition, "0"}));
    CHECK(h[6] == nlohmann::json::array({errors::kHeaderOffset, "1"}));
  };
  SECTION("deserialization, continue") {
    Setup s;
    s.Produce({R"({"price":"1"})", "not json{", R"({"price":"3"})"}, 1);
    std::string error, log;
    CHECK(s.Run(s.Topology(".price | tonumber", "long"),
                {{"deserialization.exception.handler", "continue"}, {"errors.dead.letter.queue.topic.name", s.dlq}}, error,
                log));
    check_dlq(s, "not json{", "SerdeError");
    CHECK(log.find("sent to the dead-letter topic " + s.dlq + ", dropped the record") != std::string::npos);
  }
  SECTION("processing, fail: the record is written, then the instance fails") {
    Setup s;
    s.Produce({R"({"price":"1"})", R"({"price":"abc"})", R"({"price":"3"})"}, 1);
    std::string error, log;
    CHECK_FALSE(s.Run(s.Topology(".price | tonumber", "long"), {{"errors.dead.letter.queue.topic.name", s.dlq}}, error, log));
    CHECK(error.find("sent to the dead-letter topic " + s.dlq + ", failed") != std::string::npos);
    check_dlq(s, R"({"price":"abc"})", "JqError");
  }
  SECTION("production (serialization), continue") {
    Setup s;
    s.Produce({R"({"price":1})", R"({"price":"abc"})", R"({"price":3})"}, 1);
    std::string error, log;
    CHECK(s.Run(s.Topology(".price", "long"),
                {{"production.exception.handler", "continue"}, {"errors.dead.letter.queue.topic.name", s.dlq}}, error, log));
    check_dlq(s, R"({"price":"abc"})", "SerdeError");
  }
  SECTION("production (refused by the broker after its input was processed), continue") {
    // The input record is no longer held when the delivery report comes (Kafka Streams frees it too): the
    // dead-letter record has a null key and value and names the result's topic and partition.
    Setup s(std::map<std::string, std::string>{{"max.message.bytes", "1000"}});
    s.Produce({R"({"price":"1"})", R"({"price":")" + std::string(2000, 'x') + R"("})", R"({"price":"3"})"}, 1);
    std::string error, log;
    CHECK(s.Run(s.Topology(".price", "string"),
                {{"production.exception.handler", "continue"}, {"errors.dead.letter.queue.topic.name", s.dlq}}, error, log));
    CHECK(s.Committed() == 3);
    const auto records = s.Records(s.dlq);
    REQUIRE(records.size() == 1);
    CHECK(records[0]["key"].is_null());
    CHECK(records[0]["value"].is_null());
    CHECK(records[0]["timestamp"] == 2000);
    const auto& h = records[0]["headers"];
    REQUIRE(h.size() == 7);
    CHECK(h[0] == nlohmann::json::array({"trace", "t-1"}));
    CHECK(h[2][1].get<std::string>().find("MSG_SIZE_TOO_LARGE") != std::string::npos);
    CHECK(h[4] == nlohmann::json::array({errors::kHeaderTopic, s.out}));
    CHECK(h[6] == nlohmann::json::array({errors::kHeaderOffset, "-1"}));
  }
}

TEST_CASE("a dead-letter record that cannot be written fails the stream thread", "[.broker-errors]") {
  Setup s;
  s.Produce({R"({"price":"1"})", R"({"price":"abc"})", R"({"price":"3"})"});
  const std::string missing = testing::UniqueName("no-such-dlq");
  std::string error, log;
  CHECK_FALSE(s.Run(s.Topology(".price | tonumber", "long"),
                    {{"processing.exception.handler", "continue"},
                     {"errors.dead.letter.queue.topic.name", missing},
                     {"producer.topic.metadata.propagation.max.ms", "1000"}},
                    error, log));
  CHECK(log.find("warning: the dead-letter topic \"" + missing + "\"") != std::string::npos);
  CHECK(error.find("a dead-letter record could not be written") != std::string::npos);
  CHECK(s.Committed() <= 1);  // never past the record whose dead-letter record was lost
}
