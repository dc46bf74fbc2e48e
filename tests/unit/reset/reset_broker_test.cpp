// streams-reset end to end (app::RunReset) on the real test broker ([.broker][reset-broker], run by ctest's
// reset-broker test), and against librdkafka's mock cluster ([reset]: fails naming the missing API). The
// KAFKA-14922 scenario runs the streams-reset binary itself.
// Offsets are committed with a plain consumer; no engine is needed to make a group look like an application's.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../../broker/broker_clients.h"
#include "app/diff.h"
#include "app/reset.h"
#include "kafka/admin.h"

namespace fs = std::filesystem;
using namespace streams;
using namespace std::chrono_literals;
using kafka::TopicPartition;
using Offsets = std::map<TopicPartition, std::int64_t>;

namespace {

struct Run {
  int status;
  std::string out, err;
};

Run Reset(app::ResetOptions o, app::ResetCluster* cluster = nullptr) {
  if (o.bootstrap_servers.empty()) o.bootstrap_servers = testing::TestBootstrap();
  std::ostringstream out, err;
  const int status = cluster ? app::RunReset(o, *cluster, out, err) : app::RunReset(o, out, err);
  UNSCOPED_INFO("streams-reset exit " << status << "\nstdout:\n" << out.str() << "stderr:\n" << err.str());
  return {status, out.str(), err.str()};
}

// An application on the broker: input "in" (2 partitions, 10 + 4 records, timestamps 1,000,000 + i s), intermediate
// "through" (1 partition, 6 records), internal topics, a user topic named like the app and another app's changelog;
// the group has committed in[0]=8, in[1]=3, through[0]=2.
struct App {
  std::string id = testing::UniqueName("reset-app");
  std::string in = testing::UniqueName("reset-in");
  std::string through = testing::UniqueName("reset-through");
  std::string changelog = id + "-counts-changelog";
  std::string repartition = id + "-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition";
  std::string output = id + "-output";             // named like the app, but not internal
  std::string foreign = testing::UniqueName("other") + "-counts-changelog";
  fs::path state = fs::temp_directory_path() / testing::UniqueName("reset-state");
  kafka::Admin admin{testing::BrokerProps(), 30s};

  App() {
    for (const auto& r : admin.CreateTopics({{in, 2, 1, {}},
                                             {through, 1, 1, {}},
                                             {changelog, 2, 1, {{"cleanup.policy", "compact"}}},
                                             {repartition, 2, 1, {}},
                                             {output, 1, 1, {}},
                                             {foreign, 1, 1, {}}})) {
      REQUIRE(r.ok());
    }
    testing::WaitForTopics(admin, {in, through, changelog, repartition, output, foreign});
    testing::Produce(in, 0, 10, 1'000'000);
    testing::Produce(in, 1, 4, 1'000'000);
    testing::Produce(through, 0, 6, 1'000'000);
    testing::CommitWithConsumer(id, {{{in, 0}, 8}, {{in, 1}, 3}, {{through, 0}, 2}});
    fs::create_directories(state / id / "0_0");
    fs::create_directories(state / id / "1_1");
    std::ofstream(state / id / "0_0" / ".checkpoint") << "0\n";
  }
  ~App() {
    std::error_code ec;
    fs::remove_all(state, ec);
  }

  app::ResetOptions Options() const {
    app::ResetOptions o;
    o.application_id = id;
    o.input_topics = {in};
    o.intermediate_topics = {through};
    return o;
  }
  Offsets Committed() { return admin.ListGroupOffsets(id); }
  bool Exists(const std::string& topic) { return admin.ListTopics().count(topic) > 0; }
};

}  // namespace

