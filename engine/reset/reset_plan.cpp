// engine/reset/reset_plan.cpp
// The planning rules of streams-reset (see reset_plan.h). Semantics follow Kafka's StreamsResetter: offsets are
// clamped to [earliest, latest]; to-datetime falls back to the end when no record is at or after the instant;
// shift-by starts from the committed offset. Stricter than it: missing input topics and foreign --internal-topics
// are errors, a topology (when given) decides which internal topics are deleted, and without one a topic that
// another application may own stops the reset (KAFKA-14922).
#include "reset/reset_plan.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "common/did_you_mean.h"
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

// Kafka's rule for topic names (Topic.validate): 1 to 249 characters of [a-zA-Z0-9._-], not "." or "..".
std::string WhyNotTopicName(const std::string& name) {
  if (name.empty()) return "a topic name must not be empty (a stray comma?)";
  if (name == "." || name == "..") return "\".\" and \"..\" are not topic names";
  if (name.size() > 249) return "longer than Kafka's 249 characters for a topic name";
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return std::string("'") + c + "' is not allowed in a topic name (letters, digits, '.', '_' and '-')";
    }
  }
  return "";
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// A 10-digit index (the DSL's counter) as one character: two generated names that differ only in their index are
// different topics, not a misspelling of each other.
std::string MaskIndexes(const std::string& name) {
  std::string out;
  for (size_t i = 0; i < name.size();) {
    size_t digits = 0;
    while (i + digits < name.size() && name[i + digits] >= '0' && name[i + digits] <= '9') ++digits;
    if (digits == 10) {
      out += '#';
    } else {
      out.append(name, i, std::max<size_t>(digits, 1));
    }
    i += std::max<size_t>(digits, 1);
  }
  return out;
}

// The existing topic `name` is most likely a misspelling of: one or two edits away, not a sibling generated name.
std::string NearMiss(const std::string& name, const std::vector<std::string>& existing) {
  std::string best;
  size_t best_distance = 3;
  for (const auto& t : existing) {
    if (MaskIndexes(t) == MaskIndexes(name)) continue;
    const size_t d = EditDistance(name, t);
    if (d < best_distance) best = t, best_distance = d;
  }
  return best;
}

std::string NotFoundMessage(const std::vector<std::string>& missing, const std::map<std::string, int>& topics) {
  std::vector<std::string> names;
  for (const auto& [t, partitions] : topics) names.push_back(t);
  std::string text;
  for (const auto& t : missing) {
    text += (text.empty() ? "" : ", ") + t;
    if (const std::string near = NearMiss(t, names); !near.empty()) text += " (did you mean " + near + "?)";
  }
  return "topic(s) not found on the cluster: " + text +
         " (check --input-topics / --intermediate-topics: a reset never deletes these, so a missing one is "
         "misspelled, not deleted by an earlier run)";
}

std::string AmbiguityAdvice(const std::string& application_id) {
  return "names cannot tell whose it is: --topology (the application's topology file or describe() text) makes "
         "the set of \"" + application_id + "\"'s internal topics exact";
}

// The topics on the cluster named like this application's internal topics, as OwnerOf classifies them: its own,
// and the others (another application's, or maybe another's). Input and intermediate topics are never candidates
// (KAFKA-7930).
struct Candidates {
  std::vector<std::string> own;
  std::vector<ResetPlan::ForeignTopic> foreign;
};

Candidates Classify(const ResetRequest& request, const Observed& observed) {
  Candidates c;
  for (const auto& [topic, partitions] : observed.topics) {
    if (Contains(request.input_topics, topic) || Contains(request.intermediate_topics, topic)) continue;
    Ownership o = OwnerOf(request.application_id, topic, observed.groups);
    if (o.owner == Owner::kThis) c.own.push_back(topic);
    if (o.owner == Owner::kOther || o.owner == Owner::kAmbiguous) c.foreign.push_back({topic, o.owner, std::move(o.claims)});
  }
  return c;
}

bool InTopology(const ResetRequest& request, const std::string& topic) {
  return request.topology_internal_topics && Contains(*request.topology_internal_topics, topic);
}

// Each --internal-topics entry the topology does not list must be this application's beyond doubt, and, when it is
// missing, taken as deleted by an earlier run only if no existing internal topic is a near miss of it (a
// misspelling). Adds a note for each one taken as already deleted.
void CheckNamedTopics(const ResetRequest& request, const Observed& observed, const Candidates& candidates,
                      ResetPlan& plan) {
  const std::string& app = request.application_id;
  // Near misses are looked for among the application's existing internal topics that are not named themselves
  // (streams-diff names both versions' topics: a store "counts" renamed "count" has no changelog yet).
  std::vector<std::string> existing = candidates.own;
  if (request.topology_internal_topics) {
    for (const auto& x : *request.topology_internal_topics) {
      if (observed.topics.count(x)) existing.push_back(x);
    }
  }
  std::erase_if(existing, [&](const std::string& x) { return Contains(request.internal_topics, x); });
  for (const auto& t : request.internal_topics) {
    if (InTopology(request, t)) continue;  // the topology establishes it as this application's
    const Ownership o = OwnerOf(app, t, observed.groups);
    if (o.owner == Owner::kAmbiguous) {
      throw InputError("refusing to delete \"" + t + "\" (--internal-topics): it may be an internal topic of " +
                       ClaimsText(o.claims) + " as well as of application \"" + app + "\"; " + AmbiguityAdvice(app) +
                       ": a topic among its internal topics is deleted");
    }
    if (observed.topics.count(t) != 0) continue;
    if (const std::string near = NearMiss(t, existing); !near.empty()) {
      throw InputError("topic \"" + t + "\" (--internal-topics) is not on the cluster: did you mean \"" + near +
                       "\"? (a missing internal topic is taken as deleted by an earlier run only when no existing "
                       "internal topic of the application is one or two edits away from its name)");
    }
    plan.notes.push_back(t + " is not on the cluster: taken as deleted by an earlier run (it is an internal topic "
                         "name of \"" + app + "\", and no existing internal topic is one or two edits away from it)");
  }
}

