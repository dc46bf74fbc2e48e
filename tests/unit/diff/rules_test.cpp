// The rules: their registered metadata, and what the trickier ones say (causes, pinned-name fixes, branch vs
// inserted operation, describe-text inputs). Every rule also has upgrade fixtures (upgrade_fixtures_test.cpp).
#include <filesystem>
#include <set>

#include <catch2/catch.hpp>

#include "diff/context.h"
#include "diff/report.h"
#include "diff/rule.h"
#include "topology_file/loader.h"

using namespace streams;

namespace {

struct Diffed {
  model::Topology old_topology, new_topology;
  diff::DiffReport report;

  std::vector<diff::Finding> Of(const std::string& rule) const {
    std::vector<diff::Finding> out;
    for (const auto& f : report.findings) {
      if (f.rule == rule) out.push_back(f);
    }
    return out;
  }
  std::set<std::string> Rules() const {
    std::set<std::string> out;
    for (const auto& f : report.findings) out.insert(f.rule);
    return out;
  }
};

std::unique_ptr<Diffed> DiffTexts(const std::string& old_text, const std::string& new_text, bool strip_ops = false) {
  auto d = std::make_unique<Diffed>();
  d->old_topology = topology_file::LoadTopologyFile(old_text, "old.topology.json");
  d->new_topology = topology_file::LoadTopologyFile(new_text, "new.topology.json");
  if (strip_ops) {  // what a describe text gives: names only
    for (auto* t : {&d->old_topology, &d->new_topology}) {
      for (auto& n : t->nodes) {
        n.op.clear();
        n.params = nlohmann::json::object();
      }
    }
  }
  const diff::DiffContext context(d->old_topology, d->new_topology, "old.topology.json", "new.topology.json");
  d->report = diff::Diff(context, {});
  return d;
}

std::string Pipeline(const std::string& ops, const std::string& extra = "") {
  return R"({"config": {"application.id": "app"}, )" + extra + R"("pipelines": [{"source": {"stream": "input"}, "ops": [)" +
         ops + "]}]}";
}

const char* kCount = R"({"op": "groupByKey"}, {"op": "count"}, {"op": "toStream"}, {"op": "to", "topic": "output"})";

}  // namespace

TEST_CASE("should register every rule once, in its own file, with complete documentation", "[diff]") {
  std::set<std::string> ids;
  for (const auto& rule : diff::AllRules()) {
    const auto& i = rule->info();
    INFO(i.id);
    CHECK(ids.insert(std::string(i.id)).second);
    CHECK(i.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string_view::npos);
    CHECK_FALSE(i.title.empty());
    CHECK_FALSE(i.explanation.empty());
    CHECK_FALSE(i.fix.empty());
    CHECK_FALSE(i.example.empty());
    if (i.severity == diff::Verdict::kCompatible) {
      CHECK(i.level != diff::Level::kError);
    } else {
      CHECK(i.level == diff::Level::kError);
    }
    std::string file(i.id);
    for (char& c : file) c = c == '-' ? '_' : c;
    CHECK(std::filesystem::exists(std::filesystem::path(TESTS_DIR) / "../engine/diff/rules" / (file + ".cpp")));
    CHECK(diff::FindRule(i.id) == rule.get());
  }
  CHECK(ids.size() >= 30);
  CHECK(diff::FindRule("no-such-rule") == nullptr);
}

TEST_CASE("should order verdicts from compatible to reset-required", "[diff]") {
  using diff::Verdict;
  CHECK(diff::Strictest(Verdict::kDrainRequired, Verdict::kOfflineUpgrade) == Verdict::kDrainRequired);
  CHECK(Verdict::kCompatible < Verdict::kOfflineUpgrade);
  CHECK(Verdict::kDrainRequired < Verdict::kResetRequired);
  for (Verdict v : diff::kAllVerdicts) CHECK(diff::ParseVerdict(diff::ToString(v)) == v);
  CHECK_FALSE(diff::ParseVerdict("rolling"));
}

TEST_CASE("should say which inserted operation shifted a store's name and how to pin it", "[diff]") {
  const auto d = DiffTexts(Pipeline(kCount),
                           Pipeline(std::string(R"({"op": "filter", "predicate": "true"}, )") + kCount));
  const auto renamed = d->Of("store-renamed");
  REQUIRE(renamed.size() == 1);
  const auto& f = renamed[0];
  CHECK(f.message == "state store KSTREAM-AGGREGATE-STATE-STORE-0000000001 is now KSTREAM-AGGREGATE-STATE-STORE-0000000002");
  CHECK(f.cause == "a filter (KSTREAM-FILTER-0000000001) was inserted at new.topology.json:1:93; every generated name "
                   "after it moved by one");
  CHECK_THAT(f.fix, Catch::StartsWith("pin the old name: Materialized.as(\"KSTREAM-AGGREGATE-STATE-STORE-0000000001\") "
                                      "on the count at new.topology.json:1:154"));
  CHECK_THAT(f.fix, Catch::Contains(R"("materialized": {"as": "KSTREAM-AGGREGATE-STATE-STORE-0000000001"})"));
  CHECK(f.old_side.topics == std::vector<std::string>{"app-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog"});
  CHECK(f.new_side.topics == std::vector<std::string>{"app-KSTREAM-AGGREGATE-STATE-STORE-0000000002-changelog"});
  CHECK(f.location.ToString() == "new.topology.json:1:154");
  CHECK(d->report.verdict == diff::Verdict::kResetRequired);
}

