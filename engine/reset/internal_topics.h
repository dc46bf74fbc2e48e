// engine/reset/internal_topics.h
// Which topics belong to an application as its internal topics. Two layers:
// - by name alone, Kafka Streams' naming rules (the same test as StreamsResetter.matchesInternalTopicFormat /
//   isInferredInternalTopic, stricter on bare suffixes): IsInternalTopicOf, WhyNotInternal;
// - ownership (OwnerOf): a name "my-app-<rest>" is only my-app's when no other application explains it. Another
//   application explains it when a generated DSL name inside <rest> shows a longer application id (Kafka Streams
//   puts generated names right after the application id), or when a consumer group on the cluster is another
//   application id the topic is an internal topic name of (my-app-v2, or a shorter my). Prefixes alone cannot
//   settle "my-app-v2-counts-changelog" between my-app (store "v2-counts") and my-app-v2 (store "counts"): that
//   is kAmbiguous, and only the application's topology makes the set exact (KAFKA-14922).
// streams-reset deletes no other topic.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace streams::reset {

//! True when the name ends like a Kafka Streams internal topic or streams-run's control topic: -changelog,
//! -repartition, -__control (model::ControlTopicName),
//! -subscription-registration-topic, -subscription-response-topic, or
//! -KTABLE-FK-JOIN-SUBSCRIPTION-{REGISTRATION,RESPONSE}-<digits>-topic (with something before it).
bool MatchesInternalTopicFormat(std::string_view topic);

//! True when `topic` is an internal topic of `application_id` by name: it starts with "<application_id>-", has a
//! non-empty rest, and that rest matches MatchesInternalTopicFormat (or is the control topic's "__control").
bool IsInternalTopicOf(std::string_view application_id, std::string_view topic);

//! Why `topic` is not an internal topic of `application_id` by name, in one sentence; "" when it is one.
std::string WhyNotInternal(std::string_view application_id, std::string_view topic);

enum class Owner {
  kNotInternal,  //!< not named like an internal topic of the application at all (WhyNotInternal says why)
  kThis,         //!< the application's, as far as names and the cluster's consumer groups tell
  kOther,        //!< named like the application's, but the grammar shows another application id (one claim)
  kAmbiguous,    //!< the application's or another's (claims): names cannot tell, a topology can
};

//! Another application that explains a topic: its id and the evidence, as a phrase for messages.
struct Claim {
  std::string application_id;
  std::string evidence;  //!< "consumer group on the cluster" or "a generated name follows its id"
};

struct Ownership {
  Owner owner = Owner::kNotInternal;
  std::vector<Claim> claims;  //!< kOther: the one other application; kAmbiguous: every other application
  std::string why;            //!< kNotInternal: WhyNotInternal's sentence
};

//! Who `topic` belongs to, seen from `application_id`, given the consumer group ids on the cluster (the
//! application's own id among them is ignored). Without groups, only the grammar decides.
Ownership OwnerOf(std::string_view application_id, std::string_view topic, const std::vector<std::string>& group_ids);

//! "application \"my-app-v2\" (consumer group on the cluster)" for each claim, joined with " or ".
std::string ClaimsText(const std::vector<Claim>& claims);

}  // namespace streams::reset
