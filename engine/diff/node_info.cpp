#include "diff/node_info.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "naming/name_rules.h"

namespace streams::diff {

namespace {

bool IsUpperPrefix(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '-'; });
}

// Operation (topology-file op) -> the prefix Kafka gives its generated name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 41> kOpPrefixes = {{
    {"filter", naming::kFilter},
    {"filterNot", naming::kFilter},
    {"map", naming::kMap},
    {"mapValues", naming::kMapValues},
    {"flatMap", naming::kFlatMap},
    {"flatMapValues", naming::kFlatMapValues},
    {"selectKey", naming::kKeySelect},
    {"groupBy-select", naming::kKeySelect},
    {"peek", naming::kPeek},
    {"foreach", naming::kForeach},
    {"print", naming::kPrinter},
    {"split", naming::kBranch},
    {"merge", naming::kMerge},
    {"process", naming::kProcessor},
    {"processValues", naming::kProcessValues},
    {"toTable", naming::kToTable},
    {"count", naming::kAggregate},
    {"aggregate", naming::kAggregate},
    {"windowed-count", naming::kAggregate},
    {"windowed-aggregate", naming::kAggregate},
    {"reduce", naming::kReduce},
    {"windowed-reduce", naming::kReduce},
    {"cogroup-aggregate", naming::kCogroupAggregate},
    {"cogroup-merge", naming::kCogroupMerge},
    {"table-source", naming::kTableSource},
    {"table-filter", naming::kTableFilter},
    {"table-filterNot", naming::kTableFilter},
    {"table-mapValues", naming::kTableMapValues},
    {"toStream", naming::kTableToStream},
    {"suppress", naming::kTableSuppress},
    {"table-groupBy-select", naming::kTableSelect},
    {"table-count", naming::kTableAggregate},
    {"table-aggregate", naming::kTableAggregate},
    {"table-reduce", naming::kTableReduce},
    {"join-window", naming::kWindowed},
    {"stream-stream-join-this", naming::kJoinThis},
    {"stream-stream-join-other", naming::kJoinOther},
    {"stream-table-join", naming::kJoin},
    {"stream-globaltable-join", naming::kJoin},
    {"table-table-join-this", naming::kTableJoinThis},
    {"table-table-join-other", naming::kTableJoinOther},
}};

// Prefixes that are one operation in different flavours (inner/left/outer joins).
std::string_view Family(std::string_view prefix) {
  if (prefix == naming::kLeftJoin) return naming::kJoin;
  if (prefix == naming::kOuterThis) return naming::kJoinThis;
  if (prefix == naming::kOuterOther) return naming::kJoinOther;
  return prefix;
}

// Generated prefix -> the operation, for messages about nodes parsed from describe text.
constexpr std::array<std::pair<std::string_view, std::string_view>, 30> kPrefixOps = {{
    {naming::kFilter, "filter"},
    {naming::kMap, "map"},
    {naming::kMapValues, "mapValues"},
    {naming::kFlatMap, "flatMap"},
    {naming::kFlatMapValues, "flatMapValues"},
    {naming::kKeySelect, "selectKey"},
    {naming::kPeek, "peek"},
    {naming::kForeach, "foreach"},
    {naming::kPrinter, "print"},
    {naming::kBranch, "split"},
    {naming::kMerge, "merge"},
    {naming::kProcessor, "process"},
    {naming::kProcessValues, "processValues"},
    {naming::kToTable, "toTable"},
    {naming::kAggregate, "aggregate"},
    {naming::kReduce, "reduce"},
    {naming::kCogroupAggregate, "cogroup aggregate"},
    {naming::kCogroupMerge, "cogroup merge"},
    {naming::kTableSource, "table source"},
    {naming::kTableFilter, "table filter"},
    {naming::kTableMapValues, "table mapValues"},
    {naming::kTableToStream, "toStream"},
    {naming::kTableSuppress, "suppress"},
    {naming::kTableSelect, "table groupBy"},
    {naming::kTableAggregate, "table aggregate"},
    {naming::kTableReduce, "table reduce"},
    {naming::kWindowed, "join window"},
    {naming::kJoinThis, "stream-stream join"},
    {naming::kJoin, "stream-table join"},
    {naming::kLeftJoin, "left join"},
}};

}  // namespace

std::optional<GeneratedName> ParseGeneratedName(std::string_view name) {
  // prefix "-" then 10 digits, the prefix in upper case ([A-Z-]) or ending in -STATE-STORE- (the store of
  // table("topic") is "<topic>-STATE-STORE-<n>").
  for (size_t p = 1; p + 10 <= name.size(); ++p) {
    if (name[p - 1] != '-') continue;
    const std::string_view digits = name.substr(p, 10);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    const std::string_view prefix = name.substr(0, p);
    if (!IsUpperPrefix(prefix) && !prefix.ends_with("-STATE-STORE-")) continue;
    const std::string_view suffix = name.substr(p + 10);
    // A suffix must not continue the number, except for split() branch children (<splitter><i>).
    if (!suffix.empty() && std::isdigit(static_cast<unsigned char>(suffix[0])) && prefix != naming::kBranch) continue;
    return GeneratedName{std::string(prefix), std::stoi(std::string(digits)), std::string(suffix)};
  }
  return std::nullopt;
}