TEST_CASE("should count a removed operation as a shift back", "[diff]") {
  const auto d = DiffTexts(Pipeline(std::string(R"({"op": "peek", "action": "."}, )") + kCount), Pipeline(kCount));
  const auto renamed = d->Of("store-renamed");
  REQUIRE(renamed.size() == 1);
  CHECK_THAT(renamed[0].cause, Catch::StartsWith("a peek (KSTREAM-PEEK-0000000001) was removed (it was at old.topology.json:"));
  CHECK_THAT(renamed[0].cause, Catch::EndsWith("every generated name after it moved back by one"));
  CHECK(d->Rules() == std::set<std::string>{"store-renamed", "operation-removed"});
}

TEST_CASE("should say that pinning the store also pins the repartition topic named after it", "[diff]") {
  const char* rekey = R"({"op": "selectKey", "mapper": ".id"}, )";
  const auto d = DiffTexts(Pipeline(std::string(rekey) + kCount),
                           Pipeline(std::string(R"({"op": "peek", "action": "."}, )") + rekey + kCount));
  const auto topics = d->Of("repartition-topic-renamed");
  REQUIRE(topics.size() == 1);
  CHECK(topics[0].message == "repartition topic app-KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition is now "
                             "app-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition");
  CHECK_THAT(topics[0].fix, Catch::StartsWith("pinning the store name KSTREAM-AGGREGATE-STATE-STORE-0000000002"));
  CHECK(d->Of("store-renamed").size() == 1);
}

TEST_CASE("should explain when a generated store name cannot be pinned", "[diff]") {
  const char* suppress = R"({"op": "groupByKey"}, {"op": "count"}, {"op": "suppress", "until": "timeLimit", "timeLimit": "1m",
                            "buffer": {"full": "emitEarly"}}, {"op": "toStream"}, {"op": "to", "topic": "output"})";
  const auto d = DiffTexts(Pipeline(suppress),
                           Pipeline(std::string(R"({"op": "filter", "predicate": "true"}, )") + suppress));
  bool found = false;
  for (const auto& f : d->Of("store-renamed")) {
    if (f.message.find("KTABLE-SUPPRESS-STATE-STORE") == std::string::npos) continue;
    found = true;
    CHECK_THAT(f.fix, Catch::StartsWith("A suppress buffer's name"));
    CHECK_THAT(f.fix, Catch::Contains("keep the operations that take generated indexes in their old order"));
  }
  CHECK(found);
}

TEST_CASE("should tell an inserted operation from a new branch", "[diff]") {
  const std::string old_text = R"({"config": {"application.id": "app"}, "pipelines": [
    {"source": {"stream": "input"}, "as": "in"},
    {"from": "in", "ops": [{"op": "mapValues", "mapper": "."}, {"op": "to", "topic": "out"}]}]})";
  const std::string new_text = R"({"config": {"application.id": "app"}, "pipelines": [
    {"source": {"stream": "input"}, "as": "in"},
    {"from": "in", "ops": [{"op": "filter", "predicate": "true"}, {"op": "mapValues", "mapper": "."}, {"op": "to", "topic": "out"}]},
    {"from": "in", "ops": [{"op": "peek", "action": "."}, {"op": "to", "topic": "audit"}]}]})";
  const auto d = DiffTexts(old_text, new_text);
  CHECK(d->Rules() == std::set<std::string>{"operation-added", "branch-added", "output-topic-added"});
  REQUIRE(d->Of("operation-added").size() == 1);
  CHECK(d->Of("operation-added")[0].message == "a filter (KSTREAM-FILTER-0000000001) was inserted after KSTREAM-SOURCE-0000000000");
  REQUIRE(d->Of("branch-added").size() == 1);
  CHECK(d->Of("branch-added")[0].message == "a new branch after KSTREAM-SOURCE-0000000000: peek -> sink (to) audit");
  CHECK(d->report.verdict == diff::Verdict::kCompatible);
  CHECK(d->report.plan.steps.empty());
}

