// reset::PlanReset and its writers: every offset option's result, clamping, internal topics from the topology
// or by naming rules, refusal of foreign topics, idempotent reruns (absent topics), plan text and JSON.
#include <sstream>

#include <catch2/catch.hpp>

#include "common/error.h"
#include "reset/plan_writer.h"
#include "reset/reset_plan.h"

using namespace streams::reset;

namespace {

// A cluster with input "words" (2 partitions: offsets 10..50 and 0..0), intermediate "through" (1 partition),
// app internal topics, another app's changelog and a user topic that looks internal but belongs to nobody.
Observed Cluster() {
  Observed o;
  o.topics = {{"words", 2},
              {"through", 1},
              {"wc-counts-changelog", 2},
              {"wc-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition", 2},
              {"wc-old-store-changelog", 2},
              {"other-counts-changelog", 2},
              {"wc-output", 1}};
  o.group.state = "Empty";
  o.partitions = {{"words", 0, 10, 50, 42, 20}, {"words", 1, 0, 0, std::nullopt, std::nullopt}, {"through", 0, 0, 9, 3, std::nullopt}};
  o.now_ms = 1000000;
  return o;
}

ResetRequest Request(OffsetSpec spec = {}) {
  ResetRequest r;
  r.application_id = "wc";
  r.input_topics = {"words"};
  r.intermediate_topics = {"through"};
  r.offsets = std::move(spec);
  return r;
}

OffsetSpec Spec(OffsetMode mode, std::int64_t offset = 0) {
  OffsetSpec s;
  s.mode = mode;
  s.offset = offset;
  s.text = std::string("--") + ToString(mode);
  return s;
}

const OffsetMove& Move(const ResetPlan& plan, const std::string& topic, int partition) {
  for (const auto& m : plan.offsets) {
    if (m.topic == topic && m.partition == partition) return m;
  }
  FAIL("no move for " << topic << "[" << partition << "]");
  throw 0;
}

}  // namespace

TEST_CASE("should move inputs to earliest by default and intermediates to their end", "[reset]") {
  const ResetPlan plan = PlanReset(Request(), Cluster());
  REQUIRE(plan.offsets.size() == 3);
  CHECK(Move(plan, "words", 0).old_offset == 42);
  CHECK(Move(plan, "words", 0).new_offset == 10);
  CHECK(Move(plan, "words", 1).old_offset == std::nullopt);
  CHECK(Move(plan, "words", 1).new_offset == 0);
  CHECK(Move(plan, "through", 0).kind == TopicKind::kIntermediate);
  CHECK(Move(plan, "through", 0).new_offset == 9);
  CHECK(plan.ChangedOffsetCount() == 3);
}

TEST_CASE("should compute each offset option with Kafka's clamping", "[reset]") {
  CHECK(Move(PlanReset(Request(Spec(OffsetMode::kToLatest)), Cluster()), "words", 0).new_offset == 50);
  const ResetPlan to = PlanReset(Request(Spec(OffsetMode::kToOffset, 5)), Cluster());
  CHECK(Move(to, "words", 0).new_offset == 10);  // below earliest -> earliest
  CHECK_THAT(Move(to, "words", 0).note, Catch::Contains("below the earliest offset 10"));
  CHECK(Move(PlanReset(Request(Spec(OffsetMode::kToOffset, 30)), Cluster()), "words", 0).new_offset == 30);
  CHECK(Move(PlanReset(Request(Spec(OffsetMode::kToOffset, 99)), Cluster()), "words", 0).new_offset == 50);

  const ResetPlan back = PlanReset(Request(Spec(OffsetMode::kShiftBy, -5)), Cluster());
  CHECK(Move(back, "words", 0).new_offset == 37);  // committed 42 - 5
  CHECK(Move(back, "words", 1).new_offset == 0);   // nothing committed: from earliest, clamped
  CHECK_THAT(Move(back, "words", 1).note, Catch::Contains("no committed offset"));
  CHECK(Move(PlanReset(Request(Spec(OffsetMode::kShiftBy, 100)), Cluster()), "words", 0).new_offset == 50);

  OffsetSpec at = Spec(OffsetMode::kToDatetime);
  const ResetPlan dt = PlanReset(Request(at), Cluster());
  CHECK(Move(dt, "words", 0).new_offset == 20);  // the offset for the instant
  CHECK(Move(dt, "words", 1).new_offset == 0);   // no record after it: latest
  CHECK_THAT(Move(dt, "words", 1).note, Catch::Contains("no record at or after"));
  CHECK(Move(PlanReset(Request(Spec(OffsetMode::kByDuration)), Cluster()), "words", 0).new_offset == 20);

  OffsetSpec file = Spec(OffsetMode::kFromFile);
  file.from_file = {{{"words", 0}, 45}};
  const ResetPlan ff = PlanReset(Request(file), Cluster());
  CHECK(Move(ff, "words", 0).new_offset == 45);
  CHECK(Move(ff, "words", 1).new_offset == 0);
  CHECK_THAT(Move(ff, "words", 1).note, Catch::Contains("not in the --from-file CSV"));
}

