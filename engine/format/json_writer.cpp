// engine/format/json_writer.cpp
// The JSON writer of streams-describe. Field order follows docs/json-schema.md (ordered_json), so the
// output is byte-stable and can be golden-tested. Rule of the schema: lists are always arrays (empty when
// there is nothing), a scalar that is unknown or does not apply is null.
#include "format/json_writer.h"

#include <nlohmann/json.hpp>

namespace streams::format {

namespace {

using Json = nlohmann::ordered_json;

//! A string, or null when empty ("not declared" / "does not apply").
Json StringOrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json FormatsJson(const model::Formats& f) {
  return Json{{"key", StringOrNull(f.key)}, {"value", StringOrNull(f.value)}};
}

Json OriginJson(const SourceLocation& where) {
  if (where.file.empty() && where.line == 0) return nullptr;
  return Json{{"file", where.file},
              {"line", where.line > 0 ? Json(where.line) : Json(nullptr)},
              {"column", where.column > 0 ? Json(where.column) : Json(nullptr)}};
}

Json NodeJson(const model::Node& n) {
  return Json{{"name", n.name},
              {"kind", model::ToString(n.kind)},
              {"op", StringOrNull(n.op)},
              {"subtopology", n.subtopology >= 0 ? Json(n.subtopology) : Json(nullptr)},
              {"topics", n.topics},
              {"topic_pattern", StringOrNull(n.topic_pattern)},
              {"topic", StringOrNull(n.topic)},
              {"topic_extractor", StringOrNull(n.topic_extractor)},
              {"predecessors", n.predecessors},
              {"successors", n.successors},
              {"stores", n.stores},
              {"formats", FormatsJson(n.formats)},
              {"params", Json(n.params)},
              {"origin", OriginJson(n.origin)},
              {"display", Json{{"topics", n.display_topics},
                               {"stores", n.display_stores},
                               {"predecessors", n.display_predecessors},
                               {"successors", n.display_successors}}}};
}

//! `value`, or null when the input did not say (a describe() text: `known` is false).
template <typename T>
Json Known(bool known, const T& value) {
  return known ? Json(value) : Json(nullptr);
}

Json StoreJson(const model::StoreSpec& s, bool known) {
  Json changelog_config = Json::object();
  for (const auto& [k, v] : s.changelog_config) changelog_config[k] = v;
  return Json{{"name", s.name},
              {"kind", Known(known, model::ToString(s.kind))},
              {"formats", FormatsJson(s.formats)},
              {"logged", Known(known || s.global, s.logged)},
              {"persistent", Known(known, s.persistent)},
              {"caching", Known(known, s.caching)},
              {"global", s.global},
              {"window_size_ms", Known(known, s.window_size_ms)},
              {"retention_ms", Known(known, s.retention_ms)},
              {"grace_ms", Known(known, s.grace_ms)},
              {"retain_duplicates", Known(known, s.retain_duplicates)},
              {"changelog_topic", StringOrNull(s.changelog_topic)},
              {"changelog_config", changelog_config},
              {"source_topic_changelog", StringOrNull(s.source_topic_changelog)},
              {"processors", s.processors}};
}

Json TopicJson(const model::TopicSpec& t) {
  return Json{{"name", t.name},
              {"full_name", t.full_name},
              {"role", model::ToString(t.role)},
              {"internal", t.internal()},
              {"partitions", t.partitions ? Json(*t.partitions) : Json(nullptr)},
              {"formats", FormatsJson(t.formats)},
              {"readers", t.readers},
              {"writers", t.writers},
              {"store", StringOrNull(t.store)}};
}

}  // namespace

std::string WriteJson(const model::Topology& t) {
  Json doc;
  doc["schema_version"] = kJsonSchemaVersion;
  doc["name"] = StringOrNull(t.name);
  doc["application_id"] = StringOrNull(t.application_id);
  // What the input did not say (a describe() text names things only); empty for a topology file.
  Json unknown = Json::array();
  if (!t.application_id_known()) unknown.push_back("application_id");
  if (t.names_only()) {
    for (const char* what : {"store_details", "formats", "windows", "partitions", "logic"}) unknown.push_back(what);
  }
  doc["unknown"] = unknown;
  Json config = Json::object();
  for (const auto& [k, v] : t.config) config[k] = v;  // std::map: sorted by property name
  doc["config"] = config;

  Json subtopologies = Json::array();
  for (const auto& s : t.subtopologies) {
    subtopologies.push_back(Json{{"id", s.id}, {"global", s.global}, {"nodes", s.display_nodes.empty() ? s.nodes : s.display_nodes}});
  }
  doc["subtopologies"] = subtopologies;

  Json nodes = Json::array();
  Json edges = Json::array();
  for (const auto& n : t.nodes) {
    nodes.push_back(NodeJson(n));
    // A record leaves `n` with the formats it emits, whichever successor receives it.
    for (const auto& to : n.successors) edges.push_back(Json{{"from", n.name}, {"to", to}, {"formats", FormatsJson(n.formats)}});
  }
  doc["nodes"] = nodes;
  doc["edges"] = edges;

  Json stores = Json::array();
  for (const auto& s : t.stores) stores.push_back(StoreJson(s, !t.names_only()));
  doc["stores"] = stores;

  Json topics = Json::array();
  for (const auto& topic : t.topics) topics.push_back(TopicJson(topic));
  doc["topics"] = topics;

  doc["copartition_groups"] = t.copartition_groups;
  // Names come from user files: invalid UTF-8 is replaced (U+FFFD) rather than thrown on.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace streams::format
