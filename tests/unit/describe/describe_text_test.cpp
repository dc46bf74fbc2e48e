// describe() text: Java's print orders (HashSet, stale TreeSet), the byte-exact writer, and the parser
// (round trips of Kafka's own test expectations, errors with line and column).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "app/load_topology.h"
#include "common/error.h"
#include "describe/describe_text_parser.h"
#include "describe/describe_text_writer.h"
#include "model/kafka_order.h"

using namespace streams;
namespace fs = std::filesystem;

namespace {

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> Names(int count) {
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "KSTREAM-NODE-%010d", i * 7);
    out.emplace_back(buf);
  }
  return out;
}

std::vector<std::string> Split(const std::string& list) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < list.size()) {
    auto comma = list.find(", ", pos);
    out.push_back(list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
    if (comma == std::string::npos) break;
    pos = comma + 2;
  }
  return out;
}

// Error location of parsing `text`, as "line:col: message".
std::string ParseError(const std::string& text) {
  try {
    describe::ParseDescribeText(text, "t.txt");
  } catch (const InputError& e) {
    return std::to_string(e.where().line) + ":" + std::to_string(e.where().column) + ": " + e.message();
  }
  return "no error";
}

const std::string kChain =
    "Topologies:\n"
    "   Sub-topology: 0\n"
    "    Source: src (topics: [in])\n"
    "      --> proc\n"
    "    Processor: proc (stores: [s])\n"
    "      --> sink\n"
    "      <-- src\n"
    "    Sink: sink (topic: out)\n"
    "      <-- proc\n\n";

}  // namespace

TEST_CASE("should iterate HashSets in Java's order, with resizes and copy sizing", "[describe]") {
  // Expected orders printed by Java 17's java.util.HashSet for the same names.
  const auto names = Names(25);
  CHECK(model::JavaHashSetOrder({names.begin(), names.begin() + 13}) ==
        Split("KSTREAM-NODE-0000000014, KSTREAM-NODE-0000000049, KSTREAM-NODE-0000000028, KSTREAM-NODE-0000000021, "
              "KSTREAM-NODE-0000000000, KSTREAM-NODE-0000000077, KSTREAM-NODE-0000000056, KSTREAM-NODE-0000000035, "
              "KSTREAM-NODE-0000000084, KSTREAM-NODE-0000000063, KSTREAM-NODE-0000000042, KSTREAM-NODE-0000000070, "
              "KSTREAM-NODE-0000000007"));
  CHECK(model::JavaHashSetCopyOrder({names.begin(), names.begin() + 12}) ==
        Split("KSTREAM-NODE-0000000014, KSTREAM-NODE-0000000049, KSTREAM-NODE-0000000028, KSTREAM-NODE-0000000021, "
              "KSTREAM-NODE-0000000000, KSTREAM-NODE-0000000077, KSTREAM-NODE-0000000056, KSTREAM-NODE-0000000035, "
              "KSTREAM-NODE-0000000063, KSTREAM-NODE-0000000042, KSTREAM-NODE-0000000070, KSTREAM-NODE-0000000007"));
  CHECK(model::JavaHashSetOrder(names) ==
        Split("KSTREAM-NODE-0000000168, KSTREAM-NODE-0000000147, KSTREAM-NODE-0000000049, KSTREAM-NODE-0000000126, "
              "KSTREAM-NODE-0000000028, KSTREAM-NODE-0000000105, KSTREAM-NODE-0000000021, KSTREAM-NODE-0000000000, "
              "KSTREAM-NODE-0000000084, KSTREAM-NODE-0000000161, KSTREAM-NODE-0000000063, KSTREAM-NODE-0000000140, "
              "KSTREAM-NODE-0000000042, KSTREAM-NODE-0000000007, KSTREAM-NODE-0000000014, KSTREAM-NODE-0000000098, "
              "KSTREAM-NODE-0000000077, KSTREAM-NODE-0000000154, KSTREAM-NODE-0000000056, KSTREAM-NODE-0000000133, "
              "KSTREAM-NODE-0000000035, KSTREAM-NODE-0000000112, KSTREAM-NODE-0000000091, KSTREAM-NODE-0000000070, "
              "KSTREAM-NODE-0000000119"));
  CHECK(model::JavaHashSetCopyOrder({"in-memory-join-store", "in-memory-join-store-outer-shared-join-store"}) ==
        std::vector<std::string>{"in-memory-join-store-outer-shared-join-store", "in-memory-join-store"});
}