TEST_CASE("should stay silent on formats that a describe text does not know", "[diff]") {
  const auto old_text = Pipeline(R"({"op": "mapValues", "mapper": ".", "value": "long"}, {"op": "groupByKey"}, {"op": "count"})");
  const auto new_text = Pipeline(R"({"op": "mapValues", "mapper": "tostring", "value": "string"}, {"op": "groupByKey"}, {"op": "count"})");
  CHECK(DiffTexts(old_text, new_text)->Rules().count("logic-changed") == 1);
  CHECK(DiffTexts(old_text, new_text, /*strip_ops=*/true)->Rules().empty());
}

TEST_CASE("should plan a reset with the topics of the model", "[diff]") {
  const auto d = DiffTexts(Pipeline(kCount), Pipeline(std::string(R"({"op": "filter", "predicate": "true"}, )") + kCount));
  const auto& plan = d->report.plan;
  REQUIRE(plan.steps.size() == 5);
  CHECK(plan.steps[1].commands ==
        std::vector<std::string>{"streams-reset --application-id app --bootstrap-server ${BOOTSTRAP_SERVERS} "
                                 "--input-topics input --internal-topics "
                                 "app-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog,"
                                 "app-KSTREAM-AGGREGATE-STATE-STORE-0000000002-changelog --to-earliest "
                                 "--state-dir /tmp/kafka-streams --dry-run"});
  CHECK_THAT(plan.steps[2].commands[0], Catch::EndsWith("--execute"));
  CHECK(plan.data_reprocessed.front() == "every retained record of input");
}

TEST_CASE("should plan a drain with the old topology and the given config", "[diff]") {
  const std::string old_text = Pipeline(R"({"op": "selectKey", "mapper": ".id"}, {"op": "mapValues", "mapper": ".", "value": "string"},
      {"op": "groupByKey"}, {"op": "count", "materialized": {"as": "c"}})");
  const std::string new_text = Pipeline(R"({"op": "selectKey", "mapper": ".id"}, {"op": "mapValues", "mapper": "{v: .}", "value": "json"},
      {"op": "groupByKey"}, {"op": "count", "materialized": {"as": "c"}})");
  auto old_t = topology_file::LoadTopologyFile(old_text, "v1.topology.json");
  auto new_t = topology_file::LoadTopologyFile(new_text, "v2.topology.json");
  const diff::DiffContext context(old_t, new_t, "v1.topology.json", "v2.topology.json");
  diff::DiffSettings settings;
  settings.plan.old_file = "v1.topology.json";
  settings.plan.config_file = "prod.properties";
  settings.plan.config = {{"bootstrap.servers", "kafka:9092"}};
  const auto report = diff::Diff(context, settings);
  CHECK(report.verdict == diff::Verdict::kDrainRequired);
  REQUIRE(report.plan.steps.size() == 3);
  CHECK(report.plan.steps[1].commands == std::vector<std::string>{"streams-drain v1.topology.json --config prod.properties"});
  CHECK_THAT(report.plan.steps[1].detail, Catch::Contains("app-c-repartition"));
  CHECK_THAT(report.plan.steps[0].commands[0], Catch::Contains("--bootstrap-server kafka:9092"));
}

TEST_CASE("should let --allow pass verdicts up to the one named", "[diff]") {
  const auto d = DiffTexts(Pipeline(kCount), Pipeline(std::string(R"({"op": "filter", "predicate": "true"}, )") + kCount));
  auto report = d->report;
  CHECK(report.exit_code() == 1);
  report.allowed = diff::Verdict::kDrainRequired;
  CHECK(report.exit_code() == 1);
  report.allowed = diff::Verdict::kResetRequired;
  CHECK(report.exit_code() == 0);
}

TEST_CASE("should say that a join type change renames a join store that no name can keep", "[diff]") {
  auto join = [](const char* op) {
    return std::string(R"({"config": {"application.id": "app"}, "pipelines": [
      {"source": {"stream": "payments"}, "as": "payments"},
      {"source": {"stream": "orders"}, "ops": [{"op": ")") + op + R"(", "with": "payments", "joiner": "[$left, $right]",
        "window": {"before": "5m"}}, {"op": "to", "topic": "paid"}]}]})";
  };
  const auto d = DiffTexts(join("join"), join("leftJoin"));
  const auto renamed = d->Of("store-renamed");
  REQUIRE(renamed.size() == 1);
  CHECK(renamed[0].message == "state store KSTREAM-JOINOTHER-0000000005-store is now KSTREAM-OUTEROTHER-0000000005-store");
  CHECK(renamed[0].cause.empty());
  CHECK_THAT(renamed[0].fix, Catch::StartsWith("the join type names this store"));
  CHECK_THAT(renamed[0].fix, Catch::Contains("join window (10m)"));
  CHECK(d->Of("store-added").size() == 1);
}
