// app::RunReset against a scripted ResetCluster (no Kafka): what is read on a dry run, the order of the steps,
// stopping at the first failure, refusal and --force waiting for members to expire, the --from-file hint after a
// relative option fails part-way, JSON output.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "app/reset.h"

using namespace streams;
using kafka::TopicPartition;

namespace {

// A cluster with input "in" (2 partitions, offsets 0..10), app internal topics, committed in[0]=7; it records
// every change it is asked to make.
class FakeCluster : public app::ResetCluster {
 public:
  std::map<std::string, int> topics{{"in", 2}, {"app-s-changelog", 2}, {"app-x-repartition", 2}, {"out", 1}};
  std::vector<std::vector<kafka::MemberInfo>> members_per_describe;  // successive answers; last one repeats
  int describes = 0;
  std::string fail_delete;
  std::vector<std::string> groups{"app"};
  std::vector<std::string> changes;
  int reads = 0;  // requests that read the cluster

  std::map<std::string, int> ListTopics() override {
    ++reads;
    return topics;
  }
  std::vector<std::string> ListGroups() override {
    ++reads;
    return groups;
  }
  kafka::GroupDescription DescribeGroup(const std::string& group_id) override {
    ++reads;
    kafka::GroupDescription d{group_id, "Empty", "", {}};
    if (!members_per_describe.empty()) {
      d.members = members_per_describe[std::min<size_t>(describes, members_per_describe.size() - 1)];
      if (!d.members.empty()) d.state = "Stable";
    }
    ++describes;
    return d;
  }
  std::map<TopicPartition, std::int64_t> CommittedOffsets(const std::string&, const std::vector<TopicPartition>&) override {
    return {{{"in", 0}, 7}};
  }
  kafka::Watermarks QueryWatermarks(const std::string&, int) override { return {0, 10}; }
  std::map<TopicPartition, std::optional<std::int64_t>> OffsetsForTimes(const std::vector<TopicPartition>& tps,
                                                                        std::int64_t) override {
    std::map<TopicPartition, std::optional<std::int64_t>> out;
    for (const auto& tp : tps) out[tp] = 4;
    return out;
  }
  void CommitOffsets(const std::string& group, const std::map<TopicPartition, std::int64_t>& offsets) override {
    std::string c = "commit " + group;
    for (const auto& [tp, o] : offsets) c += " " + tp.first + "[" + std::to_string(tp.second) + "]=" + std::to_string(o);
    changes.push_back(c);
  }
  kafka::TopicResult DeleteTopic(const std::string& topic) override {
    if (topic == fail_delete) return {topic, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, "not allowed"};
    changes.push_back("delete " + topic);
    topics.erase(topic);
    return {topic, RD_KAFKA_RESP_ERR_NO_ERROR, ""};
  }
};

app::ResetOptions Options() {
  app::ResetOptions o;
  o.application_id = "app";
  o.input_topics = {"in"};
  return o;
}

struct Result {
  int status;
  std::string out, err;
};

Result Run(const app::ResetOptions& o, FakeCluster& cluster) {
  std::ostringstream out, err;
  const int status = app::RunReset(o, cluster, out, err);
  return {status, out.str(), err.str()};
}

}  // namespace

TEST_CASE("should only read the cluster on a dry run", "[reset]") {
  FakeCluster cluster;
  const Result r = Run(Options(), cluster);
  CHECK(r.status == 0);
  CHECK(cluster.changes.empty());
  CHECK_THAT(r.out, Catch::Contains("in[0]: 7 -> 0"));
  CHECK_THAT(r.out, Catch::Contains("dry run"));
}

TEST_CASE("should commit offsets, then delete topics in order", "[reset]") {
  FakeCluster cluster;
  app::ResetOptions o = Options();
  o.execute = true;
  o.offsets.shift_by = 2;
  const Result r = Run(o, cluster);
  CHECK(r.status == 0);
  CHECK(cluster.changes == std::vector<std::string>{"commit app in[0]=9 in[1]=2", "delete app-s-changelog",
                                                    "delete app-x-repartition"});
  CHECK_THAT(r.err, Catch::Contains("[3/3] delete topic app-x-repartition: done"));
}

TEST_CASE("should stop at the first failed step and say how to finish a relative reset", "[reset]") {
  FakeCluster cluster;
  cluster.fail_delete = "app-s-changelog";
  app::ResetOptions o = Options();
  o.execute = true;
  o.offsets.shift_by = -3;
  const Result r = Run(o, cluster);
  CHECK(r.status == 1);
  CHECK(cluster.changes == std::vector<std::string>{"commit app in[0]=4 in[1]=0"});
  CHECK_THAT(r.out, Catch::Contains("[FAILED] delete topic app-s-changelog: TOPIC_AUTHORIZATION_FAILED: not allowed\n"
                                    "  [not done] delete topic app-x-repartition\n"));
  CHECK_THAT(r.err, Catch::Contains("rerun with --from-file holding these lines:\nin,0,4\nin,1,0\n"));
}

