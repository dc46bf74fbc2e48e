// engine/runtime/test_driver.h
// An in-process driver, like Kafka Streams' TopologyTestDriver: it runs a built topology with no Kafka, one task
// per sub-topology (partition 0), in-memory stores and an in-memory record log. Records written to a topic the
// topology reads (repartition, intermediate) are processed right away; the rest are outputs. After each input
// record the tasks are flushed (caches forward, as TopologyTestDriver commits after every record).
// Used by unit tests and by the differential oracle.
#pragma once

#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <vector>

#include "runtime/global_state.h"
#include "runtime/stream_task.h"

namespace streams::runtime {

class TestDriver final : public RecordCollector {
 public:
  struct Output {
    std::string topic;
    nlohmann::json key;
    nlohmann::json value;
    std::int64_t timestamp = 0;
  };

  //! `cache_max_bytes` 0 forwards every update (caching off).
  TestDriver(const model::Topology& topology, DefaultFormats defaults, std::int64_t cache_max_bytes = 0,
             std::ostream& log = std::cerr);
  ~TestDriver() override;

  //! Pipes one record into a source topic (serialized with the topic's formats) and processes everything.
  void PipeInput(const std::string& topic, const nlohmann::json& key, const nlohmann::json& value,
                 std::int64_t timestamp, const Headers& headers = {});
  //! Output records written so far to `topic` (decoded with its formats), removed from the driver.
  std::vector<Output> ReadOutput(const std::string& topic);
  //! Every output record in write order (decoded), removed from the driver.
  std::vector<Output> ReadAllOutput();
  //! Changelog records written to a changelog topic so far.
  const std::vector<RawRecord>& Changelog(const std::string& topic) { return changelogs_[topic]; }
  //! The task of a sub-topology (to inspect stores).
  StreamTask& task(int subtopology) { return *tasks_.at(subtopology); }

  // RecordCollector
  void Send(const std::string& topic, int partition, std::optional<std::string_view> key,
            std::optional<std::string_view> value, std::int64_t timestamp, const Headers& headers) override;
  int PartitionCount(const std::string&) override { return 1; }
  std::optional<std::int64_t> LastOffset(const std::string& topic, int partition) override;
  void Log(const std::string& topic, int partition, std::string_view key, std::optional<std::string_view> value,
           std::int64_t timestamp) override;

 private:
  void Drain();
  Output DecodeOutput(const RawRecord& raw);

  const model::Topology& topology_;
  DefaultFormats defaults_;
  std::ostream& log_;
  state::ThreadCache cache_;
  JqCache jq_;
  std::unique_ptr<GlobalStores> global_;  //!< global topics' records go here, when piped (no bootstrap order)
  std::map<int, std::unique_ptr<StreamTask>> tasks_;
  std::map<std::string, int> reader_;  //!< topic -> sub-topology reading it
  std::deque<RawRecord> pending_;
  std::vector<RawRecord> outputs_;
  std::map<std::string, std::vector<RawRecord>> changelogs_;
  std::map<std::string, std::int64_t> offsets_;
};

}  // namespace streams::runtime
