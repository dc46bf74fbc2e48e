// docs/diff-rules.md is generated from the rule list; this fails when the committed file is stale
// (regenerate it with scripts/gen-diff-rules-doc.sh).
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "diff/format/diff_renderer.h"
#include "diff/rule.h"

TEST_CASE("should keep docs/diff-rules.md in step with the rule list", "[diff]") {
  std::ifstream in(std::string(TESTS_DIR) + "/../docs/diff-rules.md");
  REQUIRE(in);
  std::stringstream committed;
  committed << in.rdbuf();
  INFO("docs/diff-rules.md is stale: run scripts/gen-diff-rules-doc.sh");
  CHECK(committed.str() == streams::diff::RenderRuleList("markdown"));
}

TEST_CASE("should list every rule in each rule-list format", "[diff]") {
  for (const auto format : streams::diff::RuleListFormats()) {
    const std::string text = streams::diff::RenderRuleList(format);
    for (const auto& rule : streams::diff::AllRules()) {
      INFO(format << " " << rule->info().id);
      CHECK(text.find(std::string(rule->info().id)) != std::string::npos);
    }
  }
  CHECK_THROWS_AS(streams::diff::RenderRuleList("yaml"), std::invalid_argument);
}
