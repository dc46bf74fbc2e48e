#include "app/naming_lint.h"

#include <algorithm>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/property_check.h"
#include "naming/name_rules.h"

namespace streams::app {

namespace {

constexpr const char* kChangelog = "changelog topic";
constexpr const char* kStore = "state store";
constexpr const char* kRepartition = "repartition topic";
constexpr const char* kProperty = "ensure.explicit.internal.resource.naming";

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

std::string At(const UnnamedResource& r) {
  return (r.op.empty() ? "the operation" : "the " + r.op) + (r.where.line > 0 ? " at " + r.where.ToString() : "");
}

bool IsJoin(const std::string& op) { return op == "join" || op == "leftJoin" || op == "outerJoin"; }

//! How to pin the name, in the topology file's terms (docs/topology-file.md).
std::string FixOf(const UnnamedResource& r, const std::string& store) {
  const std::string prefix = r.name.substr(0, r.name.size() - std::string(naming::kRepartitionSuffix).size());
  if (r.kind == kRepartition) {
    if (r.op == "count" || r.op == "aggregate" || r.op == "reduce" || r.op == "cogroup") {
      return "\"name\": " + Quoted(prefix) + " on the groupBy/groupByKey before " + At(r) +
             " (Grouped.as) keeps the topic " + r.name + "; a store name (\"materialized\": {\"as\": ...}) names it "
             "after the store instead";
    }
    if (IsJoin(r.op)) {
      // The join's name also names its processor, so the upstream node's name (the generated prefix) is taken.
      return "\"name\" on " + At(r) + " (Joined.as; StreamJoined.withName for a stream-stream join): the topic "
             "becomes <name>-repartition (<name>-left-repartition and <name>-right-repartition for a stream-stream "
             "join), a new topic: drain " + r.name + " before the new version starts";
    }
    return "\"name\": " + Quoted(prefix) + " on " + At(r) + " keeps the topic " + r.name;
  }
  if (r.op == "suppress") {
    return "\"name\" on " + At(r) + " (Suppressed.withName): the buffer's changelog becomes <name>-store-changelog, a "
           "new topic (the buffer starts empty)";
  }
  if (IsJoin(r.op) && store.ends_with("-store")) {
    return "\"storeName\" on " + At(r) + " (StreamJoined.withStoreName): the join stores become "
           "<storeName>-this-join-store, ... (new stores: the join windows start empty)";
  }
  return "\"materialized\": {\"as\": " + Quoted(store) + "} on " + At(r) + " (Materialized.as) keeps the store " +
         store + " and its changelog as they are";
}

//! A describe() text's names that have the DSL's generated form.
bool LooksGenerated(const std::string& name) {
  static const std::regex kGenerated(R"(((^|-)STATE-STORE-|^(KSTREAM|KTABLE|COGROUPKSTREAM)-[A-Z-]+-)[0-9]{10}.*)");
  return std::regex_match(name, kGenerated);
}

void Add(std::vector<UnnamedResource>& out, const model::Topology& t, const char* kind, const std::string& name,
         const std::string& store, const SourceLocation& where, const std::string& op) {
  UnnamedResource r{kind, name, kind == kStore ? name : naming::InternalTopicName(t.application_id, name), where, op,
                    ""};
  r.fix = FixOf(r, store);
  out.push_back(std::move(r));
}

}  // namespace

std::vector<UnnamedResource> UnnamedResources(const model::Topology& t, const std::string& file) {
  std::vector<UnnamedResource> out;
  const bool from_file = std::any_of(t.nodes.begin(), t.nodes.end(), [](const model::Node& n) { return !n.op.empty(); });
  auto where = [&](const SourceLocation& at) { return at.file.empty() ? SourceLocation{file} : at; };
  if (from_file) {
    for (const char* kind : {kChangelog, kStore, kRepartition}) {
      for (const auto& g : t.generated_names) {
        const std::string& name = kind == kChangelog ? g.changelog_topic : kind == kStore ? g.state_store
                                                                                           : g.repartition_topic;
        if (name.empty()) continue;
        const std::string store = !g.state_store.empty() ? g.state_store
                                  : g.changelog_topic.empty()
                                      ? ""
                                      : g.changelog_topic.substr(0, g.changelog_topic.size() -
                                                                        std::string(naming::kChangelogSuffix).size());
        Add(out, t, kind, name, store, where(g.origin), g.op);
      }
    }
    return out;
  }
  // A describe() text: what has the generated form.
  for (const auto& s : t.stores) {
    if (LooksGenerated(s.name) && !s.changelog_topic.empty()) {
      Add(out, t, kChangelog, s.name + std::string(naming::kChangelogSuffix), s.name, SourceLocation{file}, "");
    }
  }
  for (const auto& s : t.stores) {
    if (LooksGenerated(s.name)) Add(out, t, kStore, s.name, s.name, SourceLocation{file}, "");
  }
  for (const auto& topic : t.topics) {
    if (topic.role == model::TopicRole::kRepartition && topic.name.ends_with(naming::kRepartitionSuffix) &&
        LooksGenerated(topic.name)) {
      Add(out, t, kRepartition, topic.name, "", SourceLocation{file}, "");
    }
  }
  return out;
}

std::string KafkaNamingMessage(const std::vector<UnnamedResource>& resources) {
  std::string out;
  for (const auto& [kind, words] : {std::pair{kChangelog, "changelog topic(s)"}, std::pair{kStore, "state store(s)"},
                                    std::pair{kRepartition, "repartition topic(s)"}}) {
    std::string names;
    for (const auto& r : resources) {
      if (r.kind == kind) names += (names.empty() ? "" : ", ") + r.name;
    }
    if (!names.empty()) out += std::string("Following ") + words + " has not been named: " + names + "\n";
  }
  return out;
}

void CheckExplicitNaming(const model::Topology& topology, const std::string& file) {
  auto it = topology.config.find(kProperty);
  if (it == topology.config.end()) return;
  auto origin = topology.config_origins.find(kProperty);
  const SourceLocation set_at = origin == topology.config_origins.end() ? SourceLocation{} : origin->second;
  if (!config::ParseBoolean(kProperty, it->second, set_at)) return;
  const auto resources = UnnamedResources(topology, file);
  if (resources.empty()) return;
  std::string message = "Invalid topology: " + std::string(kProperty) + "=true" +
                        (set_at.file.empty() ? "" : " (" + set_at.ToString() + ")") + " and " +
                        std::to_string(resources.size()) + " internal name" + (resources.size() == 1 ? " is" : "s are") +
                        " generated:\n";
  for (const auto& r : resources) {
    message += "  " + r.where.ToString() + ": " + r.kind + " " + r.full_name + "\n    pin it: " + r.fix + "\n";
  }
  message += KafkaNamingMessage(resources);
  message.pop_back();
  throw TopologyError(SourceLocation{file}, message);
}

namespace {

std::string ReplaceAll(const std::string& s, const std::vector<std::pair<char, std::string>>& map) {
  std::string out;
  for (char c : s) {
    auto it = std::find_if(map.begin(), map.end(), [c](const auto& m) { return m.first == c; });
    if (it == map.end()) {
      out += c;
    } else {
      out += it->second;
    }
  }
  return out;
}

std::string Xml(const std::string& s) {
  return ReplaceAll(s, {{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&apos;"}});
}

std::string Summary(const std::vector<UnnamedResource>& rs) {
  if (rs.empty()) return "pass (every state store, changelog and repartition topic has an explicit name)";
  return "FAIL (" + std::to_string(rs.size()) + " generated internal name" + (rs.size() == 1 ? "" : "s") + ": " +
         std::string(kProperty) + "=true refuses this topology)";
}

std::string Text(const model::Topology& t, const std::string& file, const std::vector<UnnamedResource>& rs) {
  std::ostringstream out;
  out << "streams-describe --lint " << file << "\napplication.id: "
      << (t.application_id.empty() ? "unknown (a describe() text has none: give --application-id)" : t.application_id)
      << "\n";
  for (const auto& r : rs) {
    out << "\n" << r.where.ToString() << ": " << r.kind << " " << r.full_name << " has a generated name\n"
        << "  fix: " << r.fix << "\n";
  }
  if (!rs.empty()) out << "\nas Kafka Streams reports it:\n" << KafkaNamingMessage(rs);
  out << "\nresult: " << Summary(rs) << "\n";
  return out.str();
}

std::string Json(const model::Topology& t, const std::string& file, const std::vector<UnnamedResource>& rs) {
  nlohmann::ordered_json doc;
  doc["file"] = file;
  doc["application_id"] = t.application_id.empty() ? nlohmann::json() : nlohmann::json(t.application_id);
  doc["passed"] = rs.empty();
  doc["generated_names"] = nlohmann::ordered_json::array();
  for (const auto& r : rs) {
    nlohmann::ordered_json j;
    j["kind"] = r.kind;
    j["name"] = r.name;
    j["full_name"] = r.full_name;
    j["location"] = {{"file", r.where.file}, {"line", r.where.line}, {"column", r.where.column}};
    j["operation"] = r.op;
    j["fix"] = r.fix;
    doc["generated_names"].push_back(std::move(j));
  }
  doc["kafka_message"] = KafkaNamingMessage(rs);
  return doc.dump(2) + "\n";
}

std::string Github(const std::string& file, const std::vector<UnnamedResource>& rs) {
  auto data = [](const std::string& s) { return ReplaceAll(s, {{'%', "%25"}, {'\r', "%0D"}, {'\n', "%0A"}}); };
  auto property = [](const std::string& s) {
    return ReplaceAll(s, {{'%', "%25"}, {'\r', "%0D"}, {'\n', "%0A"}, {':', "%3A"}, {',', "%2C"}});
  };
  std::ostringstream out;
  for (const auto& r : rs) {
    out << "::error file=" << property(r.where.file);
    if (r.where.line > 0) out << ",line=" << r.where.line;
    if (r.where.column > 0) out << ",col=" << r.where.column;
    out << ",title=" << property("streams-describe --lint: generated " + r.kind + " name") << "::"
        << data(r.kind + " " + r.full_name + " has a generated name\nFix: " + r.fix) << "\n";
  }
  out << "streams-describe --lint " << file << ": " << Summary(rs) << "\n";
  return out.str();
}

std::string Junit(const std::string& file, const std::vector<UnnamedResource>& rs) {
  std::ostringstream cases;
  size_t failures = 0;
  for (const char* kind : {kChangelog, kStore, kRepartition}) {
    std::string failed;
    size_t count = 0;
    for (const auto& r : rs) {
      if (r.kind != kind) continue;
      failed += r.where.ToString() + ": " + r.kind + " " + r.full_name + " has a generated name\nFix: " + r.fix + "\n";
      ++count;
    }
    std::string id = kind;
    std::replace(id.begin(), id.end(), ' ', '-');
    cases << "    <testcase classname=\"streams-describe-lint\" name=\"explicit-" << id << "-names\"";
    if (count == 0) {
      cases << "/>\n";
      continue;
    }
    ++failures;
    cases << ">\n      <failure type=\"generated-name\" message=\""
          << Xml(std::to_string(count) + " generated " + kind + " name" + (count == 1 ? "" : "s")) << "\">" << Xml(failed)
          << "</failure>\n    </testcase>\n";
  }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"streams-describe --lint\" tests=\"3\" failures=\"" << failures << "\">\n";
  out << "  <testsuite name=\"" << Xml("streams-describe --lint " + file) << "\" tests=\"3\" failures=\"" << failures
      << "\" errors=\"0\" skipped=\"0\">\n";
  out << cases.str() << "  </testsuite>\n</testsuites>\n";
  return out.str();
}

}  // namespace

std::string RenderNamingLint(const model::Topology& topology, const std::string& file, const std::string& format) {
  const auto resources = UnnamedResources(topology, file);
  if (format == "text") return Text(topology, file, resources);
  if (format == "json") return Json(topology, file, resources);
  if (format == "github") return Github(file, resources);
  if (format == "junit") return Junit(file, resources);
  throw InputError("--lint writes text, json, github or junit, not \"" + format + "\"");
}

}  // namespace streams::app
