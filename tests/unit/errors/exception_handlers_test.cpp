// Exception handler names, the error context's text and the dead-letter record (Kafka's ExceptionHandlerUtils).
#include <catch2/catch.hpp>

#include "config/streams_config.h"
#include "errors/exception_handlers.h"
#include "runtime/record_dump.h"
#include "runtime/serde.h"

using namespace streams;
using errors::HandlerKind;
using errors::Response;

TEST_CASE("should read Kafka's handler class names and the short names", "[errors]") {
  CHECK(errors::ParseHandler(HandlerKind::kDeserialization, "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler") ==
        Response::kContinue);
  CHECK(errors::ParseHandler(HandlerKind::kDeserialization, "org.apache.kafka.streams.errors.LogAndFailExceptionHandler") ==
        Response::kFail);
  CHECK(errors::ParseHandler(HandlerKind::kProcessing,
                             "org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler") == Response::kContinue);
  CHECK(errors::ParseHandler(HandlerKind::kProcessing, "org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler") ==
        Response::kFail);
  CHECK(errors::ParseHandler(HandlerKind::kProduction, "org.apache.kafka.streams.errors.DefaultProductionExceptionHandler") ==
        Response::kFail);
  CHECK(errors::ParseHandler(HandlerKind::kProduction, "continue") == Response::kContinue);
  CHECK(errors::ParseHandler(HandlerKind::kProcessing, "fail") == Response::kFail);
  // A handler of another kind, or a class of one's own, is not one of these.
  CHECK_FALSE(errors::ParseHandler(HandlerKind::kProcessing, "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler"));
  CHECK_FALSE(errors::ParseHandler(HandlerKind::kDeserialization, "com.example.MyHandler"));
  CHECK(errors::HandlerName(HandlerKind::kProduction, Response::kContinue) == "continue");
  CHECK(errors::HandlerName(HandlerKind::kDeserialization, Response::kContinue) == "LogAndContinueExceptionHandler");
}

namespace {

errors::ErrorContext SampleContext() {
  errors::ErrorContext c;
  c.task_id = "0_1";
  c.node = "KSTREAM-MAPVALUES-0000000001";
  c.location = "app.topology.json:7:12";
  c.topic = "orders";
  c.partition = 1;
  c.offset = 42;
  c.timestamp = 1700000000123;
  c.key = std::string("k1");
  c.value = std::string("\xff\x00not json", 10);
  c.headers = {{"trace", std::string("abc")}, {"empty", std::nullopt}, {"trace", std::string("def")}};
  return c;
}

}  // namespace

TEST_CASE("should build the dead-letter record as Kafka's ExceptionHandlerUtils", "[errors]") {
  const errors::ErrorContext c = SampleContext();
  const auto r = errors::BuildDeadLetterRecord("app-dlq", c, "streams::runtime::SerdeError", "invalid JSON");
  CHECK(r.topic == "app-dlq");
  CHECK(r.key == c.key);
  CHECK(r.value == c.value);  // the raw bytes, not decoded
  CHECK(r.timestamp == 1700000000123);
  REQUIRE(r.headers.size() == 9);
  // The input record's headers first, in order, duplicates and null values kept.
  CHECK(r.headers[0] == std::make_pair(std::string("trace"), std::optional<std::string>("abc")));
  CHECK(r.headers[1] == std::make_pair(std::string("empty"), std::optional<std::string>()));
  CHECK(r.headers[2] == std::make_pair(std::string("trace"), std::optional<std::string>("def")));
  // Then exception, message, stacktrace, topic, partition, offset, as UTF-8 text.
  CHECK(r.headers[3].first == "__streams.errors.exception");
  CHECK(r.headers[3].second == "streams::runtime::SerdeError");
  CHECK(r.headers[4].first == "__streams.errors.message");
  CHECK(r.headers[4].second == "invalid JSON");
  CHECK(r.headers[5].first == "__streams.errors.stacktrace");
  CHECK(r.headers[5].second->starts_with("streams::runtime::SerdeError: invalid JSON\n"));
  CHECK(r.headers[5].second->find("KSTREAM-MAPVALUES-0000000001 (app.topology.json:7:12)") != std::string::npos);
  CHECK(r.headers[6] == std::make_pair(std::string("__streams.errors.topic"), std::optional<std::string>("orders")));
  CHECK(r.headers[7] == std::make_pair(std::string("__streams.errors.partition"), std::optional<std::string>("1")));
  CHECK(r.headers[8] == std::make_pair(std::string("__streams.errors.offset"), std::optional<std::string>("42")));
  // Java's null message is a null header value.
  const auto null_message = errors::BuildDeadLetterRecord("app-dlq", c, "E", std::nullopt);
  CHECK_FALSE(null_message.headers[4].second.has_value());
}

