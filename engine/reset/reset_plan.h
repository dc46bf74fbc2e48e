// engine/reset/reset_plan.h
// streams-reset's plan: what the reset of one application will do (offset moves, topic deletions, directory
// removals), computed by a pure function from what was observed on the cluster and the disk, so that every rule
// (ownership of internal topics, offset options, clamping, refusal while members are active) is unit-tested
// without Kafka. engine/app/reset.cpp observes and executes; engine/reset/plan_writer.h prints.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reset/internal_topics.h"
#include "reset/offset_spec.h"

namespace streams::reset {

//! One member of the application's consumer group, as DescribeConsumerGroups reports it.
struct GroupMember {
  std::string member_id;
  std::string client_id;
  std::string host;
  std::string group_instance_id;  //!< static membership; empty for dynamic members
};

struct GroupInfo {
  std::string state = "Dead";  //!< "Empty", "Stable", "PreparingRebalance", ... ("Dead" = no such group)
  std::vector<GroupMember> members;
};

//! What the cluster says about one partition of an input or intermediate topic.
struct PartitionOffsets {
  std::string topic;
  int partition = 0;
  std::int64_t earliest = 0;                //!< low watermark
  std::int64_t latest = 0;                  //!< high watermark (end offset)
  std::optional<std::int64_t> committed;    //!< the group's committed offset, if any
  std::optional<std::int64_t> for_time;     //!< to-datetime / by-duration: first offset at or after the instant
};

//! Everything the planner needs, gathered by engine/app/reset.cpp (or made up by a test).
struct Observed {
  std::map<std::string, int> topics;        //!< every topic on the cluster -> partition count
  GroupInfo group;
  std::vector<std::string> groups;          //!< every consumer group id on the cluster (who else may own a topic)
  std::vector<PartitionOffsets> partitions; //!< every partition of the existing input and intermediate topics
  std::vector<std::string> state_dirs;      //!< <state-dir>/<application.id> and its sub-directories that exist
  std::int64_t now_ms = 0;
};

struct ResetRequest {
  std::string application_id;
  std::vector<std::string> input_topics;        //!< --input-topics (or the topology's source topics)
  std::vector<std::string> intermediate_topics; //!< --intermediate-topics (or the topology's through() topics)
  std::vector<std::string> internal_topics;     //!< --internal-topics: delete only these (each must be internal)
  //! --topology: the application's internal topics (full names) computed from the model; nullopt without it.
  std::optional<std::vector<std::string>> topology_internal_topics;
  OffsetSpec offsets;
  std::string state_dir;                        //!< --state-dir root ("" = leave local state alone)
};

enum class TopicKind { kInput, kIntermediate };

//! One committed-offset change. `old_offset` is the committed offset before (nullopt = none committed).
struct OffsetMove {
  std::string topic;
  int partition = 0;
  TopicKind kind = TopicKind::kInput;
  std::optional<std::int64_t> old_offset;
  std::int64_t new_offset = 0;
  std::int64_t earliest = 0, latest = 0;
  std::string note;  //!< why the offset is not the one asked for (clamped, no record after the instant, ...)
};

//! One internal topic the reset deletes; `exists` = false when it is already gone (a rerun).
struct TopicDeletion {
  std::string topic;
  bool exists = true;
  std::string reason;  //!< "topology", "naming rules" or "--internal-topics"
};

struct ResetPlan {
  std::string application_id;
  std::string offset_option;              //!< e.g. "--to-earliest"
  GroupInfo group;                        //!< members here block the reset
  std::vector<OffsetMove> offsets;        //!< inputs then intermediates, by topic and partition
  std::vector<TopicDeletion> deletions;   //!< in topic order
  //! This application's internal topics (by name, no other application claims them) that are not deleted because
  //! --topology does not list them: kept, listed, deletable with --internal-topics.
  std::vector<std::string> kept_internal_topics;
  //! Topics named like this application's internal topics that another application explains (Owner::kOther), or
  //! may explain (Owner::kAmbiguous, listed only when --topology or --internal-topics settles what is deleted).
  struct ForeignTopic {
    std::string topic;
    Owner owner = Owner::kOther;
    std::vector<Claim> claims;
  };
  std::vector<ForeignTopic> foreign_topics;
  std::string state_dir;                  //!< <state-dir>/<application.id>, "" without --state-dir
  std::vector<std::string> remove_dirs;   //!< what exists of it: the root first, then its sub-directories
  std::vector<std::string> notes;

  bool HasActiveMembers() const { return !group.members.empty(); }
  //! Counts of what would change (deletions of absent topics and unchanged offsets do not count).
  int ChangedOffsetCount() const;
  int ExistingDeletionCount() const;
};

//! The checks that need no cluster, run before connecting: an empty application id, a topic name Kafka does not
//! allow (empty, too long, a character outside [a-zA-Z0-9._-]), a topic given as input and
//! intermediate, an --internal-topics entry that is an input or intermediate topic, is no internal topic name of
//! this application, or whose name shows another application's id (Owner::kOther), a topology internal topic that
//! fails the naming check. Throws InputError naming the topic and the reason.
void ValidateRequest(const ResetRequest& request);

//! Computes the plan. Throws InputError when the request cannot be honoured as asked: everything ValidateRequest
//! refuses; an input or intermediate topic that does not exist; an --internal-topics entry another application may
//! own (a consumer group on the cluster explains it), or that does not exist while an existing internal topic of
//! the application is one or two edits away (a misspelling, not a topic an earlier run deleted); without
//! --topology and --internal-topics, any topic whose owner names cannot tell (Owner::kAmbiguous); a --from-file
//! row for a topic that is not an input or a partition that does not exist.
ResetPlan PlanReset(const ResetRequest& request, const Observed& observed);

//! One line per member for messages: "member-id (client client-id, host /1.2.3.4, instance i)".
std::string DescribeMember(const GroupMember& member);

//! Outcome of executing a plan, step by step, so a failure part-way says what was done and what was not.
enum class StepStatus { kDone, kSkipped, kFailed, kNotAttempted };
const char* ToString(StepStatus status);

struct StepResult {
  std::string step;    //!< "commit offsets", "delete topic X", "remove directory D"
  StepStatus status = StepStatus::kNotAttempted;
  std::string detail;  //!< error text for kFailed, reason for kSkipped
};

struct ExecutionReport {
  std::vector<StepResult> steps;
  bool Succeeded() const;
};

}  // namespace streams::reset