TEST_CASE("should refuse from-file rows for other topics or missing partitions", "[reset]") {
  OffsetSpec file = Spec(OffsetMode::kFromFile);
  file.from_file = {{{"through", 0}, 1}};
  CHECK_THROWS_WITH(PlanReset(Request(file), Cluster()), Catch::Contains("\"through\", which is not one of the input topics"));
  file.from_file = {{{"words", 7}, 1}};
  CHECK_THROWS_WITH(PlanReset(Request(file), Cluster()), Catch::Contains("words has 2 partitions"));
}

TEST_CASE("should refuse missing input topics and a topic that is input and intermediate", "[reset]") {
  ResetRequest r = Request();
  r.input_topics = {"words", "wordz"};
  CHECK_THROWS_WITH(PlanReset(r, Cluster()), Catch::Contains("not found on the cluster: wordz"));
  r.input_topics = {"through"};
  CHECK_THROWS_WITH(PlanReset(r, Cluster()), Catch::Contains("both an input and an intermediate topic"));
}

TEST_CASE("should infer internal topics by naming rules, never another app's or a user topic", "[reset]") {
  const ResetPlan plan = PlanReset(Request(), Cluster());
  REQUIRE(plan.deletions.size() == 3);
  CHECK(plan.deletions[0].topic == "wc-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition");
  CHECK(plan.deletions[1].topic == "wc-counts-changelog");
  CHECK(plan.deletions[2].topic == "wc-old-store-changelog");
  CHECK(plan.deletions[0].reason == "naming rules");

  // KAFKA-7930: an input topic named like an internal topic is not deleted.
  Observed o = Cluster();
  o.topics["wc-in-changelog"] = 1;
  o.partitions.push_back({"wc-in-changelog", 0, 0, 0, std::nullopt, std::nullopt});
  ResetRequest r = Request();
  r.input_topics.push_back("wc-in-changelog");
  for (const auto& d : PlanReset(r, o).deletions) CHECK(d.topic != "wc-in-changelog");
}

TEST_CASE("should delete the topology's internal topics and keep look-alikes", "[reset]") {
  ResetRequest r = Request();
  r.topology_internal_topics = std::vector<std::string>{"wc-counts-changelog", "wc-gone-repartition"};
  const ResetPlan plan = PlanReset(r, Cluster());
  REQUIRE(plan.deletions.size() == 2);
  CHECK(plan.deletions[0].topic == "wc-counts-changelog");
  CHECK(plan.deletions[0].exists);
  CHECK(plan.deletions[1].topic == "wc-gone-repartition");
  CHECK_FALSE(plan.deletions[1].exists);  // a rerun: already deleted
  CHECK(plan.deletions[0].reason == "topology");
  CHECK(plan.kept_internal_topics ==
        std::vector<std::string>{"wc-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition", "wc-old-store-changelog"});
  CHECK(plan.ExistingDeletionCount() == 1);

  r.topology_internal_topics = std::vector<std::string>{"other-counts-changelog"};
  CHECK_THROWS_WITH(PlanReset(r, Cluster()), Catch::Contains("does the topology's application.id differ?"));
}

TEST_CASE("should refuse --internal-topics that are not this application's internal topics", "[reset]") {
  ResetRequest r = Request();
  r.internal_topics = {"wc-counts-changelog"};
  const ResetPlan plan = PlanReset(r, Cluster());
  REQUIRE(plan.deletions.size() == 1);
  CHECK(plan.deletions[0].reason == "--internal-topics");
  for (const std::string foreign : {"other-counts-changelog", "wc-output", "words"}) {
    r.internal_topics = {foreign};
    CHECK_THROWS_WITH(PlanReset(r, Cluster()), Catch::Contains("refusing to delete \"" + foreign + "\""));
  }
}