TEST_CASE("should reset offsets, delete internal topics and remove state on --execute", "[.broker][reset-broker]") {
  App a;
  app::ResetOptions o = a.Options();
  o.state_dir = a.state.string();
  o.execute = true;
  const Run r = Reset(o);
  REQUIRE(r.status == 0);
  CHECK(a.Committed() == Offsets{{{a.in, 0}, 0}, {{a.in, 1}, 0}, {{a.through, 0}, 6}});
  CHECK_FALSE(a.Exists(a.changelog));
  CHECK_FALSE(a.Exists(a.repartition));
  CHECK(a.Exists(a.output));
  CHECK(a.Exists(a.foreign));
  CHECK(a.Exists(a.in));
  CHECK(a.Exists(a.through));
  CHECK_FALSE(fs::exists(a.state / a.id));
  CHECK(fs::exists(a.state));
  CHECK_THAT(r.out, Catch::Contains(a.in + "[0]: 8 -> 0"));
  CHECK_THAT(r.out, Catch::Contains(a.through + "[0]: 2 -> 6"));
  CHECK_THAT(r.out, Catch::Contains("[done] delete topic " + a.changelog));
  CHECK_THAT(r.out, Catch::Contains("[done] remove directory " + (a.state / a.id).string()));

  // A second run is a no-op that succeeds: topics and directory already gone.
  const Run again = Reset(o);
  CHECK(again.status == 0);
  CHECK_THAT(again.out, Catch::Contains("Internal topics to delete: none"));
  CHECK_THAT(again.out, Catch::Contains("already absent"));
}

TEST_CASE("should move input offsets as each offset option asks", "[.broker][reset-broker]") {
  App a;
  const auto run = [&](auto set) {
    testing::CommitWithConsumer(a.id, {{{a.in, 0}, 8}, {{a.in, 1}, 3}, {{a.through, 0}, 2}});
    app::ResetOptions o = a.Options();
    o.internal_topics = {a.changelog};  // keep the rest for the next option
    o.execute = true;
    set(o);
    const Run r = Reset(o);
    REQUIRE(r.status == 0);
    const Offsets c = a.Committed();
    CHECK(c.at({a.through, 0}) == 6);
    return std::make_pair(c.at({a.in, 0}), c.at({a.in, 1}));
  };
  using P = std::pair<std::int64_t, std::int64_t>;
  CHECK(run([](app::ResetOptions& o) { o.offsets.to_latest = true; }) == P{10, 4});
  CHECK(run([](app::ResetOptions& o) { o.offsets.to_offset = 5; }) == P{5, 4});  // clamped to in[1]'s end
  CHECK(run([](app::ResetOptions& o) { o.offsets.shift_by = -2; }) == P{6, 1});
  CHECK(run([](app::ResetOptions& o) { o.offsets.shift_by = 5; }) == P{10, 4});
  // Records are at 1,000,000 + i s: 1970-01-01T00:16:43Z is 1,003,000 ms -> offset 3 (in[1] has 0..3).
  CHECK(run([](app::ResetOptions& o) { o.offsets.to_datetime = "1970-01-01T00:16:43Z"; }) == P{3, 3});
  CHECK(run([](app::ResetOptions& o) { o.offsets.to_datetime = "1970-01-01T01:16:43+01:00"; }) == P{3, 3});
  CHECK(run([](app::ResetOptions& o) { o.offsets.to_datetime = "1970-01-01T00:16:45.5"; }) == P{6, 4});
  // All records are decades old: by-duration of a day finds none and goes to the end; of 100 years, the start.
  CHECK(run([](app::ResetOptions& o) { o.offsets.by_duration = "P1D"; }) == P{10, 4});
  CHECK(run([](app::ResetOptions& o) { o.offsets.by_duration = "P36500D"; }) == P{0, 0});
  const fs::path csv = a.state.parent_path() / (a.id + ".csv");
  std::ofstream(csv) << a.in << ",0,7\n" << a.in << ",1,99\n";
  CHECK(run([&](app::ResetOptions& o) { o.offsets.from_file = csv.string(); }) == P{7, 4});
  fs::remove(csv);
}

