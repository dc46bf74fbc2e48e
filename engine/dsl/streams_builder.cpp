// StreamsBuilder: sources (InternalStreamsBuilder.stream / table / globalTable) and build().
#include "dsl/streams_builder.h"

#include "dsl/internal.h"
#include "model/topic_name.h"

namespace streams::dsl {

StreamsBuilder::StreamsBuilder() : internal_(std::make_unique<InternalStreamsBuilder>()) {}
StreamsBuilder::~StreamsBuilder() = default;

static model::Formats Pick(const Consumed& c, const model::Formats& defaults) {
  return {c.key.empty() ? defaults.key : c.key, c.value.empty() ? defaults.value : c.value};
}

static GraphNode StreamSourceNode(InternalStreamsBuilder& b, const std::string& name,
                                  const std::vector<std::string>& topics, const std::string& pattern,
                                  const model::Formats& formats, const Consumed& consumed) {
  GraphNode node;
  node.kind = GraphNode::Kind::kStreamSource;
  node.name = name;
  node.topics = topics;
  const SourceLocation origin = b.current_origin;
  node.write = [=](GraphNode&, model::TopologyBuilder& tb) {
    model::Node n;
    n.name = name;
    n.op = "stream";
    n.topics = topics;
    n.topic_pattern = pattern;
    n.formats = formats;
    n.origin = origin;
    if (!consumed.offset_reset.empty()) n.params["offsetReset"] = consumed.offset_reset;
    tb.AddSource(std::move(n));
  };
  return node;
}

KStream StreamsBuilder::Stream(const std::vector<std::string>& topics, const Consumed& consumed) {
  auto& b = *internal_;
  if (topics.empty()) throw InputError(b.current_origin, "stream() needs at least one topic");
  for (const auto& t : topics) model::ValidateTopicName(t, b.current_origin);
  const std::string name = OrElseGenerate(b, consumed.name, naming::kSource);
  const model::Formats formats = Pick(consumed, defaults_);
  GraphNode* n = b.AddNode({b.root()}, StreamSourceNode(b, name, topics, "", formats, consumed));
  StreamState from;
  from.b = &b;
  return MakeStream(from, name, formats, false, n, std::set<std::string>{name});
}

KStream StreamsBuilder::StreamFromPattern(const std::string& pattern, const Consumed& consumed) {
  auto& b = *internal_;
  if (pattern.empty()) throw InputError(b.current_origin, "a topic pattern must not be empty");
  const std::string name = OrElseGenerate(b, consumed.name, naming::kSource);
  const model::Formats formats = Pick(consumed, defaults_);
  GraphNode* n = b.AddNode({b.root()}, StreamSourceNode(b, name, {}, pattern, formats, consumed));
  StreamState from;
  from.b = &b;
  return MakeStream(from, name, formats, false, n, std::set<std::string>{name});
}

KTable StreamsBuilder::Table(const std::string& topic, const Consumed& consumed,
                             const std::optional<Materialized>& materialized) {
  auto& b = *internal_;
  model::ValidateTopicName(topic, b.current_origin);
  // StreamsBuilder.table always builds a Materialized: unnamed, it is <topic>-STATE-STORE-n.
  const Materialized m = materialized.value_or(Materialized{});
  const std::string store = StoreNameOrGenerate(b, m, topic + "-");
  const std::string source_name = SuffixOrGenerate(b, consumed.name, "-source", naming::kSource);
  const std::string table_name = OrElseGenerate(b, consumed.name, naming::kTableSource);
  const model::Formats consumed_formats = Pick(consumed, defaults_);
  const model::Formats formats{m.key.empty() ? consumed_formats.key : m.key,
                               m.value.empty() ? consumed_formats.value : m.value};
  auto source = std::make_shared<TableSourceInfo>(TableSourceInfo{store, m.name.has_value()});
  auto reuse_topic = std::make_shared<bool>(false);
  model::StoreSpec spec = KeyValueStoreSpec(store, m, formats);
  GraphNode node;
  node.kind = GraphNode::Kind::kTableSource;
  node.name = table_name;
  node.topics = {topic};
  const SourceLocation origin = b.current_origin;
  node.write = [=](GraphNode&, model::TopologyBuilder& tb) {
    model::Node src;
    src.name = source_name;
    src.op = "table-source";
    src.topics = {topic};
    src.formats = consumed_formats;
    src.origin = origin;
    if (!consumed.offset_reset.empty()) src.params["offsetReset"] = consumed.offset_reset;
    tb.AddSource(std::move(src));
    model::Node proc;
    proc.name = table_name;
    proc.op = "table";
    proc.params = {{"store", source->materialized ? nlohmann::json(store) : nlohmann::json()}};
    proc.predecessors = {source_name};
    proc.formats = formats;
    proc.origin = origin;
    tb.AddProcessor(std::move(proc));
    if (source->materialized) {
      model::StoreSpec s = spec;
      if (*reuse_topic) {
        s.logged = false;
        s.source_topic_changelog = topic;
      }
      tb.AddStateStore(s, {table_name});
    }
  };
  node.reuse_source_topic_as_changelog = [reuse_topic] { *reuse_topic = true; };
  GraphNode* n = b.AddNode({b.root()}, std::move(node));
  auto t = std::make_shared<TableState>();
  t->b = &b;
  t->name = table_name;
  t->formats = formats;
  t->source_nodes = {source_name};
  t->node = n;
  t->supplier = TableState::Supplier::kSource;
  t->queryable = m.name;
  t->source = source;
  return Access::Table(t);
}

GlobalKTable StreamsBuilder::GlobalTable(const std::string& topic, const Consumed& consumed,
                                         const std::optional<Materialized>& materialized) {
  auto& b = *internal_;
  model::ValidateTopicName(topic, b.current_origin);
  if (materialized && materialized->versioned_history_ms) {
    throw TopologyError(b.current_origin, "Invalid topology: GlobalTables cannot be versioned.");
  }
  // A global table's store is never logged: StreamsBuilder.globalTable disables logging before it names the store.
  Materialized m = materialized.value_or(Materialized{});
  m.logging = false;
  const std::string store = StoreNameOrGenerate(b, m, topic + "-");
  const std::string source_name = SuffixOrGenerate(b, consumed.name, "-source", naming::kSource);
  const std::string processor_name = OrElseGenerate(b, consumed.name, naming::kTableSource);
  const model::Formats consumed_formats = Pick(consumed, defaults_);
  const model::Formats formats{m.key.empty() ? consumed_formats.key : m.key,
                               m.value.empty() ? consumed_formats.value : m.value};
  model::StoreSpec spec = KeyValueStoreSpec(store, m, formats);
  spec.logged = false;
  GraphNode node;
  node.kind = GraphNode::Kind::kOther;
  node.name = processor_name;
  const SourceLocation origin = b.current_origin;
  node.write = [=](GraphNode&, model::TopologyBuilder& tb) {
    model::Node src;
    src.name = source_name;
    src.op = "global-table-source";
    src.topics = {topic};
    src.formats = consumed_formats;
    src.origin = origin;
    model::Node proc;
    proc.name = processor_name;
    proc.op = "global-table";
    proc.params = {{"store", store}};
    proc.predecessors = {source_name};
    proc.formats = formats;
    proc.origin = origin;
    tb.AddGlobalStore(spec, std::move(src), std::move(proc));
  };
  b.AddNode({b.root()}, std::move(node));
  return GlobalKTable(store, formats);
}

void StreamsBuilder::AddStateStore(const model::StoreSpec& store) { internal_->AddStateStore(store); }

void StreamsBuilder::DeclareTopic(const std::string& topic, std::optional<int> partitions,
                                  const model::Formats& formats) {
  internal_->DeclareTopic(topic, partitions, formats);
}

model::Topology StreamsBuilder::Build(const std::map<std::string, std::string>& config,
                                      const std::string& topology_name) {
  return internal_->Build(config, topology_name);
}

}  // namespace streams::dsl