// Without --topology and --internal-topics, names must settle every candidate: refuse when one may be another's.
void RefuseAmbiguous(const std::string& app, const Candidates& candidates) {
  int count = 0;
  std::string lines;
  for (const auto& f : candidates.foreign) {
    if (f.owner != Owner::kAmbiguous) continue;
    ++count;
    lines += "\n  " + f.topic + ": \"" + app + "\"'s, or " + ClaimsText(f.claims);
  }
  if (count > 0) {
    throw InputError("refusing to reset: " + std::to_string(count) + " topic(s) named like internal topics of "
                     "application \"" + app + "\" may be another application's:" + lines + "\n" +
                     AmbiguityAdvice(app) + " (or name this application's own topics with --internal-topics)");
  }
}

// The internal topics to delete: --internal-topics (checked), else the topology's, else this application's own by
// name; then what is kept (own, not in the topology) and left alone (another's or maybe another's).
void PlanDeletions(const ResetRequest& request, const Observed& observed, ResetPlan& plan) {
  Candidates candidates = Classify(request, observed);
  std::vector<std::string> to_delete;
  std::string reason;
  if (!request.internal_topics.empty()) {
    CheckNamedTopics(request, observed, candidates, plan);
    reason = "--internal-topics";
    to_delete = request.internal_topics;
  } else if (request.topology_internal_topics) {
    reason = "topology";
    to_delete = *request.topology_internal_topics;
  } else {
    RefuseAmbiguous(request.application_id, candidates);
    reason = "naming rules";
    to_delete = candidates.own;
  }
  std::sort(to_delete.begin(), to_delete.end());
  to_delete.erase(std::unique(to_delete.begin(), to_delete.end()), to_delete.end());
  for (const auto& t : to_delete) plan.deletions.push_back({t, observed.topics.count(t) > 0, reason});
  if (request.topology_internal_topics) {
    for (const auto& t : candidates.own) {
      if (!Contains(to_delete, t) && !InTopology(request, t)) plan.kept_internal_topics.push_back(t);
    }
  }
  for (auto& f : candidates.foreign) {
    if (!Contains(to_delete, f.topic)) plan.foreign_topics.push_back(std::move(f));
  }
}

}  // namespace

void ValidateRequest(const ResetRequest& request) {
  if (request.application_id.empty()) throw InputError("--application-id must not be empty");
  for (const auto& [flag, list] : {std::pair{"--input-topics", &request.input_topics},
                                   std::pair{"--intermediate-topics", &request.intermediate_topics},
                                   std::pair{"--internal-topics", &request.internal_topics}}) {
    for (const auto& t : *list) {
      if (const std::string why = WhyNotTopicName(t); !why.empty()) {
        throw InputError(std::string(flag) + " \"" + t + "\": " + why);
      }
    }
  }
  for (const auto& t : request.input_topics) {
    if (Contains(request.intermediate_topics, t)) {
      throw InputError("topic \"" + t + "\" is given as both an input and an intermediate topic");
    }
  }
  if (request.topology_internal_topics) {
    for (const auto& t : *request.topology_internal_topics) {
      const std::string why = WhyNotInternal(request.application_id, t);
      if (!why.empty()) {
        throw InputError("the topology's internal topic \"" + t + "\" is not an internal topic of application \"" +
                         request.application_id + "\": " + why + " (does the topology's application.id differ?)");
      }
    }
  }
  for (const auto& t : request.internal_topics) {
    if (Contains(request.input_topics, t) || Contains(request.intermediate_topics, t)) {
      throw InputError("refusing to delete \"" + t + "\": it is given as an input or intermediate topic");
    }
    const Ownership o = OwnerOf(request.application_id, t, {});
    if (o.owner == Owner::kNotInternal) {
      throw InputError("refusing to delete \"" + t + "\" (--internal-topics): it is not an internal topic of "
                       "application \"" + request.application_id + "\": " + o.why);
    }
    if (o.owner == Owner::kOther && !InTopology(request, t)) {
      throw InputError("refusing to delete \"" + t + "\" (--internal-topics): it is an internal topic of " +
                       ClaimsText(o.claims) + ", not of application \"" + request.application_id + "\"");
    }
  }
}

ResetPlan PlanReset(const ResetRequest& request, const Observed& observed) {
  ValidateRequest(request);
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
  if (!missing.empty()) throw InputError(NotFoundMessage(missing, observed.topics));
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

  PlanDeletions(request, observed, plan);

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