TEST_CASE("should print the complete plan as text and JSON", "[reset]") {
  Observed o = Cluster();
  o.group.state = "Stable";
  o.group.members = {{"m-1", "wc-1", "/127.0.0.1", ""}};
  o.state_dirs = {"/s/wc", "/s/wc/0_0"};
  ResetRequest r = Request();
  r.state_dir = "/s";
  const ResetPlan plan = PlanReset(r, o);
  CHECK(plan.HasActiveMembers());
  std::ostringstream text;
  WritePlanText(plan, false, text);
  CHECK(text.str() ==
        "Reset of application \"wc\" (dry run: nothing is changed; add --execute to apply)\n"
        "Consumer group \"wc\": Stable, 1 active member:\n"
        "  m-1 (client wc-1, host /127.0.0.1)\n"
        "Input topic offsets (--to-earliest):\n"
        "  words[0]: 42 -> 10\n"
        "  words[1]: (none) -> 0\n"
        "Intermediate topic offsets (to their end):\n"
        "  through[0]: 3 -> 9\n"
        "Internal topics to delete (naming rules):\n"
        "  wc-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition\n"
        "  wc-counts-changelog\n"
        "  wc-old-store-changelog\n"
        "Local state directories to remove:\n"
        "  /s/wc\n"
        "  /s/wc/0_0\n"
        "Summary: 3 offsets change (of 3), 3 topics to delete, 2 state directories to remove\n");
  const auto j = PlanToJson(plan, true);
  CHECK(j["dry_run"] == false);
  CHECK(j["group"]["members"][0]["client_id"] == "wc-1");
  CHECK(j["offsets"][1]["old"].is_null());
  CHECK(j["offsets"][2]["kind"] == "intermediate");
  CHECK(j["delete_topics"].size() == 3);
  CHECK(j["state_dir"] == "/s/wc");
}

namespace {

// Two applications, my-app and my-app-v2 (consumer groups on the cluster), as in KAFKA-14922.
Observed TwoApps() {
  Observed o;
  o.topics = {{"text", 1},
              {"my-app-word-counts-changelog", 1},
              {"my-app-word-counts-repartition", 1},
              {"my-app-v2-word-counts-changelog", 1},
              {"my-app-v2-word-counts-repartition", 1},
              {"my-app-v2-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog", 1}};
  o.groups = {"my-app", "my-app-v2"};
  o.group.state = "Empty";
  o.partitions = {{"text", 0, 0, 5, 5, std::nullopt}};
  return o;
}

ResetRequest MyApp() {
  ResetRequest r;
  r.application_id = "my-app";
  r.input_topics = {"text"};
  return r;
}

}  // namespace

TEST_CASE("should refuse, naming the topics and the other application, when names cannot tell", "[reset]") {
  try {
    PlanReset(MyApp(), TwoApps());
    FAIL("planned a reset that may delete my-app-v2's topics");
  } catch (const streams::InputError& e) {
    const std::string m = e.what();
    CHECK_THAT(m, Catch::StartsWith("refusing to reset: 2 topic(s) named like internal topics of application \"my-app\" "
                                    "may be another application's:\n"
                                    "  my-app-v2-word-counts-changelog: \"my-app\"'s, or application \"my-app-v2\" (a "
                                    "consumer group on the cluster)\n"
                                    "  my-app-v2-word-counts-repartition: "));
    CHECK_THAT(m, Catch::Contains("--topology (the application's topology file or describe() text) makes the set"));
    // The generated name settles the third one: not mentioned as ambiguous.
    CHECK_THAT(m, !Catch::Contains("KSTREAM-AGGREGATE"));
  }
  // Without my-app-v2's group, only the grammar speaks: the generated name still shows it is my-app-v2's.
  Observed alone = TwoApps();
  alone.groups = {"my-app"};
  const ResetPlan plan = PlanReset(MyApp(), alone);
  CHECK(plan.deletions.size() == 4);
  REQUIRE(plan.foreign_topics.size() == 1);
  CHECK(plan.foreign_topics[0].claims[0].application_id == "my-app-v2");
}

TEST_CASE("should delete exactly the topology's topics and never suggest another application's", "[reset]") {
  ResetRequest r = MyApp();
  r.topology_internal_topics = std::vector<std::string>{"my-app-word-counts-repartition"};
  Observed o = TwoApps();
  o.topics["my-app-old-changelog"] = 1;
  const ResetPlan plan = PlanReset(r, o);
  REQUIRE(plan.deletions.size() == 1);
  CHECK(plan.deletions[0].topic == "my-app-word-counts-repartition");
  CHECK(plan.kept_internal_topics == std::vector<std::string>{"my-app-old-changelog", "my-app-word-counts-changelog"});
  std::ostringstream text;
  WritePlanText(plan, false, text);
  CHECK_THAT(text.str(),
             Catch::Contains("Kept (named like internal topics of this application but not in the topology; name them "
                             "with --internal-topics to delete them):\n"
                             "  my-app-old-changelog\n"
                             "  my-app-word-counts-changelog\n"
                             "Left alone (named like internal topics of this application, but another application's "
                             "or maybe another's):\n"
                             "  my-app-v2-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog: application \"my-app-v2\" "
                             "(the generated name KSTREAM-AGGREGATE-STATE-STORE-0000000003 follows its id, and Kafka "
                             "Streams puts generated names right after the application id)\n"
                             "  my-app-v2-word-counts-changelog: maybe application \"my-app-v2\" (a consumer group on "
                             "the cluster)\n"));
  CHECK(PlanToJson(plan, false)["foreign_topics"][1]["certain"] == false);
  // The topology establishes ownership even where names cannot: my-app's store "v2-word-counts".
  r.topology_internal_topics = std::vector<std::string>{"my-app-v2-word-counts-changelog"};
  CHECK(PlanReset(r, o).deletions[0].topic == "my-app-v2-word-counts-changelog");
}

