// The upgrade fixtures are the test suite of streams-diff (STYLE.md 13): every folder under
// topology-fixtures/upgrades/ holds an old and a new version (old.topology.json / new.topology.json, or
// describe texts old.txt / new.txt, or "old"/"new" paths in expected.json) and expected.json with the verdict
// and the rule ids. One Catch2 test case per folder, registered at start-up as DuckDB registers its .test
// files. The diff runs through app::RunDiff, the same path as the tool.
#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "app/diff.h"
#include "diff/rule.h"

namespace fs = std::filesystem;

namespace {

const fs::path kUpgrades = fs::path(FIXTURES_DIR) / "upgrades";
constexpr const char* kPrefix = "upgrade fixture: ";

nlohmann::json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

//! old.* / new.* in the folder, or the paths expected.json names (relative to the folder).
std::string VersionFile(const fs::path& dir, const nlohmann::json& expected, const std::string& which) {
  if (expected.contains(which)) return (dir / expected.at(which).get<std::string>()).lexically_normal().string();
  for (const char* ext : {".topology.json", ".txt"}) {
    const fs::path p = dir / (which + ext);
    if (fs::exists(p)) return p.string();
  }
  FAIL("no " << which << ".topology.json or " << which << ".txt in " << dir);
  return "";
}

void RunUpgradeFixture() {
  const std::string test_name = Catch::getResultCapture().getCurrentTestName();
  const fs::path dir = kUpgrades / test_name.substr(std::string(kPrefix).size());
  const nlohmann::json expected = ReadJson(dir / "expected.json");

  streams::app::DiffOptions options;
  options.old_path = VersionFile(dir, expected, "old");
  options.new_path = VersionFile(dir, expected, "new");
  options.format = "json";
  // Per-version properties files (--old-config / --new-config), relative to the folder.
  if (expected.contains("old_config")) options.old_config = (dir / expected.at("old_config").get<std::string>()).string();
  if (expected.contains("new_config")) options.new_config = (dir / expected.at("new_config").get<std::string>()).string();
  std::ostringstream out, err;
  const int status = streams::app::RunDiff(options, out, err);
  INFO(err.str());
  REQUIRE(status != 2);
  const auto report = nlohmann::json::parse(out.str());

  const std::string verdict = expected.at("verdict");
  CHECK(report.at("verdict") == verdict);
  CHECK(status == (verdict == "compatible" ? 0 : 1));
  std::set<std::string> rules;
  for (const auto& f : report.at("findings")) rules.insert(f.at("rule").get<std::string>());
  const auto want = expected.at("rules").get<std::set<std::string>>();
  CHECK(rules == want);
  // What a configuration change causes names it as its cause.
  if (expected.contains("caused_by")) {
    for (const auto& f : report.at("findings")) {
      if (f.at("rule") == "config-changed") continue;
      INFO(f.dump(2));
      CHECK_THAT(f.value("cause", std::string()), Catch::Contains(expected.at("caused_by").get<std::string>()));
    }
  }
  for (const auto& f : report.at("findings")) {
    INFO(f.dump(2));
    CHECK(streams::diff::FindRule(f.at("rule").get<std::string>()));
    CHECK_FALSE(f.at("message").get<std::string>().empty());
    CHECK_FALSE(f.at("explanation").get<std::string>().empty());
  }
  // Every verdict but compatible comes with a plan.
  CHECK(report.at("plan").at("steps").empty() == (verdict == "compatible"));
}

std::vector<std::string> FixtureNames() {
  std::vector<std::string> names;
  if (!fs::is_directory(kUpgrades)) return names;
  for (const auto& entry : fs::directory_iterator(kUpgrades)) {
    if (entry.is_directory() && fs::exists(entry.path() / "expected.json")) names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct RegisterUpgradeFixtures {
  RegisterUpgradeFixtures() {
    static std::deque<std::string> names;  // Catch keeps references to the names
    for (const auto& name : FixtureNames()) {
      names.push_back(kPrefix + name);
      REGISTER_TEST_CASE(RunUpgradeFixture, names.back(), "[diff][fixtures]");
    }
  }
} register_upgrade_fixtures;

}  // namespace

TEST_CASE("should cover every rule with at least one upgrade fixture", "[diff][fixtures]") {
  std::set<std::string> covered;
  for (const auto& name : FixtureNames()) {
    const auto expected = ReadJson(kUpgrades / name / "expected.json");
    for (const auto& r : expected.at("rules")) covered.insert(r.get<std::string>());
  }
  for (const auto& rule : streams::diff::AllRules()) {
    INFO(rule->info().id);
    CHECK(covered.count(std::string(rule->info().id)) == 1);
  }
}

TEST_CASE("should name only known rules in the fixtures' expectations", "[diff][fixtures]") {
  for (const auto& name : FixtureNames()) {
    const auto expected = ReadJson(kUpgrades / name / "expected.json");
    for (const auto& r : expected.at("rules")) {
      INFO(name << ": " << r);
      CHECK(streams::diff::FindRule(r.get<std::string>()));
    }
  }
}

TEST_CASE("should find nothing between any fixture version and itself", "[diff][fixtures]") {
  for (const auto& name : FixtureNames()) {
    const auto expected = ReadJson(kUpgrades / name / "expected.json");
    for (const char* which : {"old", "new"}) {
      streams::app::DiffOptions options;
      options.old_path = options.new_path = VersionFile(kUpgrades / name, expected, which);
      options.format = "json";
      std::ostringstream out, err;
      INFO(options.old_path);
      REQUIRE(streams::app::RunDiff(options, out, err) == 0);
      CHECK(nlohmann::json::parse(out.str()).at("findings").empty());
    }
  }
}

TEST_CASE("should give every finding of every rule a fix, or say why none is needed", "[diff][fixtures]") {
  // The rule list: every rule states its usual fix (or that nothing is needed for the rollout).
  for (const auto& rule : streams::diff::AllRules()) {
    INFO(rule->info().id);
    CHECK_FALSE(rule->info().fix.empty());
  }
  // Every finding carries one, for each rule the fixtures trigger (every rule, see above).
  std::set<std::string> checked;
  for (const auto& name : FixtureNames()) {
    const auto expected = ReadJson(kUpgrades / name / "expected.json");
    streams::app::DiffOptions options;
    options.old_path = VersionFile(kUpgrades / name, expected, "old");
    options.new_path = VersionFile(kUpgrades / name, expected, "new");
    options.format = "json";
    std::ostringstream out, err;
    REQUIRE(streams::app::RunDiff(options, out, err) != 2);
    const auto report = nlohmann::json::parse(out.str());
    for (const auto& f : report.at("findings")) {
      INFO(name << ": " << f.dump(2));
      CHECK_FALSE(f.at("fix").get<std::string>().empty());
      checked.insert(f.at("rule").get<std::string>());
    }
  }
  for (const auto& rule : streams::diff::AllRules()) {
    INFO(rule->info().id);
    CHECK(checked.count(std::string(rule->info().id)) == 1);
  }
}