TEST_CASE("should refuse while the group has active members and name them", "[.broker][reset-broker]") {
  App a;
  const Offsets before = a.Committed();
  {
    testing::GroupMember member(a.id, a.in, "reset-test-member");
    app::ResetOptions o = a.Options();
    o.execute = true;
    const Run r = Reset(o);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("refusing to reset: consumer group \"" + a.id + "\" has 1 active member(s)"));
    CHECK_THAT(r.err, Catch::Contains("client reset-test-member"));
    CHECK_THAT(r.err, Catch::Contains("no RemoveMembersFromConsumerGroup"));
    // --force cannot remove a live member: it waits, then refuses.
    o.force = true;
    o.force_wait = std::chrono::seconds(2);
    const Run forced = Reset(o);
    CHECK(forced.status == 1);
    CHECK_THAT(forced.err, Catch::Contains("--force waited 2s"));
    CHECK(a.Exists(a.changelog));
  }
  CHECK(a.Committed() == before);
  // Once the member has left, the reset goes through.
  app::ResetOptions o = a.Options();
  o.execute = true;
  CHECK(Reset(o).status == 0);
}

TEST_CASE("should refuse to delete a topic that is not the application's internal topic", "[.broker][reset-broker]") {
  App a;
  const Offsets before = a.Committed();
  for (const std::string& topic : {a.output, a.foreign, a.in}) {
    app::ResetOptions o = a.Options();
    o.internal_topics = {a.changelog, topic};
    o.execute = true;
    const Run r = Reset(o);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("refusing to delete \"" + topic + "\""));
  }
  CHECK(a.Exists(a.output));
  CHECK(a.Exists(a.foreign));
  CHECK(a.Exists(a.changelog));
  CHECK(a.Committed() == before);
}

TEST_CASE("should change nothing on a dry run", "[.broker][reset-broker]") {
  App a;
  const Offsets before = a.Committed();
  const auto topics_before = a.admin.ListTopics();
  app::ResetOptions o = a.Options();
  o.state_dir = a.state.string();
  o.format = "json";
  const Run r = Reset(o);
  CHECK(r.status == 0);
  CHECK(a.Committed() == before);
  CHECK(a.admin.ListTopics() == topics_before);
  CHECK(fs::exists(a.state / a.id / "0_0" / ".checkpoint"));
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["plan"]["dry_run"] == true);
  CHECK(j["execution"].is_null());
  CHECK(j["plan"]["offsets"].size() == 3);
  CHECK(j["plan"]["delete_topics"].size() == 2);
  CHECK(j["plan"]["remove_dirs"].size() == 3);
}

namespace {

// Fails the deletion of one topic, as a broker error or a lost connection would.
class FailingCluster : public app::KafkaResetCluster {
 public:
  FailingCluster(std::string fail_topic)
      : KafkaResetCluster(testing::BrokerProps(), 30s), fail_topic_(std::move(fail_topic)) {}
  kafka::TopicResult DeleteTopic(const std::string& topic) override {
    if (topic == fail_topic_) return {topic, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, "injected failure"};
    return KafkaResetCluster::DeleteTopic(topic);
  }

 private:
  std::string fail_topic_;
};

}  // namespace

TEST_CASE("should report an interrupted reset and finish it on a rerun", "[.broker][reset-broker]") {
  App a;
  // Interrupted earlier: one internal topic is already gone.
  REQUIRE(a.admin.DeleteTopics({a.repartition})[0].ok());
  app::ResetOptions o = a.Options();
  o.state_dir = a.state.string();
  o.execute = true;
  // The injected failure hits the changelog's deletion.
  FailingCluster failing(a.changelog);
  const Run r = Reset(o, &failing);
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("Reset FAILED part-way"));
  CHECK_THAT(r.out, Catch::Contains("[done] commit offsets of 3 partition(s)"));
  CHECK_THAT(r.out, Catch::Contains("[FAILED] delete topic " + a.changelog + ": REQUEST_TIMED_OUT: injected failure"));
  CHECK_THAT(r.out, Catch::Contains("[not done] remove directory"));
  CHECK(a.Exists(a.changelog));
  CHECK(fs::exists(a.state / a.id));
  CHECK(a.Committed().at({a.in, 0}) == 0);

  const Run rerun = Reset(o);
  CHECK(rerun.status == 0);
  CHECK_FALSE(a.Exists(a.changelog));
  CHECK_FALSE(fs::exists(a.state / a.id));
  CHECK(a.Committed() == Offsets{{{a.in, 0}, 0}, {{a.in, 1}, 0}, {{a.through, 0}, 6}});
}