TEST_CASE("should refuse with members, and --force should wait for them to expire", "[reset]") {
  FakeCluster cluster;
  const kafka::MemberInfo member{"m-1", "app-1-StreamThread-1", "/10.0.0.7", "", {}};
  cluster.members_per_describe = {{member}};
  app::ResetOptions o = Options();
  o.execute = true;
  const Result refused = Run(o, cluster);
  CHECK(refused.status == 1);
  CHECK(cluster.changes.empty());
  CHECK_THAT(refused.err, Catch::Contains("m-1 (client app-1-StreamThread-1, host /10.0.0.7)"));

  // The member's session expires after two more looks at the group.
  FakeCluster expiring;
  expiring.members_per_describe = {{member}, {member}, {}};
  o.force = true;
  o.force_wait = std::chrono::seconds(10);
  const Result forced = Run(o, expiring);
  CHECK(forced.status == 0);
  CHECK(expiring.describes == 3);
  CHECK(expiring.changes.size() == 3);
}

TEST_CASE("should print the plan and the execution as one JSON document", "[reset]") {
  FakeCluster cluster;
  app::ResetOptions o = Options();
  o.execute = true;
  o.format = "json";
  o.offsets.to_datetime = "2024-01-01T00:00:00Z";
  const Result r = Run(o, cluster);
  CHECK(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["plan"]["offsets"][0]["new"] == 4);
  CHECK(j["plan"]["offset_option"] == "--to-datetime 2024-01-01T00:00:00Z");
  CHECK(j["refused"].is_null());
  CHECK(j["execution"]["succeeded"] == true);
  CHECK(j["execution"]["steps"].size() == 3);
}

namespace {

// A temporary directory, removed at the end of the test.
struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("run-reset-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  static inline int counter = 0;
};

}  // namespace

TEST_CASE("should refuse a state directory that is a symbolic link, before reading the cluster", "[reset]") {
  namespace fs = std::filesystem;
  TempDir tmp;
  fs::create_directories(tmp.path / "elsewhere" / "0_0");
  fs::create_directories(tmp.path / "state");
  fs::create_directory_symlink(tmp.path / "elsewhere", tmp.path / "state" / "app");
  FakeCluster cluster;
  app::ResetOptions o = Options();
  o.state_dir = (tmp.path / "state").string();
  o.execute = true;
  const Result r = Run(o, cluster);
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains((tmp.path / "state" / "app").string() + " is a symbolic link (to " +
                                    (tmp.path / "elsewhere").string() + ")"));
  CHECK_THAT(r.out, !Catch::Contains("already absent"));
  CHECK(cluster.reads == 0);
  CHECK(cluster.changes.empty());
  CHECK(fs::is_symlink(tmp.path / "state" / "app"));
  CHECK(fs::exists(tmp.path / "elsewhere" / "0_0"));

  // A file in its place is no state either.
  fs::remove(tmp.path / "state" / "app");
  std::ofstream(tmp.path / "state" / "app") << "not a directory\n";
  const Result file = Run(o, cluster);
  CHECK(file.status == 2);
  CHECK_THAT(file.err, Catch::Contains("app is not a directory"));
  CHECK(cluster.reads == 0);
}

TEST_CASE("should count every listed state directory in the summary", "[reset]") {
  namespace fs = std::filesystem;
  TempDir tmp;
  fs::create_directories(tmp.path / "app" / "0_0");
  fs::create_directories(tmp.path / "app" / "1_0");
  FakeCluster cluster;
  app::ResetOptions o = Options();
  o.state_dir = tmp.path.string();
  const Result r = Run(o, cluster);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("Local state directories to remove:\n  " + (tmp.path / "app").string() + "\n  " +
                                    (tmp.path / "app" / "0_0").string() + "\n  " + (tmp.path / "app" / "1_0").string()));
  CHECK_THAT(r.out, Catch::Contains(", 3 state directories to remove\n"));
}

TEST_CASE("should refuse --internal-topics by name before reading the cluster", "[reset]") {
  for (const std::string topic : {"out", "other-s-changelog", "app-v2-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog",
                                  "in"}) {
    FakeCluster cluster;
    app::ResetOptions o = Options();
    o.internal_topics = {topic};
    const Result r = Run(o, cluster);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("refusing to delete \"" + topic + "\""));
    CHECK(cluster.reads == 0);
  }
}

TEST_CASE("should refuse topic names Kafka does not allow before reading the cluster", "[reset]") {
  FakeCluster cluster;
  app::ResetOptions o = Options();
  o.input_topics = {"in", ""};
  Result r = Run(o, cluster);
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("--input-topics \"\": a topic name must not be empty (a stray comma?)"));
  o = Options();
  o.intermediate_topics = {"my topic"};
  r = Run(o, cluster);
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("--intermediate-topics \"my topic\": ' ' is not allowed in a topic name"));
  CHECK(cluster.reads == 0);
}

TEST_CASE("should refuse without deleting when another application's group explains a topic", "[reset]") {
  FakeCluster cluster;
  cluster.topics["app-v2-s-changelog"] = 1;
  cluster.groups = {"app", "app-v2"};
  app::ResetOptions o = Options();
  o.execute = true;
  const Result r = Run(o, cluster);
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains("app-v2-s-changelog: \"app\"'s, or application \"app-v2\""));
  CHECK(cluster.changes.empty());
}