TEST_CASE("should print DSL topologies exactly as Kafka Streams' own tests expect", "[describe]") {
  // Each <case>.topology.json is the program of a Kafka Streams test; <case>.expected.txt is that test's
  // expected describe() string. The complex merge-optimized case needs the stale-TreeSet order:
  // "<-- KSTREAM-MAPVALUES-0000000021, KSTREAM-FLATMAP-0000000010".
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(FIXTURES_DIR) / "describe-text" / "dsl")) {
    const std::string path = entry.path().string();
    if (!path.ends_with(".topology.json")) continue;
    const std::string expected_path = path.substr(0, path.size() - 14) + ".expected.txt";
    INFO(path);
    CHECK(describe::WriteDescribeText(app::LoadTopology(path)) == ReadFile(expected_path));
    ++cases;
  }
  CHECK(cases >= 1);
}

TEST_CASE("should reproduce Kafka's own describe() expectations byte for byte after parsing", "[describe]") {
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(FIXTURES_DIR) / "describe-text" / "kafka-tests")) {
    const std::string text = ReadFile(entry.path());
    INFO(entry.path().string());
    REQUIRE(describe::LooksLikeDescribeText(text));
    CHECK(describe::WriteDescribeText(describe::ParseDescribeText(text, entry.path().string())) == text);
    ++cases;
  }
  CHECK(cases >= 90);
}

TEST_CASE("should parse a describe text into the model", "[describe]") {
  const auto topology = describe::ParseDescribeText(kChain, "t.txt");
  REQUIRE(topology.subtopologies.size() == 1);
  CHECK(topology.FindNode("proc")->predecessors == std::vector<std::string>{"src"});
  CHECK(topology.FindNode("src")->successors == std::vector<std::string>{"proc"});
  REQUIRE(topology.FindStore("s") != nullptr);
  CHECK(topology.FindStore("s")->processors == std::vector<std::string>{"proc"});
  REQUIRE(topology.FindTopic("in") != nullptr);
  CHECK(topology.FindTopic("in")->role == model::TopicRole::kSource);
  CHECK(topology.FindTopic("out")->role == model::TopicRole::kSink);
  CHECK(topology.FindTopic("s-changelog") != nullptr);
}

TEST_CASE("should recognise repartition topics and global stores in a describe text", "[describe]") {
  const std::string text =
      "Topologies:\n"
      "   Sub-topology: 0\n"
      "    Source: a (topics: [in])\n"
      "      --> b\n"
      "    Sink: b (topic: x-repartition)\n"
      "      <-- a\n\n"
      "  Sub-topology: 1 for global store (will not generate tasks)\n"
      "    Source: gs (topics: [g])\n"
      "      --> gp\n"
      "    Processor: gp (stores: [gstore])\n"
      "      --> none\n"
      "      <-- gs\n"
      "  Sub-topology: 2\n"
      "    Source: c (topics: [x-repartition])\n"
      "      --> none\n\n";
  auto topology = describe::ParseDescribeText(text, "t.txt");
  topology.SetApplicationId("app");
  REQUIRE(topology.FindTopic("x-repartition") != nullptr);
  CHECK(topology.FindTopic("x-repartition")->role == model::TopicRole::kRepartition);
  CHECK(topology.FindTopic("x-repartition")->full_name == "app-x-repartition");
  REQUIRE(topology.FindStore("gstore") != nullptr);
  CHECK(topology.FindStore("gstore")->global);
  CHECK(topology.FindTopic("g")->role == model::TopicRole::kGlobal);
  CHECK(topology.FindSubtopology(1)->global);
  CHECK(describe::WriteDescribeText(topology) == text);
}

// kafka-streams-groups --describe --topology (Kafka 4.4) prints internal topics with the application.id in front and
// a sink whose topic a TopicNameExtractor picks as "(topic: null)".
std::string RunningText(const std::string& repartition) {
  return "Topologies:\n"
         "   Sub-topology: 0\n"
         "    Sink: b (topic: " + repartition + ")\n"
         "      <-- a\n"
         "    Source: a (topics: [shop-in])\n"
         "      --> b\n"
         "\n"
         "   Sub-topology: 1\n"
         "    Sink: d (topic: null)\n"
         "      <-- c\n"
         "    Source: c (topics: [" + repartition + "])\n"
         "      --> d\n"
         "\n";
}

TEST_CASE("should read the application.id off the internal topics kafka-streams-groups prints", "[describe]") {
  const auto topology =
      describe::ParseDescribeText(RunningText("shop-KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition"), "t.txt");
  REQUIRE(topology.FindTopic("KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition") != nullptr);
  CHECK(topology.FindTopic("KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition")->role ==
        model::TopicRole::kRepartition);
  CHECK(topology.FindNode("c")->topics == std::vector<std::string>{"KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition"});
  CHECK(topology.FindNode("b")->topic == "KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition");
  // Only internal topics lose the prefix: a source topic that happens to start with it keeps its name.
  CHECK(topology.FindNode("a")->topics == std::vector<std::string>{"shop-in"});
  CHECK(topology.FindNode("d")->topic.empty());
  CHECK(!topology.FindNode("d")->topic_extractor.empty());
}

