// docs/configuration.md lists every Kafka Streams property streams-run understands; the table between its
// markers is generated from config::StreamsProperties(), so it can never drift from the code.
// STREAMS_UPDATE_GOLDEN=1 rewrites it.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "config/streams_config.h"

namespace {

constexpr const char* kBegin = "<!-- properties: generated from engine/config/streams_config.cpp -->\n";
constexpr const char* kEnd = "<!-- end of properties -->\n";

std::string PropertyTable() {
  std::string out = "| property | default | type | meaning |\n|---|---|---|---|\n";
  for (const auto& p : streams::config::StreamsProperties()) {
    const std::string def = *p.default_value ? std::string("`") + p.default_value + "`" : "";
    std::string type;  // "enum:a|b": the bar is escaped in a markdown table cell
    for (const char* c = p.type; *c != '\0'; ++c) type += *c == '|' ? std::string("\\|") : std::string(1, *c);
    out += std::string("| `") + p.name + "` | " + def + " | " + type + " | " + p.doc + " |\n";
  }
  return out;
}

}  // namespace

TEST_CASE("should document every Kafka Streams property in docs/configuration.md", "[config]") {
  const std::string path = std::string(TESTS_DIR) + "/../docs/configuration.md";
  std::ifstream in(path);
  REQUIRE(in);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string doc = buffer.str();
  const auto begin = doc.find(kBegin);
  const auto end = doc.find(kEnd);
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  const std::string current = doc.substr(begin + std::string(kBegin).size(), end - begin - std::string(kBegin).size());
  if (std::getenv("STREAMS_UPDATE_GOLDEN") != nullptr) {
    doc.replace(begin + std::string(kBegin).size(), current.size(), PropertyTable());
    std::ofstream(path) << doc;
    return;
  }
  CHECK(current == PropertyTable());
}
