// runtime::transactions::ProcessId and TransactionalId: Kafka Streams 4.x's naming of a stream thread's
// transactional producer, and the process id kept in the state directory when the topology has persistent stores.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "runtime/transactions/exactly_once.h"

using namespace streams;

TEST_CASE("should keep the process id in the state directory of a topology with persistent stores", "[eos]") {
  const auto dir = std::filesystem::temp_directory_path() / ("process-id-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  model::Topology stateful;
  stateful.stores.push_back(model::StoreSpec{"counts"});
  const std::string first = runtime::transactions::ProcessId(dir.string(), stateful);
  CHECK(first.size() == 36);
  CHECK(first[14] == '4');  // a version 4 UUID
  CHECK(runtime::transactions::ProcessId(dir.string(), stateful) == first);  // a restart gets it back
  std::ifstream file(dir / "kafka-streams-process-metadata");
  std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  CHECK(content == "{\"processId\":\"" + first + "\"}");
  // Without persistent stores, a fresh id each time and no file (as Kafka Streams).
  const auto stateless_dir = dir / "stateless";
  std::filesystem::create_directories(stateless_dir);
  CHECK(runtime::transactions::ProcessId(stateless_dir.string(), model::Topology{}) !=
        runtime::transactions::ProcessId(stateless_dir.string(), model::Topology{}));
  CHECK_FALSE(std::filesystem::exists(stateless_dir / "kafka-streams-process-metadata"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("should name a stream thread's transactional producer as Kafka Streams 4.x", "[eos]") {
  config::StreamsConfig c;
  c.application_id = "shop";
  CHECK(runtime::transactions::TransactionalId(c, "6afdff05-9d27-43a4-9a97-6181696eaaa5", 2) ==
        "shop-6afdff05-9d27-43a4-9a97-6181696eaaa5-2");
}
