// streams-describe's output conventions: the format inferred from -o's extension, binary output refused on a
// terminal, an unwritable -o reported as bad input (exit 2).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "app/describe.h"

namespace fs = std::filesystem;
using streams::app::DescribeOptions;
using streams::app::RunDescribe;

namespace {

DescribeOptions Talk() {
  DescribeOptions o;
  o.input = FIXTURES_DIR "/talk/count-v1.topology.json";
  return o;
}

}  // namespace

TEST_CASE("-o graph.png without --format writes a PNG", "[app][describe]") {
  const fs::path png = fs::temp_directory_path() / ("describe-test-" + std::to_string(::getpid()) + ".png");
  DescribeOptions o = Talk();
  o.output = png.string();
  std::ostringstream out, err;
  REQUIRE(RunDescribe(o, out, err) == 0);
  std::ifstream in(png, std::ios::binary);
  std::string head(8, '\0');
  in.read(head.data(), 8);
  CHECK(head == "\x89PNG\r\n\x1a\n");
  fs::remove(png);
}

TEST_CASE("binary output is refused on a terminal", "[app][describe]") {
  DescribeOptions o = Talk();
  o.format = "png";
  o.stdout_is_terminal = true;
  std::ostringstream out, err;
  CHECK(RunDescribe(o, out, err) == 2);
  CHECK(out.str().empty());
  CHECK_THAT(err.str(), Catch::StartsWith("streams-describe: --format png is binary: refusing to write it to a terminal"));
  o.stdout_is_terminal = false;  // redirected: written
  CHECK(RunDescribe(o, out, err) == 0);
  CHECK(out.str().rfind("\x89PNG", 0) == 0);
}

TEST_CASE("an unwritable -o is bad input, exit 2", "[app][describe]") {
  DescribeOptions o = Talk();
  o.output = "/nonexistent-dir/graph.txt";
  std::ostringstream out, err;
  CHECK(RunDescribe(o, out, err) == 2);
  CHECK(err.str() ==
        "streams-describe: /nonexistent-dir/graph.txt: cannot write the output file: No such file or directory\n");
}
