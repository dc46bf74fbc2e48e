#include <catch2/catch.hpp>

#include "config/properties_file.h"

using streams::config::ParseProperties;

TEST_CASE("should parse Java properties: separators, comments, continuations and escapes", "[config]") {
  const auto p = ParseProperties(
      "# comment\n! also a comment\napplication.id=purchases\nbootstrap.servers : localhost:9092\n"
      "num.stream.threads 2\nkey\\ with\\ space = v\\u0041lue \\\n    continued\r\nempty=\n",
      "app.properties");
  CHECK(p.at("application.id") == "purchases");
  CHECK(p.at("bootstrap.servers") == "localhost:9092");
  CHECK(p.at("num.stream.threads") == "2");
  CHECK(p.at("key with space") == "vAlue continued");
  CHECK(p.at("empty").empty());
  CHECK(p.size() == 5);
}

TEST_CASE("should report a malformed unicode escape with its line", "[config]") {
  CHECK_THROWS_WITH(ParseProperties("a=1\nb=\\u12x4\n", "app.properties"),
                    Catch::Contains("app.properties:2") && Catch::Contains("not a hex digit"));
}