TEST_CASE("should refuse --internal-topics that another application owns or may own", "[reset]") {
  ResetRequest r = MyApp();
  // The grammar alone settles it: refused before the cluster is read.
  r.internal_topics = {"my-app-v2-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog"};
  CHECK_THROWS_WITH(ValidateRequest(r), Catch::Contains("it is an internal topic of application \"my-app-v2\""));
  // A consumer group on the cluster explains it: refused once the groups are known, naming --topology.
  r.internal_topics = {"my-app-word-counts-changelog", "my-app-v2-word-counts-changelog"};
  ValidateRequest(r);
  CHECK_THROWS_WITH(PlanReset(r, TwoApps()),
                    Catch::Contains("refusing to delete \"my-app-v2-word-counts-changelog\" (--internal-topics): it may "
                                    "be an internal topic of application \"my-app-v2\" (a consumer group on the "
                                    "cluster) as well as of application \"my-app\"") &&
                        Catch::Contains("--topology"));
  // Listed by the topology: my-app's own.
  r.topology_internal_topics = std::vector<std::string>{"my-app-v2-word-counts-changelog"};
  CHECK(PlanReset(r, TwoApps()).deletions.size() == 2);
  r.internal_topics = {"my-app-word-counts-changelog"};
  r.topology_internal_topics.reset();
  CHECK(PlanReset(r, TwoApps()).deletions.size() == 1);
}

TEST_CASE("should tell a misspelled topic from one an earlier run deleted", "[reset]") {
  // An input topic is never deleted by a reset: missing means misspelled.
  ResetRequest input = MyApp();
  input.input_topics = {"txet"};
  CHECK_THROWS_WITH(PlanReset(input, TwoApps()), Catch::Contains("txet (did you mean text?)") &&
                                                     Catch::Contains("misspelled, not deleted by an earlier run"));
  // An internal topic one or two edits from an existing one of the application: misspelled.
  ResetRequest r = MyApp();
  r.internal_topics = {"my-app-word-cuonts-changelog"};
  CHECK_THROWS_WITH(PlanReset(r, TwoApps()),
                    Catch::Contains("\"my-app-word-cuonts-changelog\" (--internal-topics) is not on the cluster: did "
                                    "you mean \"my-app-word-counts-changelog\"?"));
  Observed o = TwoApps();
  o.topics["my-app-KSTREAM-AGGREGATE-STATE-STORE-0000000002-changelog"] = 1;
  r.internal_topics = {"my-app-KSTREAM-AGGREGATE-STATE-STORE-000000002-changelog"};  // 9 digits
  CHECK_THROWS_WITH(PlanReset(r, o), Catch::Contains("did you mean"));
  // Deleted by an earlier run: nothing close exists. The sibling generated name with another index is a different
  // store (the upgrade case: old store 1 deleted, new store 2 in use), not a near miss.
  r.internal_topics = {"my-app-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog", "my-app-word-counts-changelog"};
  const ResetPlan plan = PlanReset(r, o);
  REQUIRE(plan.deletions.size() == 2);
  CHECK_FALSE(plan.deletions[0].exists);
  CHECK(plan.deletions[1].exists);
  REQUIRE(plan.notes.size() == 1);
  CHECK_THAT(plan.notes[0], Catch::Contains("is not on the cluster: taken as deleted by an earlier run"));
  // A near miss that is named too is meant too: streams-diff's reset names both versions' topics, and the new
  // version's store "word-count" (renamed from "word-counts") has no changelog yet.
  r.internal_topics = {"my-app-word-counts-changelog", "my-app-word-count-changelog"};
  CHECK(PlanReset(r, o).deletions.size() == 2);
}

TEST_CASE("should report which steps were done when a step fails", "[reset]") {
  ExecutionReport report;
  report.steps = {{"commit offsets", StepStatus::kDone, ""},
                  {"delete topic wc-a-changelog", StepStatus::kFailed, "timed out"},
                  {"remove directory /s/wc", StepStatus::kNotAttempted, ""}};
  CHECK_FALSE(report.Succeeded());
  std::ostringstream text;
  WriteReportText(report, text);
  CHECK_THAT(text.str(), Catch::Contains("[done] commit offsets\n  [FAILED] delete topic wc-a-changelog: timed out\n"
                                         "  [not done] remove directory /s/wc\n"));
  CHECK_THAT(text.str(), Catch::Contains("run the same command again"));
  CHECK(ReportToJson(report)["steps"][1]["status"] == "FAILED");
}
