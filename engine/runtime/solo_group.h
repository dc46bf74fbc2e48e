// engine/runtime/solo_group.h
// The consumer group of an instance that is alone on its cluster (`streams-run --embedded`: one instance in the
// process, and nothing else can reach librdkafka's in-process mock). The assignment protocol
// (runtime/assignment_protocol.h) keeps the group for liveness and fencing only; here nothing can join or be fenced,
// so the instance keeps the group's generations itself: a thread that joins or leaves starts a new generation, and
// every thread then goes through the same revoke and assign steps as under a group, with the partitions `range`
// would give it (members in thread order). Reports, the leader's plan (ComputePlan) and applying it
// (rd_kafka_assign) are unchanged: only the generation and the member list come from here instead of the group
// coordinator. It saves the mock's fixed 3 s delay before a group's first generation.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace streams::runtime {

class SoloGroup {
 public:
  //! What a member gets in a generation (the group's assignment: topic -> partitions).
  struct Generation {
    std::int32_t generation = -1;
    std::string member_id;
    std::map<std::string, std::vector<int>> partitions;
  };

  //! `subscribed`: topic -> partition count of what every member subscribes to.
  SoloGroup(std::string process_id, std::map<std::string, int> subscribed);

  //! Thread `index` joins (or rejoins, as a probing rebalance does): a new generation for every member.
  void Join(int index);
  //! Thread `index` leaves: a new generation for the others.
  void Leave(int index);
  //! The current generation for thread `index` when it is newer than `seen` and the thread is a member.
  std::optional<Generation> Next(int index, std::int32_t seen) const;

  //! `range`'s blocks: member `position` of `members` gets partitions [start, start + length) of every topic.
  static std::map<std::string, std::vector<int>> RangeShare(const std::map<std::string, int>& subscribed,
                                                           int members, int position);

 private:
  std::string process_id_;
  std::map<std::string, int> subscribed_;
  mutable std::mutex mutex_;
  std::int32_t generation_ = 0;
  std::set<int> members_;
};

}  // namespace streams::runtime