TEST_CASE("should take internal, input and intermediate topics from the topology", "[.broker][reset-broker]") {
  App a;
  // groupBy(name by-category) + aggregate(store category-sums): internal topics <app>-by-category-repartition
  // and <app>-category-sums-changelog.
  const fs::path file = a.state.parent_path() / (a.id + ".topology.json");
  std::ofstream(file) << R"({"config": {"application.id": "ignored"}, "pipelines": [{"source": {"stream": ")" << a.in
                      << R"("}, "ops": [{"op": "groupBy", "selector": ".category", "name": "by-category"},
        {"op": "aggregate", "initializer": "0", "aggregator": "$aggregate + 1", "materialized": {"as": "category-sums"}},
        {"op": "toStream"}, {"op": "to", "topic": ")" << a.id << R"(-output"}]}]})";
  const std::string model_repartition = a.id + "-by-category-repartition";
  const std::string model_changelog = a.id + "-category-sums-changelog";
  for (const auto& r : a.admin.CreateTopics({{model_repartition, 2, 1, {}}, {model_changelog, 2, 1, {}}})) REQUIRE(r.ok());
  app::ResetOptions o;
  o.application_id = a.id;
  o.topology = file.string();
  o.execute = true;
  const Run r = Reset(o);
  fs::remove(file);
  REQUIRE(r.status == 0);
  CHECK_FALSE(a.Exists(model_repartition));
  CHECK_FALSE(a.Exists(model_changelog));
  // Named like internal topics but not in this topology: kept and listed.
  CHECK(a.Exists(a.changelog));
  CHECK(a.Exists(a.repartition));
  CHECK_THAT(r.out, Catch::Contains("Kept (named like internal topics"));
  // The topology's source topic is the input: back to earliest.
  CHECK(a.Committed().at({a.in, 0}) == 0);
}

TEST_CASE("should fail on the mock cluster naming the missing admin API", "[reset]") {
  kafka::HandlePtr host = kafka::MakeClient(RD_KAFKA_PRODUCER, kafka::MakeConf({{"log_level", "0"}}), "mock host");
  kafka::MockClusterPtr mock(rd_kafka_mock_cluster_new(host.get(), 1));
  app::ResetOptions o;
  o.application_id = "app";
  o.bootstrap_servers = rd_kafka_mock_cluster_bootstraps(mock.get());
  o.timeout = std::chrono::seconds(5);
  std::ostringstream out, err;
  CHECK(app::RunReset(o, out, err) == 1);
  CHECK_THAT(err.str(), Catch::Contains("does not support the Kafka DescribeGroups API"));
  CHECK_THAT(err.str(), Catch::Contains("(nothing was changed)"));
  mock.reset();
}

TEST_CASE("should reject bad options before connecting", "[reset]") {
  app::ResetOptions o;
  o.application_id = "a/b";
  o.bootstrap_servers = "127.0.0.1:1";
  std::ostringstream out, err;
  CHECK(app::RunReset(o, out, err) == 2);
  CHECK_THAT(err.str(), Catch::Contains("only letters, digits"));
  o.application_id = "app";
  o.bootstrap_servers.clear();
  std::ostringstream out2, err2;
  CHECK(app::RunReset(o, out2, err2) == 2);
  CHECK_THAT(err2.str(), Catch::Contains("no bootstrap server"));
}

