// reset::IsInternalTopicOf: the naming rules that decide which topics streams-reset may delete
// (mirrors StreamsResetterTest.shouldDetermineInternalTopicBasedOnTopicName, stricter on bare suffixes).
#include <catch2/catch.hpp>

#include "naming/name_rules.h"
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

TEST_CASE("should find the DSL-generated name in an internal topic's name", "[reset]") {
  using streams::naming::FindGeneratedName;
  CHECK(FindGeneratedName("KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog") ==
        "KSTREAM-AGGREGATE-STATE-STORE-0000000003");
  CHECK(FindGeneratedName("v2-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic") ==
        "KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006");
  CHECK(FindGeneratedName("x-COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000001-repartition") ==
        "COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000001");
  CHECK(FindGeneratedName("counts-changelog").empty());
  CHECK(FindGeneratedName("words-STATE-STORE-0000000000-changelog").empty());  // table(): <topic>-STATE-STORE-n
  CHECK(FindGeneratedName("KSTREAM-AGGREGATE-STATE-STORE-000000003-changelog").empty());  // 9 digits
  CHECK(FindGeneratedName("xKSTREAM-MAP-0000000001-repartition").empty());                  // not after a '-'
  CHECK(FindGeneratedName("KSTREAM-BRANCH-00000000270").empty());                            // 11 digits
}

TEST_CASE("should tell whose internal topic a name is (KAFKA-14922)", "[reset]") {
  using streams::reset::Owner;
  using streams::reset::OwnerOf;
  const std::vector<std::string> groups{"my-app", "my-app-v2", "console-consumer-1"};
  // Nothing else explains it.
  CHECK(OwnerOf("my-app", "my-app-word-counts-changelog", groups).owner == Owner::kThis);
  CHECK(OwnerOf("my-app", "my-app-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition", groups).owner == Owner::kThis);
  // my-app's store "v2-word-counts" or my-app-v2's store "word-counts": names cannot tell.
  const auto ambiguous = OwnerOf("my-app", "my-app-v2-word-counts-changelog", groups);
  CHECK(ambiguous.owner == Owner::kAmbiguous);
  REQUIRE(ambiguous.claims.size() == 1);
  CHECK(ambiguous.claims[0].application_id == "my-app-v2");
  // And the other way round: my-app-v2's "counts" or my-app's "v2-counts".
  const auto shorter = OwnerOf("my-app-v2", "my-app-v2-counts-changelog", groups);
  CHECK(shorter.owner == Owner::kAmbiguous);
  CHECK(shorter.claims[0].application_id == "my-app");
  // A generated name comes right after the application id: the grammar settles these, with or without groups.
  for (const auto& g : {groups, std::vector<std::string>{}}) {
    const auto other = OwnerOf("my-app", "my-app-v2-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog", g);
    CHECK(other.owner == Owner::kOther);
    REQUIRE(other.claims.size() == 1);
    CHECK(other.claims[0].application_id == "my-app-v2");
    CHECK(OwnerOf("my-app", "my-app-v3-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000012-topic", g).claims[0]
              .application_id == "my-app-v3");
    CHECK(OwnerOf("my-app-v2", "my-app-v2-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog", g).owner ==
          Owner::kThis);
  }
  // Not named like an internal topic at all.
  CHECK(OwnerOf("my-app", "my-app-output", groups).owner == Owner::kNotInternal);
  CHECK_THAT(OwnerOf("my-app", "text", groups).why, Catch::Contains("does not start with"));
  // A shorter id explains it too (my's store "app-x"); groups whose internal topic name it is not do not count
  // ("my-app-x-changelog" is no store's changelog of my-app-x).
  CHECK(OwnerOf("my-app", "my-app-x-changelog", {"my"}).owner == Owner::kAmbiguous);
  CHECK(OwnerOf("my-app", "my-app-x-changelog", {"my-ap", "my-app-x", "other"}).owner == Owner::kThis);
}

TEST_CASE("should take streams-run's control topic for the application's own", "[reset]") {
  CHECK(IsInternalTopicOf("app", "app-__control"));
  CHECK(MatchesInternalTopicFormat("app-__control"));
  CHECK_FALSE(IsInternalTopicOf("app", "app-x-__control"));  // only "<application.id>-__control" itself
  CHECK_FALSE(IsInternalTopicOf("ap", "app-__control"));
  CHECK(streams::reset::OwnerOf("app", "app-__control", {"app", "ap", "app-v2"}).owner == streams::reset::Owner::kThis);
  CHECK(streams::reset::OwnerOf("my", "my-app-__control", {"my-app"}).owner == streams::reset::Owner::kNotInternal);
}
