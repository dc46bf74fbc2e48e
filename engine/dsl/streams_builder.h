// engine/dsl/streams_builder.h
// A C++ DSL that mirrors Kafka Streams' StreamsBuilder / KStream / KTable / KGroupedStream / ...
// and generates exactly the names Kafka Streams generates for the same program: the same prefixes,
// the same 10-digit counter consumed in the same order, the same repartition rules and sub-topology
// numbering. User logic is jq (dsl::Logic). Handles are cheap values sharing the builder's state;
// they stay valid as long as their StreamsBuilder lives.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dsl/graph.h"
#include "dsl/options.h"
#include "model/topology.h"

namespace streams::dsl {

struct StreamState;
struct TableState;
struct GroupedStreamState;
struct GroupedTableState;
struct CogroupState;
class KTable;
class GlobalKTable;
class KGroupedStream;
class KGroupedTable;
class BranchedKStream;

enum class JoinKind { kInner, kLeft, kOuter };
const char* ToString(JoinKind kind);

class KStream {
 public:
  KStream Filter(const Logic& predicate, const Named& named = {}) const;
  KStream FilterNot(const Logic& predicate, const Named& named = {}) const;
  //! mapper returns {key, value}; `out` declares the result's formats.
  KStream Map(const Logic& mapper, const Named& named = {}, const model::Formats& out = {}) const;
  KStream MapValues(const Logic& mapper, const Named& named = {}, const model::Format& value = {}) const;
  KStream FlatMap(const Logic& mapper, const Named& named = {}, const model::Formats& out = {}) const;
  KStream FlatMapValues(const Logic& mapper, const Named& named = {}, const model::Format& value = {}) const;
  KStream SelectKey(const Logic& mapper, const Named& named = {}, const model::Format& key = {}) const;
  KStream Peek(const Logic& action, const Named& named = {}) const;
  void Foreach(const Logic& action, const Named& named = {}) const;
  BranchedKStream Split(const Named& named = {}) const;
  KStream Merge(const KStream& other, const Named& named = {}) const;
  KGroupedStream GroupByKey(const Grouped& grouped = {}) const;
  KGroupedStream GroupBy(const Logic& selector, const Grouped& grouped = {}) const;
  KStream Repartition(const Repartitioned& repartitioned = {}) const;
  void To(const std::string& topic, const Produced& produced = {}) const;
  KTable ToTable(const Named& named = {}, const Materialized& materialized = {}) const;
  KStream Process(const Logic& processor, const Named& named = {}, const std::vector<std::string>& stores = {},
                  const model::Formats& out = {}) const;
  KStream ProcessValues(const Logic& processor, const Named& named = {},
                        const std::vector<std::string>& stores = {}, const model::Format& value = {}) const;
  KStream Join(JoinKind kind, const KStream& other, const Logic& joiner, const JoinWindows& windows,
               const StreamJoined& joined = {}) const;
  KStream Join(JoinKind kind, const KTable& table, const Logic& joiner, const Joined& joined = {}) const;
  KStream Join(JoinKind kind, const GlobalKTable& table, const Logic& key_selector, const Logic& joiner,
               const Named& named = {}) const;

  const std::string& node_name() const;
  const model::Formats& formats() const;

 private:
  friend class StreamsBuilder;
  friend class KTable;
  friend class BranchedKStream;
  friend class KGroupedStream;
  friend struct Access;
  explicit KStream(std::shared_ptr<StreamState> s) : s_(std::move(s)) {}
  std::shared_ptr<StreamState> s_;
};

//! A branch of split(): its name (Branched.as) and an optional chain applied at once
//! (Branched.withFunction / withConsumer).
struct Branched {
  std::optional<std::string> name;
  std::function<std::optional<KStream>(const KStream&)> chain;
};

class BranchedKStream {
 public:
  BranchedKStream& Branch(const Logic& predicate, const Branched& branched = {});
  std::map<std::string, KStream> DefaultBranch(const Branched& branched = {});
  std::map<std::string, KStream> NoDefaultBranch();

  struct State;  //!< defined in kstream.cpp

 private:
  friend class KStream;
  explicit BranchedKStream(std::shared_ptr<State> s) : s_(std::move(s)) {}
  std::shared_ptr<State> s_;
};

class KTable {
 public:
  KTable Filter(const Logic& predicate, const Named& named = {},
                const std::optional<Materialized>& materialized = std::nullopt) const;
  KTable FilterNot(const Logic& predicate, const Named& named = {},
                   const std::optional<Materialized>& materialized = std::nullopt) const;
  KTable MapValues(const Logic& mapper, const Named& named = {},
                   const std::optional<Materialized>& materialized = std::nullopt,
                   const model::Format& value = {}) const;
  KStream ToStream(const Named& named = {}) const;
  KStream ToStream(const Logic& key_mapper, const Named& named = {}, const model::Format& key = {}) const;
  KGroupedTable GroupBy(const Logic& selector, const Grouped& grouped = {}) const;
  KTable Suppress(const Suppressed& suppressed) const;
  KTable Join(JoinKind kind, const KTable& other, const Logic& joiner, const Named& named = {},
              const std::optional<Materialized>& materialized = std::nullopt) const;
  //! Foreign-key join (join / leftJoin only).
  KTable ForeignKeyJoin(JoinKind kind, const KTable& other, const Logic& foreign_key, const Logic& joiner,
                        const TableJoined& joined = {},
                        const std::optional<Materialized>& materialized = std::nullopt) const;

  const std::string& node_name() const;
  const model::Formats& formats() const;
  //! The queryable store name, when materialized with a name.
  std::optional<std::string> queryable_store_name() const;