TEST_CASE("should carry out the reset-required plan that streams-diff prints, literally", "[.broker][reset-broker]") {
  const char* bin = std::getenv("STREAMS_RESET_BIN");
  REQUIRE(bin != nullptr);  // set by ctest's reset-broker test
  App a;
  // The talk's count v1 -> v2 (a filter shifts the generated store name: reset-required), renamed to this test's
  // application id and topics.
  const std::string fixture = std::string(FIXTURES_DIR) + "/upgrades/talk-count-v1-to-v2-filter/";
  const auto rename = [&](const std::string& name) {
    std::ifstream in(fixture + name);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"\"purchase-count\"", "\"" + a.id + "\""}, {"\"input\"", "\"" + a.in + "\""}, {"\"output\"", "\"" + a.output + "\""}}) {
      for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    }
    const fs::path out = a.state.parent_path() / (a.id + "-" + name);
    std::ofstream(out) << s;
    return out.string();
  };
  const fs::path props = a.state.parent_path() / (a.id + ".properties");
  std::ofstream(props) << "bootstrap.servers=" << testing::TestBootstrap() << "\nstate.dir=" << a.state.string() << "\n";
  app::DiffOptions d;
  d.old_path = rename("old.topology.json");
  d.new_path = rename("new.topology.json");
  d.config = props.string();
  d.format = "json";
  std::ostringstream diff_out, diff_err;
  CHECK(app::RunDiff(d, diff_out, diff_err) == 1);  // reset-required is not allowed by default
  const auto report = nlohmann::json::parse(diff_out.str());
  REQUIRE(report["verdict"] == "reset-required");

  // The old version's changelog exists; the group has committed offsets on the input.
  const std::string old_changelog = a.id + "-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog";
  REQUIRE(a.admin.CreateTopics({{old_changelog, 2, 1, {}}})[0].ok());
  int resets = 0;
  for (const auto& step : report["plan"]["steps"]) {
    for (const auto& command : step["commands"]) {
      const std::string c = command.get<std::string>();
      if (c.rfind("streams-reset ", 0) != 0) continue;  // kafka-consumer-groups: Kafka's CLI, checked below instead
      CHECK(a.admin.DescribeGroup(a.id).members.empty());
      const std::string line = std::string(bin) + c.substr(std::string("streams-reset").size()) + " > /dev/null";
      INFO(line);
      CHECK(std::system(line.c_str()) == 0);
      ++resets;
    }
  }
  CHECK(resets == 3);  // preview, reset, other machines' state
  CHECK(a.Committed().at({a.in, 0}) == 0);
  CHECK(a.Committed().at({a.in, 1}) == 0);
  CHECK_FALSE(a.Exists(old_changelog));
  CHECK_FALSE(fs::exists(a.state / a.id));
  CHECK(a.Exists(a.in));
  CHECK(a.Exists(a.output));
  for (const auto& f : {d.old_path, d.new_path, props.string()}) fs::remove(f);
}

namespace {

struct Tool {
  int status;
  std::string out, err;
};

// Runs the streams-reset binary (STREAMS_RESET_BIN, set by ctest's reset-broker test) as a user would.
Tool RunStreamsReset(const std::vector<std::string>& args, const fs::path& scratch) {
  const char* bin = std::getenv("STREAMS_RESET_BIN");
  REQUIRE(bin != nullptr);
  std::string line = bin;
  for (const auto& a : args) line += " '" + a + "'";
  line += " >'" + (scratch / "out").string() + "' 2>'" + (scratch / "err").string() + "'";
  const int raw = std::system(line.c_str());
  const auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  Tool t{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(scratch / "out"), slurp(scratch / "err")};
  UNSCOPED_INFO(line << "\nexit " << t.status << "\nstdout:\n" << t.out << "stderr:\n" << t.err);
  return t;
}

}  // namespace