TEST_CASE("should name task, processor, location, input and a truncated key in the error context", "[errors]") {
  errors::ErrorContext c = SampleContext();
  CHECK(errors::Describe(c) ==
        "task 0_1, processor KSTREAM-MAPVALUES-0000000001 (app.topology.json:7:12), input orders-1@42, key \"k1\"");
  c.key = std::string(100, 'x');
  CHECK(errors::Describe(c, 8).ends_with("key \"xxxxxxxx\"... (100 bytes)"));
  c.key = std::string("\x01\x02", 2);
  CHECK(errors::Describe(c).ends_with("key 0x0102"));
  c.key.reset();
  CHECK(errors::Describe(c).ends_with("key null"));
}

TEST_CASE("should dump records as JSON lines: text, base64 for other bytes, null, headers in order", "[errors]") {
  const runtime::Headers headers = {{"h", std::string("v")}, {"h", std::nullopt}, {"bin", std::string("\xc3\x28", 2)}};
  CHECK(runtime::DumpRecord("app-dlq", 0, 3, 1000, std::string_view("k"), std::string_view("\xff\xfe", 2), headers) ==
        R"({"topic":"app-dlq","partition":0,"offset":3,"timestamp":1000,"key":"k","value":{"base64":"//4="},)"
        R"("headers":[["h","v"],["h",null],["bin",{"base64":"wyg="}]]})");
  CHECK(runtime::DumpRecord("t", 1, 0, 5, std::nullopt, std::nullopt, {}) ==
        R"({"topic":"t","partition":1,"offset":0,"timestamp":5,"key":null,"value":null,"headers":[]})");
  // Multi-byte UTF-8 stays text; an overlong form or a surrogate does not.
  CHECK(runtime::DumpBytes(std::string_view("caf\xc3\xa9")) == "caf\xc3\xa9");
  CHECK(runtime::DumpBytes(std::string_view("\xc0\xaf")).contains("base64"));
  CHECK(runtime::DumpBytes(std::string_view("\xed\xa0\x80")).contains("base64"));
}

TEST_CASE("should configure the handlers and the dead-letter topic by Kafka's names", "[errors][config]") {
  const auto defaults = config::ParseStreamsConfig({{"application.id", "app"}});
  CHECK(defaults.errors.deserialization == Response::kFail);
  CHECK(defaults.errors.processing == Response::kFail);
  CHECK(defaults.errors.production == Response::kFail);
  CHECK(defaults.errors.dead_letter_topic.empty());
  CHECK(defaults.warnings.empty());

  const auto c = config::ParseStreamsConfig(
      {{"deserialization.exception.handler", "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler"},
       {"processing.exception.handler", "continue"},
       {"production.exception.handler", "continue"},
       {"errors.dead.letter.queue.topic.name", "app-dlq"}});
  CHECK(c.errors.deserialization == Response::kContinue);
  CHECK(c.errors.processing == Response::kContinue);
  CHECK(c.errors.production == Response::kContinue);
  CHECK(c.errors.dead_letter_topic == "app-dlq");

  // The deprecated name still works, with a warning.
  const auto old = config::ParseStreamsConfig(
      {{"default.deserialization.exception.handler", "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler"}});
  CHECK(old.errors.deserialization == Response::kContinue);
  REQUIRE(old.warnings.size() == 1);
  CHECK(old.warnings[0].find("deprecated") != std::string::npos);
}

TEST_CASE("should refuse an unknown handler or an invalid dead-letter topic, naming the property", "[errors][config]") {
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"deserialization.exception.handler",
                                                 "org.apache.kafka.streams.errors.LogAndContinueExcептionHandler"}}),
                    Catch::Contains("\"deserialization.exception.handler\""));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"processing.exception.handler",
                                                 "org.apache.kafka.streams.errors.LogAndContinueProcesingExceptionHandler"}}),
                    Catch::Contains("did you mean \"org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler\""));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"production.exception.handler", "com.example.RetryHandler"}}),
                    Catch::Contains("\"production.exception.handler\": unknown handler \"com.example.RetryHandler\""));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"default.deserialization.exception.handler", "ignore"}}),
                    Catch::Contains("\"default.deserialization.exception.handler\""));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"errors.dead.letter.queue.topic.name", "dead letters"}}),
                    Catch::Contains("\"errors.dead.letter.queue.topic.name\": invalid topic name"));
  CHECK_THROWS_WITH(config::ParseStreamsConfig({{"errors.dead.letter.queue.topic.name", ""}}),
                    Catch::Contains("\"errors.dead.letter.queue.topic.name\""));
}
