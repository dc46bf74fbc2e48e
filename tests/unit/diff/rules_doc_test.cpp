// docs/diff-rules.md is generated from the rule list; this fails when the committed file is stale
// (regenerate it with scripts/gen-diff-rules-doc.sh).
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

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

namespace {

//! "slide 31", "slides 27-29", "the talk": references to a presentation the reader never saw.
bool ReferencesAPresentation(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view word : {"slide ", "slides ", "slide-"}) {
    for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
      const bool word_start = at == 0 || !std::isalpha(static_cast<unsigned char>(text[at - 1]));
      const size_t next = at + word.size();
      if (word_start && next < text.size() && std::isdigit(static_cast<unsigned char>(text[next]))) {
        return true;
      }
    }
  }
  return text.find("the talk") != std::string::npos || text.find("talk's") != std::string::npos;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("should explain every rule in its own words, without slide numbers or the talk", "[diff]") {
  CHECK(ReferencesAPresentation("as slide 31 shows"));
  CHECK(ReferencesAPresentation("See the talk."));
  CHECK_FALSE(ReferencesAPresentation("the slides of a sliding window; topology-fixtures/talk/count.json"));
  for (const auto& rule : streams::diff::AllRules()) {
    const auto& i = rule->info();
    INFO(i.id);
    for (std::string_view text : {i.title, i.explanation, i.fix, i.example}) {
      CHECK_FALSE(ReferencesAPresentation(std::string(text)));
    }
  }
  for (const char* doc : {"README.md", "docs/streams-diff.md", "docs/diff-rules.md", "docs/topology-file.md",
                          "docs/operations.md", "docs/json-schema.md", "docs/configuration.md", "docs/runtime.md",
                          "docs/architecture.md"}) {
    INFO(doc);
    const std::string text = ReadFile(std::string(TESTS_DIR) + "/../" + doc);
    CHECK_FALSE(text.empty());
    CHECK_FALSE(ReferencesAPresentation(text));
  }
  // Fixture descriptions end up in examples and reports.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(FIXTURES_DIR)) {
    if (entry.path().extension() != ".json") continue;
    INFO(entry.path().string());
    CHECK_FALSE(ReferencesAPresentation(ReadFile(entry.path().string())));
  }
}