TEST_CASE("should never touch the topics or offsets of an application whose id extends ours (KAFKA-14922)",
          "[.broker][reset-broker]") {
  // my-app and my-app-v2, each a word count with its changelog and repartition topic and its consumer group.
  kafka::Admin admin{testing::BrokerProps(), 30s};
  const std::string app = testing::UniqueName("my-app"), v2 = app + "-v2";
  const std::string text = testing::UniqueName("text");
  const fs::path scratch = fs::temp_directory_path() / testing::UniqueName("reset-14922");
  fs::create_directories(scratch);
  std::vector<std::string> topics{text};
  for (const auto& id : {app, v2}) {
    topics.push_back(id + "-word-counts-changelog");
    topics.push_back(id + "-word-counts-repartition");
  }
  for (const auto& t : topics) REQUIRE(admin.CreateTopics({{t, 1, 1, {}}})[0].ok());
  testing::WaitForTopics(admin, topics);
  testing::Produce(text, 0, 5, 1'000'000);
  testing::Produce(v2 + "-word-counts-repartition", 0, 3, 1'000'000);
  testing::Produce(app + "-word-counts-repartition", 0, 3, 1'000'000);
  testing::CommitWithConsumer(app, {{{text, 0}, 5}, {{app + "-word-counts-repartition", 0}, 3}});
  testing::CommitWithConsumer(v2, {{{text, 0}, 4}, {{v2 + "-word-counts-repartition", 0}, 3}});
  const Offsets v2_before = admin.ListGroupOffsets(v2);
  REQUIRE(v2_before.size() == 2);
  const std::vector<std::string> base{"--application-id", app, "--bootstrap-server", testing::TestBootstrap()};
  const auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = base;
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };

  // Without the topology, names cannot tell my-app's store "v2-word-counts" from my-app-v2's "word-counts".
  const Tool guessed = RunStreamsReset(with({"--input-topics", text, "--execute"}), scratch);
  CHECK(guessed.status == 2);
  CHECK_THAT(guessed.err, Catch::Contains("  " + v2 + "-word-counts-changelog: \"" + app + "\"'s, or application \"" + v2 +
                                          "\" (a consumer group on the cluster)"));
  CHECK_THAT(guessed.err, Catch::Contains("  " + v2 + "-word-counts-repartition: "));
  CHECK_THAT(guessed.err, Catch::Contains("--topology"));
  // Naming my-app-v2's topic is refused too.
  const Tool named =
      RunStreamsReset(with({"--input-topics", text, "--internal-topics", v2 + "-word-counts-changelog", "--execute"}), scratch);
  CHECK(named.status == 2);
  CHECK_THAT(named.err, Catch::Contains("refusing to delete \"" + v2 + "-word-counts-changelog\""));
  for (const auto& t : topics) CHECK(admin.ListTopics().count(t) == 1);
  CHECK(admin.ListGroupOffsets(app).at({text, 0}) == 5);

  // With my-app's topology the set is exact: my-app's topics go, my-app-v2's topics and offsets stay.
  std::ifstream fixture(std::string(FIXTURES_DIR) + "/run/word-count/topology.json");
  std::stringstream json;
  json << fixture.rdbuf();
  std::string model = json.str();
  model.replace(model.find("\"text\""), 6, "\"" + text + "\"");
  model.replace(model.find("\"text\""), 6, "\"" + text + "\"");
  std::ofstream(scratch / "wc.topology.json") << model;
  const Tool exact = RunStreamsReset(with({"--topology", (scratch / "wc.topology.json").string(), "--execute"}), scratch);
  CHECK(exact.status == 0);
  CHECK_THAT(exact.out, Catch::Contains("[done] delete topic " + app + "-word-counts-changelog"));
  CHECK_THAT(exact.out, Catch::Contains("[done] delete topic " + app + "-word-counts-repartition"));
  CHECK_THAT(exact.out, Catch::Contains("Left alone (named like internal topics of this application"));
  const auto listed = admin.ListTopics();
  CHECK(listed.count(app + "-word-counts-changelog") == 0);
  CHECK(listed.count(app + "-word-counts-repartition") == 0);
  CHECK(listed.count(v2 + "-word-counts-changelog") == 1);
  CHECK(listed.count(v2 + "-word-counts-repartition") == 1);
  CHECK(admin.ListGroupOffsets(v2) == v2_before);
  CHECK(admin.ListGroupOffsets(app).at({text, 0}) == 0);

  // An idempotent rerun of the completed reset.
  const Tool again = RunStreamsReset(with({"--topology", (scratch / "wc.topology.json").string(), "--execute"}), scratch);
  CHECK(again.status == 0);
  CHECK(admin.ListGroupOffsets(v2) == v2_before);
  std::error_code ec;
  fs::remove_all(scratch, ec);
}
