// Property test of streams-reset's ownership rule (KAFKA-14922), no broker: random families of application ids
// that prefix each other ("my", "my-app", "my-app-v2", ...), each with random internal topics (generated and
// user-chosen names), all groups on the cluster. For every application of the family, in every mode (naming
// rules, --topology, --internal-topics, both), the plan deletes exactly topics of that application, and refuses
// (InputError) rather than guess when names cannot tell.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <catch2/catch.hpp>

#include "common/error.h"
#include "naming/name_rules.h"
#include "reset/reset_plan.h"

using namespace streams;
using namespace streams::reset;

namespace {

const std::vector<std::string> kSegments{"v2", "app", "x", "counts", "word", "a"};

struct Family {
  std::vector<std::string> ids;
  std::map<std::string, std::string> owner;  //!< internal topic -> its application
  bool generated_only = false;
};

std::string Pick(std::mt19937& rng, const std::vector<std::string>& from) {
  return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
}

int Below(std::mt19937& rng, int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }

// One raw internal topic name as the DSL makes them: generated (kinds 0-3) or from user-chosen names (4-7).
std::string RawName(std::mt19937& rng, bool generated_only) {
  const int index = Below(rng, 40);
  switch (generated_only ? Below(rng, 4) : Below(rng, 8)) {
    case 0: return naming::IndexedName("KSTREAM-AGGREGATE-STATE-STORE-", index) + "-changelog";
    case 1: return naming::IndexedName("KSTREAM-AGGREGATE-STATE-STORE-", index) + "-repartition";
    case 2: return naming::IndexedName("KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-", index) + "-topic";
    case 3: return naming::IndexedName("KSTREAM-JOINTHIS-", index) + "-store-changelog";
    case 4: return Pick(rng, kSegments) + "-changelog";
    case 5: return Pick(rng, kSegments) + "-" + Pick(rng, kSegments) + "-repartition";
    case 6: return Pick(rng, kSegments) + "-subscription-response-topic";
    default: return naming::IndexedName(Pick(rng, kSegments) + "-STATE-STORE-", index) + "-changelog";
  }
}

Family MakeFamily(std::mt19937& rng) {
  Family f;
  f.generated_only = Below(rng, 3) == 0;
  f.ids.push_back(Pick(rng, {"my", "my-app", "app"}));
  const int size = 2 + Below(rng, 3);
  while (static_cast<int>(f.ids.size()) < size) {
    const std::string id = Pick(rng, f.ids) + "-" + Pick(rng, kSegments);
    if (std::find(f.ids.begin(), f.ids.end(), id) == f.ids.end()) f.ids.push_back(id);
  }
  for (const auto& id : f.ids) {
    for (int n = 1 + Below(rng, 4); n > 0; --n) {
      // Two applications with the same full topic name would share one topic: not a family Kafka can have.
      f.owner.emplace(id + "-" + RawName(rng, f.generated_only), id);
    }
  }
  return f;
}

Observed Cluster(const Family& f) {
  Observed o;
  for (const auto& [topic, id] : f.owner) o.topics[topic] = 1;
  o.topics["in"] = 1;
  o.topics[f.ids[0] + "-output"] = 1;
  o.groups = f.ids;
  o.groups.push_back("console-consumer-42");
  o.group.state = "Empty";
  o.partitions = {{"in", 0, 0, 5, 3, std::nullopt}};
  return o;
}

std::set<std::string> Deleted(const ResetPlan& plan) {
  std::set<std::string> out;
  for (const auto& d : plan.deletions) out.insert(d.topic);
  return out;
}

std::string Describe(const Family& f, const std::string& target) {
  std::string s = "target " + target + "; topics:";
  for (const auto& [topic, id] : f.owner) s += "\n  " + topic + " <- " + id;
  return s;
}

}  // namespace

TEST_CASE("should plan deletions of exactly the target application's topics, or refuse", "[reset][property]") {
  std::mt19937 rng(14922);
  int exact = 0, refused = 0, topology_runs = 0, named_runs = 0, named_refusals = 0;
  for (int round = 0; round < 400; ++round) {
    const Family f = MakeFamily(rng);
    const Observed cluster = Cluster(f);
    for (const auto& target : f.ids) {
      INFO(Describe(f, target));
      std::set<std::string> own;
      for (const auto& [topic, id] : f.owner) {
        if (id == target) own.insert(topic);
      }
      ResetRequest request;
      request.application_id = target;
      request.input_topics = {"in"};

      // Naming rules alone: exact, or a refusal naming another application and --topology.
      try {
        const ResetPlan plan = PlanReset(request, cluster);
        CHECK(Deleted(plan) == own);
        for (const auto& t : plan.kept_internal_topics) CHECK(own.count(t) == 1);
        ++exact;
      } catch (const InputError& e) {
        CHECK_FALSE(f.generated_only);  // generated names always settle ownership
        CHECK_THAT(e.what(), Catch::Contains("--topology"));
        bool names_other = false;
        for (const auto& id : f.ids) names_other = names_other || (id != target && std::string(e.what()).find(
                                                                       "\"" + id + "\"") != std::string::npos);
        CHECK(names_other);
        ++refused;
      }

      // --topology: its internal topics are the set (a random part of the application's topics, as after an
      // upgrade, plus one already deleted). Never refused; "Kept" lists only the application's own topics.
      ResetRequest with_topology = request;
      std::vector<std::string> model;
      for (const auto& t : own) {
        if (Below(rng, 3) != 0) model.push_back(t);
      }
      model.push_back(target + "-gone-changelog");
      with_topology.topology_internal_topics = model;
      const ResetPlan plan = PlanReset(with_topology, cluster);
      CHECK(Deleted(plan) == std::set<std::string>(model.begin(), model.end()));
      for (const auto& t : plan.kept_internal_topics) CHECK(own.count(t) == 1);
      for (const auto& t : plan.foreign_topics) CHECK(Deleted(plan).count(t.topic) == 0);
      ++topology_runs;

      // --internal-topics, with and without the topology: a topic of another application is always refused;
      // the application's own are deleted, or refused when names cannot tell and no topology lists them.
      for (const bool topology : {false, true}) {
        ResetRequest named = topology ? with_topology : request;
        std::vector<std::string> all;
        for (const auto& [topic, id] : f.owner) all.push_back(topic);
        for (int n = 1 + Below(rng, 3); n > 0; --n) named.internal_topics.push_back(Pick(rng, all));
        const bool foreign = std::any_of(named.internal_topics.begin(), named.internal_topics.end(),
                                         [&](const std::string& t) { return own.count(t) == 0; });
        ++named_runs;
        try {
          const ResetPlan p = PlanReset(named, cluster);
          CHECK_FALSE(foreign);
          CHECK(Deleted(p) == std::set<std::string>(named.internal_topics.begin(), named.internal_topics.end()));
        } catch (const InputError& e) {
          ++named_refusals;
          if (!foreign) {
            CHECK_THAT(e.what(), Catch::Contains("may be an internal topic of") && Catch::Contains("--topology"));
            if (topology) {  // the topology lists some of the application's topics; refused ones are not among them
              CHECK(std::any_of(named.internal_topics.begin(), named.internal_topics.end(), [&](const std::string& t) {
                return std::find(model.begin(), model.end(), t) == model.end();
              }));
            }
          }
        }
      }
    }
  }
  // Both outcomes occur: the property is not met by refusing everything, nor by never meeting an ambiguity.
  CHECK(exact > 100);
  CHECK(refused > 50);
  CHECK(named_refusals > 50);
  CHECK(named_runs - named_refusals > 50);
  CHECK(topology_runs > 100);
}
