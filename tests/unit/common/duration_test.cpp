// Durations on command lines (a unit required, ISO-8601 accepted) and in messages.
#include <catch2/catch.hpp>

#include "common/duration.h"
#include "common/error.h"

using streams::FormatDuration;
using streams::InputError;
using streams::ParseDurationArgument;
using streams::ParseIsoDuration;

TEST_CASE("a command-line duration takes a unit or ISO-8601", "[duration]") {
  CHECK(ParseDurationArgument("--timeout", "30s") == 30000);
  CHECK(ParseDurationArgument("--timeout", "5m") == 300000);
  CHECK(ParseDurationArgument("--timeout", "1h") == 3600000);
  CHECK(ParseDurationArgument("--timeout", "250ms") == 250);
  CHECK(ParseDurationArgument("--timeout", "0s") == 0);
  CHECK(ParseDurationArgument("--timeout", "PT5M") == 300000);
  CHECK(ParseDurationArgument("--timeout", "P1DT2H") == 93600000);
  CHECK(ParseDurationArgument("--timeout", "pt0.5s") == 500);
}

TEST_CASE("a bare number is refused with a hint naming the flag", "[duration]") {
  try {
    ParseDurationArgument("--timeout", "30");
    FAIL("a bare number was accepted");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("--timeout 30: a bare number has no unit"));
    CHECK_THAT(e.what(), Catch::Contains("did you mean 30s?"));
  }
  CHECK_THROWS_WITH(ParseDurationArgument("--force-wait", "soon"), Catch::StartsWith("--force-wait \"soon\": use a duration"));
  CHECK_THROWS_WITH(ParseDurationArgument("--timeout", "PT5X"), Catch::Contains("unknown unit 'X'"));
  CHECK_THROWS_WITH(ParseDurationArgument("--timeout", "-PT5M"), Catch::Contains("must not be negative"));
}

TEST_CASE("ISO-8601 durations as java.time.Duration.parse reads them", "[duration]") {
  std::string why;
  CHECK(ParseIsoDuration("PT30M") == 1800000);
  CHECK(ParseIsoDuration("-PT1S") == -1000);
  CHECK_FALSE(ParseIsoDuration("P1H", &why));
  CHECK(why == "hours/minutes/seconds before 'T'");
  CHECK_FALSE(ParseIsoDuration("PT", &why));
  CHECK(why == "nothing after 'T'");
}

TEST_CASE("durations are printed in the largest unit that divides them", "[duration]") {
  CHECK(FormatDuration(600000) == "10m");
  CHECK(FormatDuration(30000) == "30s");
  CHECK(FormatDuration(90000) == "90s");
  CHECK(FormatDuration(3600000) == "1h");
  CHECK(FormatDuration(250) == "250ms");
  CHECK(FormatDuration(0) == "0s");
}
