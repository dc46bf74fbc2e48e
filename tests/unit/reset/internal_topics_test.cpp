// reset::IsInternalTopicOf: the naming rules that decide which topics streams-reset may delete
// (mirrors StreamsResetterTest.shouldDetermineInternalTopicBasedOnTopicName, stricter on bare suffixes).
#include <catch2/catch.hpp>

#include "reset/internal_topics.h"

using streams::reset::IsInternalTopicOf;
using streams::reset::MatchesInternalTopicFormat;
using streams::reset::WhyNotInternal;

TEST_CASE("should recognise every Kafka Streams internal topic suffix", "[reset]") {
  CHECK(MatchesInternalTopicFormat("appId-name-changelog"));
  CHECK(MatchesInternalTopicFormat("appId-name-repartition"));
  CHECK(MatchesInternalTopicFormat("appId-name-subscription-registration-topic"));
  CHECK(MatchesInternalTopicFormat("appId-name-subscription-response-topic"));
  CHECK(MatchesInternalTopicFormat("appId-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-12-topic"));
  CHECK(MatchesInternalTopicFormat("appId-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000012-topic"));
  CHECK_FALSE(MatchesInternalTopicFormat("appId-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE--topic"));
  CHECK_FALSE(MatchesInternalTopicFormat("KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-12-topic"));
  CHECK_FALSE(MatchesInternalTopicFormat("appId-name-changelog-x"));
  CHECK_FALSE(MatchesInternalTopicFormat("words"));
}

TEST_CASE("should accept only topics prefixed with the application id", "[reset]") {
  CHECK(IsInternalTopicOf("wordcount", "wordcount-counts-changelog"));
  CHECK(IsInternalTopicOf("wordcount", "wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition"));
  CHECK(IsInternalTopicOf("app", "app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic"));
  CHECK_FALSE(IsInternalTopicOf("wordcount", "other-counts-changelog"));
  CHECK_FALSE(IsInternalTopicOf("word", "wordcount-counts-changelog"));  // prefix must end at "-"
  CHECK_FALSE(IsInternalTopicOf("wordcount", "wordcount-output"));
  CHECK_FALSE(IsInternalTopicOf("wordcount", "wordcount-changelog"));  // no store name before the suffix
  CHECK_FALSE(IsInternalTopicOf("", "-x-changelog"));
}

TEST_CASE("should say why a topic is not internal", "[reset]") {
  CHECK(WhyNotInternal("app", "app-s-changelog").empty());
  CHECK_THAT(WhyNotInternal("app", "orders"), Catch::Contains("does not start with \"app-\""));
  CHECK_THAT(WhyNotInternal("app", "app-orders"), Catch::Contains("does not end like"));
}
