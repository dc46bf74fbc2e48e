// JSON with a stable schema ("streams-diff/v1", docs/streams-diff.md): verdict, findings, plan.
#include <nlohmann/json.hpp>

#include "diff/format/diff_renderer.h"
#include "diff/rule.h"

namespace streams::diff {

namespace {

using Json = nlohmann::ordered_json;

Json SideJson(const Involved& side) {
  return Json{{"nodes", side.nodes}, {"stores", side.stores}, {"topics", side.topics}, {"subtopologies", side.subtopologies}};
}

Json LocationJson(const SourceLocation& where) {
  return Json{{"file", where.file}, {"line", where.line}, {"column", where.column}};
}

class JsonRenderer final : public DiffRenderer {
 public:
  std::string Render(const DiffReport& r, const DiffContext&) const override {
    Json doc;
    doc["schema"] = "streams-diff/v1";
    // null: the versions do not say it (describe() texts without --application-id)
    auto app_id = [](const std::string& id) { return id.empty() ? Json(nullptr) : Json(id); };
    doc["old"] = Json{{"file", r.old_file}, {"application_id", app_id(r.old_application_id)}};
    doc["new"] = Json{{"file", r.new_file}, {"application_id", app_id(r.new_application_id)}};
    doc["verdict"] = ToString(r.verdict);
    doc["allowed"] = ToString(r.allowed);
    doc["passed"] = r.passed();
    doc["exit_code"] = r.exit_code();
    Json counts = Json::object();
    for (Verdict v : kAllVerdicts) {
      size_t n = 0;
      for (const auto& f : r.findings) n += f.severity == v;
      counts[ToString(v)] = n;
    }
    doc["counts"] = counts;
    doc["strict"] = r.strict;
    Json unchecked = Json::array();
    for (const auto& u : r.unchecked) {
      const Rule* rule = FindRule(u.rule);
      unchecked.push_back(Json{{"rule", u.rule},
                               {"title", rule ? std::string(rule->info().title) : std::string()},
                               {"reason", u.reason}});
    }
    doc["unchecked"] = unchecked;
    Json findings = Json::array();
    for (const auto& f : r.findings) {
      const Rule* rule = FindRule(f.rule);
      findings.push_back(Json{{"rule", f.rule},
                              {"title", rule ? std::string(rule->info().title) : std::string()},
                              {"severity", ToString(f.severity)},
                              {"level", ToString(f.level)},
                              {"blocking", r.Blocking(f)},
                              {"message", f.message},
                              {"cause", f.cause},
                              {"explanation", f.explanation},
                              {"fix", f.fix},
                              {"location", LocationJson(f.location)},
                              {"old", SideJson(f.old_side)},
                              {"new", SideJson(f.new_side)}});
    }
    doc["findings"] = findings;
    Json steps = Json::array();
    for (const auto& s : r.plan.steps) {
      steps.push_back(Json{{"title", s.title}, {"detail", s.detail}, {"commands", s.commands}});
    }
    doc["plan"] = Json{{"verdict", ToString(r.plan.verdict)},
                       {"steps", steps},
                       {"data_lost", r.plan.data_lost},
                       {"data_reprocessed", r.plan.data_reprocessed}};
    return doc.dump(2) + "\n";
  }
};

}  // namespace

std::unique_ptr<DiffRenderer> MakeJsonRenderer() { return std::make_unique<JsonRenderer>(); }

}  // namespace streams::diff