nlohmann::json LogicParams(const model::Node& node) {
  nlohmann::json p = node.params;
  if (p.is_object()) {
    p.erase("store");
    p.erase("child");
  }
  return p;
}

bool TouchesInternalTopic(const model::Topology& topology, const model::Node& node) {
  if (node.kind == model::NodeKind::kSink) {
    const auto* t = node.topic_extractor.empty() ? topology.FindTopic(node.topic) : nullptr;
    return t && t->internal();
  }
  if (node.kind == model::NodeKind::kSource) {
    return std::any_of(node.topics.begin(), node.topics.end(), [&](const std::string& name) {
      const auto* t = topology.FindTopic(name);
      return t && t->internal();
    });
  }
  return false;
}

bool IsRepartitionNode(const model::Topology& topology, const model::Node& node) {
  if (node.op.starts_with("repartition-")) return true;
  if (node.kind != model::NodeKind::kProcessor) return TouchesInternalTopic(topology, node);
  if (node.successors.empty() || !node.stores.empty()) return false;
  // describe text: a filter whose successors are all sinks into internal topics
  const bool filter_name = node.name.ends_with("-filter") || node.name.starts_with(naming::kFilter);
  return filter_name && std::all_of(node.successors.begin(), node.successors.end(), [&](const std::string& s) {
           const auto* succ = topology.FindNode(s);
           return succ && succ->kind == model::NodeKind::kSink && TouchesInternalTopic(topology, *succ);
         });
}

std::string NodeLabel(const model::Topology& topology, const model::Node& node) {
  const bool internal = TouchesInternalTopic(topology, node);
  if (node.kind == model::NodeKind::kSource) return internal ? "source:internal" : "source";
  if (node.kind == model::NodeKind::kSink) {
    if (!node.topic_extractor.empty()) return "sink:dynamic";
    return internal ? "sink:internal" : "sink";
  }
  if (IsRepartitionNode(topology, node)) return "repartition-filter";
  if (auto g = ParseGeneratedName(node.name)) {
    if (g->prefix == naming::kBranch && !g->suffix.empty()) return "branch";
    return std::string(Family(g->prefix));
  }
  if (node.op == "branch") return "branch";
  if (node.op == "merge" || node.op == "fk-join-result") {
    // KStream merge and a stream-stream join's merge share the op; table-table joins name theirs too.
    return node.op == "merge" ? std::string(naming::kMerge) : std::string(naming::kFkOutput);
  }
  for (const auto& [op, prefix] : kOpPrefixes) {
    if (node.op == op) return std::string(Family(prefix));
  }
  if (!node.op.empty()) return "op:" + node.op;
  return std::string(kUnknownProcessorLabel);
}

// Internal ops of the model that read badly in a sentence.
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kOpNames = {{
    {"to", "sink (to)"},
    {"stream", "stream source"},
    {"groupBy-select", "groupBy"},
    {"table-groupBy-select", "table groupBy"},
    {"windowed-count", "windowed count"},
    {"windowed-aggregate", "windowed aggregate"},
    {"windowed-reduce", "windowed reduce"},
    {"join-window", "join window"},
    {"stream-stream-join-this", "stream-stream join"},
    {"stream-stream-join-other", "stream-stream join"},
    {"stream-table-join", "stream-table join"},
    {"stream-globaltable-join", "stream-globalTable join"},
    {"table-table-join-this", "table-table join"},
    {"table-table-join-other", "table-table join"},
    {"table-table-join-merge", "table-table join"},
    {"cogroup-aggregate", "cogroup aggregate"},
    {"cogroup-merge", "cogroup merge"},
    {"repartition-filter", "repartition filter"},
    {"repartition-sink", "repartition sink"},
    {"repartition-source", "repartition source"},
    {"fk-join-result", "foreign-key join"},
    {"table-source", "table source"},
}};

std::string OperationName(const model::Node& node) {
  for (const auto& [op, name] : kOpNames) {
    if (node.op == op) return std::string(name);
  }
  if (node.op.starts_with("fk-")) return "foreign-key join";
  if (node.op.starts_with("table-")) return "table " + node.op.substr(6);
  if (!node.op.empty()) return node.op;
  if (node.kind == model::NodeKind::kSource) return "source";
  if (node.kind == model::NodeKind::kSink) return "sink";
  if (auto g = ParseGeneratedName(node.name)) {
    for (const auto& [prefix, op] : kPrefixOps) {
      if (g->prefix == prefix) return std::string(op);
    }
  }
  return "processor";
}

std::string DescribeNode(const model::Node& node) {
  const std::string op = OperationName(node);
  const bool vowel = !op.empty() && std::string_view("aeiou").find(op[0]) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + op + " (" + node.name + ")";
}

}  // namespace streams::diff
