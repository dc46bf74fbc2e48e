// engine/reset/internal_topics.cpp
// Kafka Streams' internal-topic naming rules, as streams-reset applies them before deleting anything.
#include "reset/internal_topics.h"

#include <cctype>

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
         EndsWith(topic, "-subscription-registration-topic") || EndsWith(topic, "-subscription-response-topic") ||
         MatchesFkJoinTopic(topic, "REGISTRATION") || MatchesFkJoinTopic(topic, "RESPONSE");
}

namespace {

// The part after "<application.id>-" must name something before the suffix: "app-changelog" matches Kafka's
// test on the whole name but is no store's changelog, so it is refused here (stricter than StreamsResetter).
bool RestIsInternal(std::string_view rest) {
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
           "join subscription topic)";
  }
  return "";
}

}  // namespace streams::reset
