// engine/reset/reset_plan.cpp
// The planning rules of streams-reset (see reset_plan.h). Semantics follow Kafka's StreamsResetter: offsets are
// clamped to [earliest, latest]; to-datetime falls back to the end when no record is at or after the instant;
// shift-by starts from the committed offset. Stricter than it: missing input topics and foreign --internal-topics
// are errors, and a topology (when given) decides which internal topics are deleted.
#include "reset/reset_plan.h"

#include <algorithm>
#include <tuple>

#include "common/error.h"
#include "reset/internal_topics.h"

namespace streams::reset {

int ResetPlan::ChangedOffsetCount() const {
  return static_cast<int>(std::count_if(offsets.begin(), offsets.end(),
                                        [](const OffsetMove& m) { return m.old_offset != m.new_offset; }));
}

int ResetPlan::ExistingDeletionCount() const {
  return static_cast<int>(
      std::count_if(deletions.begin(), deletions.end(), [](const TopicDeletion& d) { return d.exists; }));
}

const char* ToString(StepStatus status) {
  switch (status) {
    case StepStatus::kDone: return "done";
    case StepStatus::kSkipped: return "skipped";
    case StepStatus::kFailed: return "FAILED";
    case StepStatus::kNotAttempted: return "not done";
  }
  return "?";
}

bool ExecutionReport::Succeeded() const {
  return std::all_of(steps.begin(), steps.end(), [](const StepResult& s) {
    return s.status == StepStatus::kDone || s.status == StepStatus::kSkipped;
  });
}

std::string DescribeMember(const GroupMember& m) {
  std::string s = m.member_id + " (client " + m.client_id + ", host " + m.host;
  if (!m.group_instance_id.empty()) s += ", group.instance.id " + m.group_instance_id;
  return s + ")";
}

std::vector<std::string> InferInternalTopics(const std::string& application_id,
                                             const std::map<std::string, int>& topics,
                                             const std::vector<std::string>& exclude) {
  std::vector<std::string> found;
  for (const auto& [topic, partitions] : topics) {
    if (std::find(exclude.begin(), exclude.end(), topic) != exclude.end()) continue;  // KAFKA-7930
    if (IsInternalTopicOf(application_id, topic)) found.push_back(topic);
  }
  return found;
}

namespace {

std::int64_t Clamp(std::int64_t wanted, const PartitionOffsets& p, std::string& note) {
  if (wanted < p.earliest) {
    note = "asked " + std::to_string(wanted) + ", below the earliest offset " + std::to_string(p.earliest);
    return p.earliest;
  }
  if (wanted > p.latest) {
    note = "asked " + std::to_string(wanted) + ", above the latest offset " + std::to_string(p.latest);
    return p.latest;
  }
  return wanted;
}

OffsetMove MoveInput(const OffsetSpec& spec, const PartitionOffsets& p) {
  OffsetMove m{p.topic, p.partition, TopicKind::kInput, p.committed, 0, p.earliest, p.latest, ""};
  switch (spec.mode) {
    case OffsetMode::kToEarliest: m.new_offset = p.earliest; break;
    case OffsetMode::kToLatest: m.new_offset = p.latest; break;
    case OffsetMode::kToOffset: m.new_offset = Clamp(spec.offset, p, m.note); break;
    case OffsetMode::kShiftBy: {
      std::int64_t base = p.earliest;
      if (p.committed) {
        base = *p.committed;
      } else {
        m.note = "no committed offset: shifted from the earliest offset";
      }
      std::string clamp_note;
      m.new_offset = Clamp(base + spec.offset, p, clamp_note);
      if (!clamp_note.empty()) m.note = m.note.empty() ? clamp_note : m.note + "; " + clamp_note;
      break;
    }
    case OffsetMode::kToDatetime:
    case OffsetMode::kByDuration:
      if (p.for_time) {
        m.new_offset = Clamp(*p.for_time, p, m.note);
      } else {
        m.new_offset = p.latest;
        m.note = "no record at or after the instant: set to the latest offset";
      }
      break;
    case OffsetMode::kFromFile: {
      const auto it = spec.from_file.find({p.topic, p.partition});
      if (it == spec.from_file.end()) {
        if (p.committed) {
          m.new_offset = *p.committed;
          m.note = "not in the --from-file CSV: left at its committed offset";
        } else {
          m.new_offset = p.earliest;
          m.note = "not in the --from-file CSV and nothing committed: set to the earliest offset";
        }
      } else {
        m.new_offset = Clamp(it->second, p, m.note);
      }
      break;
    }
  }
  return m;
}

void RequireDistinct(const std::vector<std::string>& inputs, const std::vector<std::string>& intermediates) {
  for (const auto& t : inputs) {
    if (std::find(intermediates.begin(), intermediates.end(), t) != intermediates.end()) {
      throw InputError("topic \"" + t + "\" is given as both an input and an intermediate topic");
    }
  }
}

}  // namespace

ResetPlan PlanReset(const ResetRequest& request, const Observed& observed) {
  if (request.application_id.empty()) throw InputError("--application-id must not be empty");
  RequireDistinct(request.input_topics, request.intermediate_topics);
  ResetPlan plan;
  plan.application_id = request.application_id;
  plan.offset_option = request.offsets.text.empty() ? "--to-earliest" : request.offsets.text;
  plan.group = observed.group;

  // Input and intermediate topics must exist: a typo would otherwise leave the real topic's offsets untouched.
  std::vector<std::string> missing;
  for (const auto* list : {&request.input_topics, &request.intermediate_topics}) {
    for (const auto& t : *list) {
      if (!observed.topics.count(t)) missing.push_back(t);
    }
  }
  if (!missing.empty()) {
    std::string names;
    for (const auto& t : missing) names += (names.empty() ? "" : ", ") + t;
    throw InputError("topic(s) not found on the cluster: " + names + " (check --input-topics / --intermediate-topics)");
  }
  if (request.offsets.mode == OffsetMode::kFromFile) {
    for (const auto& [key, offset] : request.offsets.from_file) {
      const auto& [topic, partition] = key;
      if (std::find(request.input_topics.begin(), request.input_topics.end(), topic) == request.input_topics.end()) {
        throw InputError("--from-file names topic \"" + topic + "\", which is not one of the input topics");
      }
      if (partition >= observed.topics.at(topic)) {
        throw InputError("--from-file names " + topic + " partition " + std::to_string(partition) + ", but " +
                         topic + " has " + std::to_string(observed.topics.at(topic)) + " partitions");
      }
    }
  }

  // Offsets: inputs as asked, intermediates to their end; sorted by kind, topic, partition.
  for (const auto& p : observed.partitions) {
    const bool input =
        std::find(request.input_topics.begin(), request.input_topics.end(), p.topic) != request.input_topics.end();
    const bool intermediate = std::find(request.intermediate_topics.begin(), request.intermediate_topics.end(),
                                        p.topic) != request.intermediate_topics.end();
    if (input) {
      plan.offsets.push_back(MoveInput(request.offsets, p));
    } else if (intermediate) {
      plan.offsets.push_back({p.topic, p.partition, TopicKind::kIntermediate, p.committed, p.latest, p.earliest,
                              p.latest, ""});
    }
  }
  std::sort(plan.offsets.begin(), plan.offsets.end(), [](const OffsetMove& a, const OffsetMove& b) {
    return std::tie(a.kind, a.topic, a.partition) < std::tie(b.kind, b.topic, b.partition);
  });

  // Internal topics: the topology's (when given) or those found by naming rules; never a user topic.
  std::vector<std::string> user_topics = request.input_topics;
  user_topics.insert(user_topics.end(), request.intermediate_topics.begin(), request.intermediate_topics.end());
  const std::vector<std::string> inferred = InferInternalTopics(request.application_id, observed.topics, user_topics);
  std::string default_reason = "naming rules";
  std::vector<std::string> defaults = inferred;
  if (request.topology_internal_topics) {
    for (const auto& t : *request.topology_internal_topics) {
      const std::string why = WhyNotInternal(request.application_id, t);
      if (!why.empty()) {
        throw InputError("the topology's internal topic \"" + t + "\" is not an internal topic of application \"" +
                         request.application_id + "\": " + why + " (does the topology's application.id differ?)");
      }
    }
    default_reason = "topology";
    defaults = *request.topology_internal_topics;
    for (const auto& t : inferred) {
      if (std::find(defaults.begin(), defaults.end(), t) == defaults.end()) plan.kept_internal_topics.push_back(t);
    }
  }
  std::vector<std::string> to_delete = defaults;
  std::string reason = default_reason;
  if (!request.internal_topics.empty()) {
    for (const auto& t : request.internal_topics) {
      if (std::find(user_topics.begin(), user_topics.end(), t) != user_topics.end()) {
        throw InputError("refusing to delete \"" + t + "\": it is given as an input or intermediate topic");
      }
      const std::string why = WhyNotInternal(request.application_id, t);
      if (!why.empty()) {
        throw InputError("refusing to delete \"" + t + "\" (--internal-topics): it is not an internal topic of "
                         "application \"" + request.application_id + "\": " + why);
      }
    }
    to_delete = request.internal_topics;
    reason = "--internal-topics";
    // Named explicitly: no longer "kept".
    std::erase_if(plan.kept_internal_topics, [&](const std::string& t) {
      return std::find(to_delete.begin(), to_delete.end(), t) != to_delete.end();
    });
  }
  std::sort(to_delete.begin(), to_delete.end());
  to_delete.erase(std::unique(to_delete.begin(), to_delete.end()), to_delete.end());
  for (const auto& t : to_delete) plan.deletions.push_back({t, observed.topics.count(t) > 0, reason});

  if (!request.state_dir.empty()) {
    plan.state_dir = request.state_dir + (request.state_dir.back() == '/' ? "" : "/") + request.application_id;
    plan.remove_dirs = observed.state_dirs;
  }
  if (request.input_topics.empty() && request.intermediate_topics.empty()) {
    plan.notes.push_back("no input or intermediate topics given: committed offsets are left alone");
  }
  return plan;
}

}  // namespace streams::reset