 private:
  friend class KStream;
  friend class StreamsBuilder;
  friend class KGroupedStream;
  friend class KGroupedTable;
  friend struct Access;
  explicit KTable(std::shared_ptr<TableState> s) : s_(std::move(s)) {}
  std::shared_ptr<TableState> s_;
};

class GlobalKTable {
 public:
  const std::string& store_name() const { return store_; }

 private:
  friend class StreamsBuilder;
  friend class KStream;
  GlobalKTable(std::string store, model::Formats formats) : store_(std::move(store)), formats_(std::move(formats)) {}
  std::string store_;
  model::Formats formats_;
};

class CogroupedKStream;
class WindowedKStream;

class KGroupedStream {
 public:
  KTable Count(const Named& named = {}, const std::optional<Materialized>& materialized = std::nullopt) const;
  KTable Reduce(const Logic& reducer, const Named& named = {}, const Materialized& materialized = {}) const;
  KTable Aggregate(const Logic& initializer, const Logic& aggregator, const Named& named = {},
                   const Materialized& materialized = {}) const;
  WindowedKStream WindowedBy(const Windows& windows) const;
  CogroupedKStream Cogroup(const Logic& aggregator) const;

 private:
  friend class KStream;
  friend class WindowedKStream;
  friend class CogroupedKStream;
  friend struct Access;
  explicit KGroupedStream(std::shared_ptr<GroupedStreamState> s) : s_(std::move(s)) {}
  std::shared_ptr<GroupedStreamState> s_;
};

//! TimeWindowedKStream, SlidingWindowedKStream and SessionWindowedKStream in one.
class WindowedKStream {
 public:
  KTable Count(const Named& named = {}, const std::optional<Materialized>& materialized = std::nullopt) const;
  KTable Reduce(const Logic& reducer, const Named& named = {}, const Materialized& materialized = {}) const;
  //! `merger` is required for session windows, ignored otherwise.
  KTable Aggregate(const Logic& initializer, const Logic& aggregator, const std::optional<Logic>& merger = std::nullopt,
                   const Named& named = {}, const Materialized& materialized = {}) const;

 private:
  friend class KGroupedStream;
  WindowedKStream(std::shared_ptr<GroupedStreamState> s, Windows w) : s_(std::move(s)), windows_(w) {}
  std::shared_ptr<GroupedStreamState> s_;
  Windows windows_;
};

class CogroupedKStream {
 public:
  CogroupedKStream Cogroup(const KGroupedStream& grouped, const Logic& aggregator) const;
  CogroupedKStream WindowedBy(const Windows& windows) const;
  KTable Aggregate(const Logic& initializer, const std::optional<Logic>& merger = std::nullopt,
                   const Named& named = {}, const Materialized& materialized = {}) const;

 private:
  friend class KGroupedStream;
  explicit CogroupedKStream(std::shared_ptr<CogroupState> s) : s_(std::move(s)) {}
  std::shared_ptr<CogroupState> s_;
};

class KGroupedTable {
 public:
  KTable Count(const Named& named = {}, const Materialized& materialized = {}) const;
  KTable Reduce(const Logic& adder, const Logic& subtractor, const Named& named = {},
                const Materialized& materialized = {}) const;
  KTable Aggregate(const Logic& initializer, const Logic& adder, const Logic& subtractor, const Named& named = {},
                   const Materialized& materialized = {}) const;

 private:
  friend class KTable;
  explicit KGroupedTable(std::shared_ptr<GroupedTableState> s) : s_(std::move(s)) {}
  std::shared_ptr<GroupedTableState> s_;
};

class StreamsBuilder {
 public:
  StreamsBuilder();
  ~StreamsBuilder();
  StreamsBuilder(const StreamsBuilder&) = delete;
  StreamsBuilder& operator=(const StreamsBuilder&) = delete;

  KStream Stream(const std::vector<std::string>& topics, const Consumed& consumed = {});
  KStream StreamFromPattern(const std::string& pattern, const Consumed& consumed = {});
  KTable Table(const std::string& topic, const Consumed& consumed = {},
               const std::optional<Materialized>& materialized = std::nullopt);
  GlobalKTable GlobalTable(const std::string& topic, const Consumed& consumed = {},
                           const std::optional<Materialized>& materialized = std::nullopt);
  //! StreamsBuilder.addStateStore: a store that process()/processValues() can name.
  void AddStateStore(const model::StoreSpec& store);
  //! Known partition count and formats of a user topic.
  void DeclareTopic(const std::string& topic, std::optional<int> partitions, const model::Formats& formats = {});
  //! Formats used when an operation declares none (default.key.format / default.value.format).
  void SetDefaultFormats(const model::Formats& formats) {
    defaults_ = formats;
    internal_->default_formats = formats;
  }
  //! Where the next DSL calls come from (file:line) and the operation's name in the topology file ("count"),
  //! recorded on the nodes and generated names they create.
  void SetOrigin(const SourceLocation& where, const std::string& op = "") {
    internal_->current_origin = where;
    internal_->current_op = op;
  }

  //! StreamsBuilder.build(props): applies topology.optimization from `config` and writes the model.
  //! application.id in `config` names the internal topics.
  model::Topology Build(const std::map<std::string, std::string>& config = {}, const std::string& topology_name = "");

  InternalStreamsBuilder& internal() { return *internal_; }

 private:
  std::unique_ptr<InternalStreamsBuilder> internal_;
  model::Formats defaults_;
};

}  // namespace streams::dsl
