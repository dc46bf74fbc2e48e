// engine/reset/internal_topics.cpp
// Kafka Streams' internal-topic naming rules, as streams-reset applies them before deleting anything.
#include "reset/internal_topics.h"

#include <cctype>

#include "model/topic_name.h"
#include "naming/name_rules.h"

namespace streams::reset {

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// ".+-KTABLE-FK-JOIN-SUBSCRIPTION-<KIND>-\d+-topic": something, the marker, one or more digits, "-topic".
bool MatchesFkJoinTopic(std::string_view topic, std::string_view kind) {
  constexpr std::string_view kTail = "-topic";
  if (!EndsWith(topic, kTail)) return false;
  std::string_view rest = topic.substr(0, topic.size() - kTail.size());
  size_t digits = 0;
  while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[rest.size() - 1 - digits]))) ++digits;
  if (digits == 0) return false;
  rest = rest.substr(0, rest.size() - digits);
  const std::string marker = "-KTABLE-FK-JOIN-SUBSCRIPTION-" + std::string(kind) + "-";
  return EndsWith(rest, marker) && rest.size() > marker.size();
}

}  // namespace

bool MatchesInternalTopicFormat(std::string_view topic) {
  return EndsWith(topic, "-changelog") || EndsWith(topic, "-repartition") ||
         EndsWith(topic, std::string("-") + model::kControlTopicSuffix) ||
         EndsWith(topic, "-subscription-registration-topic") || EndsWith(topic, "-subscription-response-topic") ||
         MatchesFkJoinTopic(topic, "REGISTRATION") || MatchesFkJoinTopic(topic, "RESPONSE");
}

namespace {

// The part after "<application.id>-" must name something before the suffix: "app-changelog" matches Kafka's
// test on the whole name but is no store's changelog, so it is refused here (stricter than StreamsResetter).
bool RestIsInternal(std::string_view rest) {
  if (rest == model::kControlTopicSuffix) return true;  // streams-run's control topic: "<application.id>-__control"
  for (std::string_view suffix : {"-changelog", "-repartition", "-subscription-registration-topic",
                                  "-subscription-response-topic"}) {
    if (rest.size() > suffix.size() && EndsWith(rest, suffix)) return true;
  }
  // Kafka's FK-join regex ".+-KTABLE-FK-JOIN-..." is applied to the whole name, where ".+" is the application id.
  const std::string whole = "x-" + std::string(rest);
  return MatchesFkJoinTopic(whole, "REGISTRATION") || MatchesFkJoinTopic(whole, "RESPONSE");
}

}  // namespace

bool IsInternalTopicOf(std::string_view application_id, std::string_view topic) {
  return WhyNotInternal(application_id, topic).empty();
}

std::string WhyNotInternal(std::string_view application_id, std::string_view topic) {
  const std::string prefix = std::string(application_id) + "-";
  if (application_id.empty()) return "the application id is empty";
  if (topic.size() <= prefix.size() || topic.substr(0, prefix.size()) != prefix) {
    return "its name does not start with \"" + prefix + "\"";
  }
  if (!RestIsInternal(topic.substr(prefix.size()))) {
    return "its name does not end like a Kafka Streams internal topic (-repartition, -changelog or a foreign-key "
           "join subscription topic) nor is it streams-run's control topic (-" + std::string(model::kControlTopicSuffix) + ")";
  }
  return "";
}

namespace {

// True when `rest` (the name after "<id>-") could be one of that application's internal topics: it ends like one,
// and a DSL-generated name in it, if any, comes first. A generated name further in is returned in `misplaced`.
bool PlausibleRest(std::string_view rest, std::string_view& misplaced) {
  misplaced = {};
  if (!RestIsInternal(rest)) return false;
  const std::string_view generated = naming::FindGeneratedName(rest);
  if (!generated.empty() && generated.data() != rest.data()) {
    misplaced = generated;
    return false;
  }
  return true;
}

}  // namespace

Ownership OwnerOf(std::string_view application_id, std::string_view topic, const std::vector<std::string>& group_ids) {
  Ownership result;
  result.why = WhyNotInternal(application_id, topic);
  if (!result.why.empty()) return result;
  std::string_view misplaced;
  if (!PlausibleRest(topic.substr(application_id.size() + 1), misplaced)) {
    // "my-app-v2-KSTREAM-...": the generated name follows the other application's id.
    const size_t id_end = static_cast<size_t>(misplaced.data() - topic.data()) - 1;
    result.owner = Owner::kOther;
    result.claims.push_back({std::string(topic.substr(0, id_end)),
                             "the generated name " + std::string(misplaced) +
                                 " follows its id, and Kafka Streams puts generated names right after the "
                                 "application id"});
    return result;
  }
  for (const auto& group : group_ids) {
    if (group == application_id || !IsInternalTopicOf(group, topic)) continue;
    if (PlausibleRest(topic.substr(group.size() + 1), misplaced)) {
      result.claims.push_back({group, "a consumer group on the cluster"});
    }
  }
  result.owner = result.claims.empty() ? Owner::kThis : Owner::kAmbiguous;
  return result;
}

std::string ClaimsText(const std::vector<Claim>& claims) {
  std::string text;
  for (const auto& c : claims) {
    text += (text.empty() ? "" : " or ") + std::string("application \"") + c.application_id + "\" (" + c.evidence + ")";
  }
  return text;
}

}  // namespace streams::reset