TEST_CASE("should take a named internal topic's prefix from the application.id given", "[describe]") {
  const std::string text = RunningText("shop-by-customer-repartition");
  // Nothing says where a named topic's prefix ends: without the application.id, the name stays as printed.
  CHECK(describe::ParseDescribeText(text, "t.txt").FindTopic("shop-by-customer-repartition") != nullptr);
  const auto topology = describe::ParseDescribeText(text, "t.txt", "shop");
  REQUIRE(topology.FindTopic("by-customer-repartition") != nullptr);
  CHECK(topology.FindTopic("by-customer-repartition")->role == model::TopicRole::kRepartition);
  CHECK(topology.FindNode("a")->topics == std::vector<std::string>{"shop-in"});
}

TEST_CASE("should round-trip an empty and a named topology", "[describe]") {
  CHECK(describe::WriteDescribeText(describe::ParseDescribeText("Topologies:\n ", "t")) == "Topologies:\n ");
  std::string named = kChain;
  named.replace(0, 11, "Topology: my-topology:");
  CHECK(describe::WriteDescribeText(describe::ParseDescribeText(named, "t")) == named);
}

TEST_CASE("should accept describe text with trimmed whitespace, as logs print it", "[describe]") {
  std::string trimmed;
  std::istringstream in(kChain);
  for (std::string line; std::getline(in, line);) trimmed += line.substr(line.find_first_not_of(' ') == std::string::npos ? 0 : line.find_first_not_of(' ')) + "\n";
  CHECK(describe::WriteDescribeText(describe::ParseDescribeText(trimmed, "t")) == kChain);
}

TEST_CASE("should reject bad describe text with line and column", "[describe]") {
  CHECK(ParseError("") == "1:1: the describe text is empty");
  CHECK(ParseError("Topologie:\n") == "1:1: expected \"Topologies:\" or \"Topology: <name>:\" at the start of a describe() text");
  // Truncated: the processor lost its arrows.
  CHECK(ParseError(kChain.substr(0, kChain.find("      --> sink"))) ==
        "5:1: node \"proc\" lacks its \"-->\" line (truncated text?)");
  std::string dangling = kChain;
  dangling.replace(dangling.find("--> sink"), 8, "--> sunk");
  CHECK(ParseError(dangling) == "6:11: unknown node \"sunk\"");
  std::string one_sided = kChain;
  one_sided.replace(one_sided.find("<-- proc"), 8, "<-- src");
  CHECK(ParseError(one_sided).find("does not list") != std::string::npos);
  CHECK(ParseError("Topologies:\n    Source: a (topics: [t])\n      --> none\n") ==
        "2:5: a node before any \"Sub-topology:\" line");
  CHECK(ParseError("Topologies:\n  Sub-topology: x\n") == "2:17: expected a sub-topology id (a number)");
  CHECK(ParseError("Topologies:\n  Sub-topology: 0\n    Source: a (topics: [t]\n") ==
        "3:26: expected \")\" at the end of the line");
  CHECK(ParseError("Topologies:\n  Sub-topology: 0\n    Source: a (topics: [t])\n      --> none\n"
                   "    Source: a (topics: [u])\n      --> none\n") == "5:5: node \"a\" appears twice (first at line 3)");
  CHECK(ParseError("Topologies:\n  Sub-topology: 0\n    hello\n").starts_with("3:5: unexpected text \"hello\""));
  CHECK(ParseError("Topologies:\n  Sub-topology: 0\n    Sink: k (topic: t)\n      --> x\n") ==
        "4:7: sink \"k\" cannot have a \"-->\" line");
  const std::string cycle =
      "Topologies:\n  Sub-topology: 0\n"
      "    Processor: p (stores: [])\n      --> q\n      <-- q\n"
      "    Processor: q (stores: [])\n      --> p\n      <-- p\n\n";
  CHECK(ParseError(cycle) == "3:1: node \"p\" is part of a cycle");
}

TEST_CASE("should read a describe text copied from a Java application's log", "[describe]") {
  std::string logged = "[2026-11-25 10:00:00,123] INFO stream-client [app-1] " + kChain +
                       "[2026-11-25 10:00:00,456] INFO stream-thread [app-1-StreamThread-1] State transition\n";
  REQUIRE(describe::LooksLikeDescribeText(logged));
  CHECK(describe::WriteDescribeText(describe::ParseDescribeText(logged, "app.log")) == kChain);
  // Indented garbage inside the description is still an error.
  std::string corrupted = kChain;
  corrupted.insert(corrupted.find("    Sink:"), "    garbage\n");
  CHECK(ParseError(corrupted).starts_with("8:5: unexpected text \"garbage\""));
}
