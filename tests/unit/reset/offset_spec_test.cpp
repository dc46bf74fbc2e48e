// reset::ParseOffsetOptions and its parsers: ISO-8601 instants and durations, the --from-file CSV, option clashes.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "common/error.h"
#include "reset/offset_spec.h"

using namespace streams::reset;
using streams::InputError;

TEST_CASE("should parse ISO-8601 instants to epoch milliseconds", "[reset]") {
  CHECK(ParseDateTimeMs("1970-01-01T00:00:00") == 0);
  CHECK(ParseDateTimeMs("1970-01-01T00:00:00.000Z") == 0);
  CHECK(ParseDateTimeMs("2024-02-29T12:34:56.789") == 1709210096789);
  CHECK(ParseDateTimeMs("2024-02-29T12:34:56.789Z") == 1709210096789);
  CHECK(ParseDateTimeMs("2024-02-29T14:34:56.789+02:00") == 1709210096789);
  CHECK(ParseDateTimeMs("2024-02-29T07:34:56.789-0500") == 1709210096789);
  CHECK(ParseDateTimeMs("2024-02-29T12:34") == 1709210040000);
  CHECK(ParseDateTimeMs("2024-02-29T12:34:56.7") == 1709210096700);
  CHECK_THROWS_WITH(ParseDateTimeMs("2024-02-29 12:34:56"), Catch::Contains("no 'T'"));
  CHECK_THROWS_WITH(ParseDateTimeMs("2023-02-29T12:34:56"), Catch::Contains("out of range"));
  CHECK_THROWS_WITH(ParseDateTimeMs("2024-02-29T12:34:56Zjunk"), Catch::Contains("unexpected"));
  CHECK_THROWS_AS(ParseDateTimeMs("yesterday"), InputError);
}

TEST_CASE("should parse ISO-8601 durations as java.time.Duration does", "[reset]") {
  CHECK(ParseDurationMs("PT0S") == 0);
  CHECK(ParseDurationMs("PT30M") == 1800000);
  CHECK(ParseDurationMs("P1DT2H3M4.5S") == 93784500);
  CHECK(ParseDurationMs("P2D") == 172800000);
  CHECK(ParseDurationMs("-PT1H") == -3600000);
  CHECK_THROWS_WITH(ParseDurationMs("1H"), Catch::Contains("does not start with 'P'"));
  CHECK_THROWS_WITH(ParseDurationMs("P1H"), Catch::Contains("before 'T'"));
  CHECK_THROWS_WITH(ParseDurationMs("PT1D"), Catch::Contains("days after 'T'"));
  CHECK_THROWS_WITH(ParseDurationMs("PT1M1H"), Catch::Contains("out of order"));
  CHECK_THROWS_WITH(ParseDurationMs("P1W"), Catch::Contains("unknown unit"));
  CHECK_THROWS_WITH(ParseDurationMs("P"), Catch::Contains("no amount"));
}

TEST_CASE("should parse the from-file CSV with file:line errors", "[reset]") {
  const auto rows = ParseOffsetCsv("# comment\nwords,0,5\n\nwords, 1 ,7\r\nclicks,0,0\n", "plan.csv");
  REQUIRE(rows.size() == 3);
  CHECK(rows.at({"words", 0}) == 5);
  CHECK(rows.at({"words", 1}) == 7);
  CHECK(rows.at({"clicks", 0}) == 0);
  CHECK_THROWS_WITH(ParseOffsetCsv("words,0\n", "plan.csv"), Catch::Contains("plan.csv:1:1: expected TOPIC,PARTITION,OFFSET"));
  CHECK_THROWS_WITH(ParseOffsetCsv("words,0,1\nwords,x,1\n", "plan.csv"), Catch::Contains("plan.csv:2:1: partition \"x\""));
  CHECK_THROWS_WITH(ParseOffsetCsv("words,0,-1\n", "plan.csv"), Catch::Contains("offset \"-1\""));
  CHECK_THROWS_WITH(ParseOffsetCsv("words,0,1\nwords,0,2\n", "plan.csv"), Catch::Contains("plan.csv:2:1: words partition 0 is listed twice"));
  CHECK_THROWS_WITH(ParseOffsetCsv("\n# nothing\n", "plan.csv"), Catch::Contains("no TOPIC,PARTITION,OFFSET line"));
}

TEST_CASE("should allow one offset option and default to earliest", "[reset]") {
  CHECK(ParseOffsetOptions({}).mode == OffsetMode::kToEarliest);
  OffsetOptions o;
  o.shift_by = -3;
  const OffsetSpec shift = ParseOffsetOptions(o);
  CHECK(shift.mode == OffsetMode::kShiftBy);
  CHECK(shift.offset == -3);
  CHECK(shift.text == "--shift-by -3");
  o.to_latest = true;
  CHECK_THROWS_WITH(ParseOffsetOptions(o), Catch::Contains("only one offset option may be given, got --to-latest, --shift-by"));

  OffsetOptions d;
  d.by_duration = "PT1M";
  const OffsetSpec by = ParseOffsetOptions(d);
  CHECK(by.TargetTimestampMs(100000) == 40000);
  CHECK(by.TargetTimestampMs(1000) == 0);
  OffsetOptions t;
  t.to_datetime = "1970-01-01T00:00:01Z";
  CHECK(ParseOffsetOptions(t).TargetTimestampMs(999999) == 1000);
  OffsetOptions neg;
  neg.to_offset = -1;
  CHECK_THROWS_WITH(ParseOffsetOptions(neg), Catch::Contains("must be >= 0"));

  const auto path = std::filesystem::temp_directory_path() / "streams-reset-offsets-test.csv";
  std::ofstream(path) << "in,1,4\n";
  OffsetOptions f;
  f.from_file = path.string();
  const OffsetSpec file = ParseOffsetOptions(f);
  CHECK(file.mode == OffsetMode::kFromFile);
  CHECK(file.from_file.at({"in", 1}) == 4);
  std::filesystem::remove(path);
  CHECK_THROWS_WITH(ParseOffsetOptions(f), Catch::Contains("cannot read the --from-file CSV"));
}
