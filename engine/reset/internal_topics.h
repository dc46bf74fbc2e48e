// engine/reset/internal_topics.h
// Which topics belong to an application as its internal topics, by Kafka Streams' naming rules (the same test as
// StreamsResetter.matchesInternalTopicFormat / isInferredInternalTopic). streams-reset deletes no other topic.
#pragma once

#include <string>
#include <string_view>

namespace streams::reset {

//! True when the name ends like a Kafka Streams internal topic: -changelog, -repartition,
//! -subscription-registration-topic, -subscription-response-topic, or
//! -KTABLE-FK-JOIN-SUBSCRIPTION-{REGISTRATION,RESPONSE}-<digits>-topic (with something before it).
bool MatchesInternalTopicFormat(std::string_view topic);

//! True when `topic` is an internal topic of `application_id`: it starts with "<application_id>-", has a non-empty
//! rest, and that rest matches MatchesInternalTopicFormat.
bool IsInternalTopicOf(std::string_view application_id, std::string_view topic);

//! Why `topic` is not an internal topic of `application_id`, in one sentence; "" when it is one.
std::string WhyNotInternal(std::string_view application_id, std::string_view topic);

}  // namespace streams::reset
