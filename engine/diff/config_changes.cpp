#include "diff/config_changes.h"

#include <set>

#include "config/streams_config.h"

namespace streams::diff {

namespace {

std::optional<std::string> Find(const model::Topology& t, const std::string& name) {
  auto it = t.config.find(name);
  if (it == t.config.end()) return std::nullopt;
  return it->second;
}

SourceLocation Origin(const model::Topology& t, const std::string& name) {
  auto it = t.config_origins.find(name);
  return it == t.config_origins.end() ? SourceLocation{} : it->second;
}

std::string Effective(const std::string& name, const std::optional<std::string>& value) {
  if (value) return *value;
  return DefaultValue(name).value_or("");
}

//! The value, Kafka Streams' default for an unset property, or "(not set)".
std::string Shown(const std::string& name, const std::optional<std::string>& value) {
  if (value) return value->empty() ? "\"\"" : *value;
  const auto def = DefaultValue(name);
  return def && !def->empty() ? *def : "(not set)";
}

}  // namespace

std::optional<std::string> DefaultValue(const std::string& name) {
  for (const auto& p : config::StreamsProperties()) {
    if (name == p.name) return std::string(p.default_value);
  }
  return std::nullopt;
}

std::string ConfigChange::OldEffective() const { return Effective(name, old_value); }
std::string ConfigChange::NewEffective() const { return Effective(name, new_value); }

std::string ConfigChange::Text() const {
  std::string text = name + " changed from " + Shown(name, old_value);
  if (old_value && !old_where.file.empty() && !new_value) text += " (" + old_where.ToString() + ")";
  text += " to " + Shown(name, new_value);
  if (new_value && !new_where.file.empty()) text += " in " + new_where.ToString();
  return text;
}

SourceLocation ConfigChange::Where() const { return new_value && !new_where.file.empty() ? new_where : old_where; }

std::vector<ConfigChange> ConfigChanges(const model::Topology& old_topology, const model::Topology& new_topology,
                                        bool with_application_id) {
  std::set<std::string> names;
  for (const auto& [k, v] : old_topology.config) names.insert(k);
  for (const auto& [k, v] : new_topology.config) names.insert(k);
  std::vector<ConfigChange> out;
  for (const auto& name : names) {
    if (name == "application.id" && !with_application_id) continue;
    ConfigChange c{name, Find(old_topology, name), Find(new_topology, name), Origin(old_topology, name),
                   Origin(new_topology, name)};
    if (c.OldEffective() == c.NewEffective() && c.old_value.has_value() == c.new_value.has_value()) continue;
    if (c.OldEffective() == c.NewEffective() && DefaultValue(name)) continue;  // explicit default vs. unset
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace streams::diff
