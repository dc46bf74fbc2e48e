#include "diff/plan/upgrade_plan.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "diff/config_changes.h"
#include "diff/rules/rule_helpers.h"

namespace streams::diff {

namespace {

void AddUnique(std::vector<std::string>& list, const std::string& item) {
  if (!item.empty() && std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

//! `word` as one shell word: quoted when it holds anything but letters, digits and ._-=,:/@+
std::string ShellWord(const std::string& word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("._-=,:/@+").find(c) != std::string_view::npos;
  });
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool Has(const std::vector<Finding>& findings, std::string_view rule) {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule == rule; });
}

//! The topics of findings of `rule` on one side.
std::vector<std::string> TopicsOf(const std::vector<Finding>& findings, std::string_view rule, bool old_side) {
  std::vector<std::string> out;
  for (const auto& f : findings) {
    if (f.rule != rule) continue;
    for (const auto& t : (old_side ? f.old_side : f.new_side).topics) AddUnique(out, t);
  }
  return out;
}

class Planner {
 public:
  Planner(const DiffContext& c, const std::vector<Finding>& findings, const PlanSettings& s)
      : c_(c), findings_(findings), s_(s) {
    app_ = ApplicationIdForCommands(c.old_topology());
    new_app_ = ApplicationIdForCommands(c.new_topology());
    bootstrap_ = Setting("bootstrap.servers", "${BOOTSTRAP_SERVERS}");
    state_dir_ = Setting("state.dir", kDefaultStateDir);
    config_ = s.config_file.empty() ? "app.properties" : s.config_file;
    for (const auto& t : c.new_topology().topics) {
      if (t.role == model::TopicRole::kSource && IsInputTopic(t)) inputs_.push_back(t.name);
      if (t.role == model::TopicRole::kIntermediate) intermediates_.push_back(t.name);
      if (IsOutputTopic(t)) outputs_.push_back(t.name);
    }
  }

  UpgradePlan Plan(Verdict verdict) {
    UpgradePlan plan;
    plan.verdict = verdict;
    switch (verdict) {
      case Verdict::kCompatible: break;
      case Verdict::kOfflineUpgrade: Offline(plan); break;
      case Verdict::kDrainRequired: Drain(plan); break;
      case Verdict::kResetRequired:
        if (app_ != new_app_ && !app_.empty() && !new_app_.empty()) {
          NewApplication(plan);
        } else {
          Reset(plan);
        }
        break;
    }
    return plan;
  }

 private:
  std::string Setting(const std::string& key, const std::string& fallback) const {
    auto it = s_.config.find(key);
    return it == s_.config.end() || it->second.empty() ? fallback : it->second;
  }

  std::string ResetCommand(const std::string& app, const std::string& args, const std::string& mode) const {
    return "streams-reset --application-id " + app + " --bootstrap-server " + bootstrap_ + args + " " + mode;
  }

  PlanStep Stop() const {
    return {"Stop every instance of the old version",
            "Shut each instance down cleanly (it flushes its stores, commits, and writes checkpoints), then wait "
            "until the consumer group " + app_ + " has no active members.",
            {"kafka-consumer-groups --bootstrap-server " + bootstrap_ + " --describe --group " + app_ + " --members"}};
  }

  PlanStep Start(const std::string& detail) const {
    return {"Start the new version on every instance", detail, {}};
  }

  //! Internal topics the new version no longer uses (renamed or removed repartition topics, orphaned
  //! changelogs): deleted while no instance runs.
  void Cleanup(UpgradePlan& plan) const {
    std::vector<std::string> orphans = TopicsOf(findings_, "repartition-topic-renamed", true);
    for (const auto& t : TopicsOf(findings_, "repartition-topic-removed", true)) AddUnique(orphans, t);
    for (const auto& f : findings_) {
      if (f.rule == "store-removed" || f.rule == "changelog-topic-removed" ||
          f.rule == "changelog-replaced-by-source-topic") {
        for (const auto& t : f.old_side.topics) AddUnique(orphans, t);
      }
    }
    if (orphans.empty()) return;
    const std::string args = " --internal-topics " + JoinNames(orphans, ",");
    plan.steps.push_back({"Delete the internal topics the new version no longer uses",
                          "Preview, then delete (no instance may run): " + JoinNames(orphans) + ".",
                          {ResetCommand(app_, args, "--dry-run"), ResetCommand(app_, args, "--execute")}});
  }

  std::string RestoreNote() const {
    if (Has(findings_, "subtopology-renumbered") || Has(findings_, "subtopology-merged") ||
        Has(findings_, "subtopology-split")) {
      return " Tasks whose ids moved restore their stores from the changelogs before processing resumes.";
    }
    return "";
  }

  //! store-segment-interval-changed: the new version must not open the segments the old one wrote.
  PlanStep RemoveLocalState() const {
    std::vector<std::string> stores;
    for (const auto& f : findings_) {
      if (f.rule == "store-segment-interval-changed") {
        for (const auto& s : f.new_side.stores) AddUnique(stores, s);
      }
    }
    return {"Remove the local state on every machine that ran an instance",
            "The segments of " + JoinNames(stores) + " were written under another segment interval; the new version "
            "must start without them (and without the tasks' checkpoint files, which would say the stores are up to "
            "date). Run the command on every machine: it removes " + state_dir_ + "/" + app_ +
                ", and the new version restores every store from its changelog.",
            {ResetCommand(app_, " --state-dir " + state_dir_, "--execute")}};
  }

  void Offline(UpgradePlan& plan) const {
    plan.steps.push_back(Stop());
    const auto added = TopicsOf(findings_, "input-topic-added", false);
    if (!added.empty()) {
      std::vector<std::string> described;
      for (const auto& name : added) {
        const auto* t = c_.new_topology().FindTopic(name);
        described.push_back(name + (t && t->partitions ? " (" + PartitionText(t->partitions) + ")" : ""));
      }
      plan.steps.push_back({"Make sure the new input topics exist",
                            JoinNames(described) + ". The new version reads them from auto.offset.reset (Kafka "
                            "Streams' default: earliest).",
                            {}});
    }
    const bool wipe = Has(findings_, "store-segment-interval-changed");
    if (wipe) plan.steps.push_back(RemoveLocalState());
    Cleanup(plan);
    std::string start = "It resumes from the committed offsets of the group " + app_ + ".";
    if (wipe) {
      start += " Every task first restores its stores from their changelogs into the empty state directory.";
    } else {
      start += RestoreNote();
    }
    for (const auto& f : findings_) {
      if (f.rule != "changelog-replaced-by-source-topic") continue;
      for (const auto& store : f.new_side.stores) {
        const auto* s = c_.new_topology().FindStore(store);
        if (!s) continue;
        start += " Its first start restores " + store + " by reading " + s->source_topic_changelog +
                 " from the beginning.";
        plan.data_reprocessed.push_back("every retained record of " + s->source_topic_changelog + ", read to restore " +
                                        store + " (restoring writes nothing to the output topics)");
      }
    }
    plan.steps.push_back(Start(start));
    for (const auto& t : TopicsOf(findings_, "input-topic-removed", true)) {
      plan.data_lost.push_back("records of " + t + " that the old version had not processed when it stopped");
    }
    if (wipe) {
      for (const auto& s : c_.old_topology().stores) {
        if (s.changelog_topic.empty() && s.source_topic_changelog.empty() && !s.global && s.persistent) {
          plan.data_lost.push_back("the contents of store " + s.name +
                                   ", which has no changelog to restore it from after the local state is removed");
        }
      }
    }
    if (Has(findings_, "changelog-topic-removed")) {
      plan.data_lost.push_back("the state of stores without a changelog on any task that starts on another machine");
    }
    if (plan.data_lost.empty()) plan.data_lost.push_back("nothing");
    if (plan.data_reprocessed.empty()) plan.data_reprocessed.push_back("nothing: processing resumes from the committed offsets");
  }

  //! " -X NAME=VALUE" for every property the drain must run with so that it builds the old version's topology
  //! whatever the --config file holds: each property that differs between the versions (at the old value), and
  //! what --old-config sets when the drain reads another file.
  std::string DrainPins() const {
    std::map<std::string, std::string> pins;
    const auto& old_topology = c_.old_topology();
    if (!s_.old_config_file.empty() && s_.old_config_file != config_) {
      for (const auto& [name, where] : old_topology.config_origins) {
        if (where.file == s_.old_config_file) pins[name] = old_topology.config.at(name);
      }
    }
    for (const auto& change : ConfigChanges(old_topology, c_.new_topology())) {
      const std::string value = change.OldEffective();
      if (change.old_value || !value.empty()) pins[change.name] = value;
    }
    std::string out;
    for (const auto& [name, value] : pins) out += " -X " + ShellWord(name + "=" + value);
    return out;
  }

  void Drain(UpgradePlan& plan) const {
    plan.steps.push_back(Stop());
    std::vector<std::string> drained;
    for (const auto& rule : {"repartition-topic-renamed", "repartition-topic-removed", "repartition-format-changed"}) {
      for (const auto& t : TopicsOf(findings_, rule, true)) AddUnique(drained, t);
    }
    const std::string pins = DrainPins();
    plan.steps.push_back({"Drain the repartition topics with the old version",
                          "streams-drain runs the old topology with its input topics paused until every repartition "
                          "partition is consumed and committed (" + JoinNames(drained) +
                              "), then stops. Do not go on unless it exits with status 0." +
                              (pins.empty() ? "" : " The -X options pin the old version's configuration, whatever " +
                                                       config_ + " holds by then."),
                          {"streams-drain " + s_.old_file + " --config " + config_ + pins}});
    if (Has(findings_, "store-segment-interval-changed")) plan.steps.push_back(RemoveLocalState());
    Cleanup(plan);
    plan.steps.push_back(Start("It resumes from the committed offsets; the repartition topics it reads hold no "
                               "record in the old format or under the old name." + RestoreNote()));
    plan.data_lost.push_back("nothing, once the drain completes");
    plan.data_reprocessed.push_back("nothing: input records that arrive during the upgrade wait in the input topics");
  }

  std::vector<std::string> InternalTopics() const {
    std::vector<std::string> out;
    for (const auto* t : {&c_.old_topology(), &c_.new_topology()}) {
      for (const auto& topic : t->topics) {
        if (topic.internal()) AddUnique(out, topic.full_name);
      }
    }
    return out;
  }

  void Reset(UpgradePlan& plan) const {
    plan.steps.push_back(Stop());
    std::string args;
    if (!inputs_.empty()) args += " --input-topics " + JoinNames(inputs_, ",");
    if (!intermediates_.empty()) args += " --intermediate-topics " + JoinNames(intermediates_, ",");
    const auto internal = InternalTopics();
    if (!internal.empty()) args += " --internal-topics " + JoinNames(internal, ",");
    args += " --to-earliest --state-dir " + state_dir_;
    plan.steps.push_back({"Preview the reset",
                          "Nothing changes yet: the tool prints every offset it would move, every topic it would "
                          "delete and every directory it would remove.",
                          {ResetCommand(app_, args, "--dry-run")}});
    plan.steps.push_back({"Reset the application",
                          "Moves the group's offsets on the input topics to the earliest retained records, the "
                          "intermediate topics to their end, deletes the internal topics of both versions and this "
                          "machine's state directory.",
                          {ResetCommand(app_, args, "--execute")}});
    plan.steps.push_back({"Remove the local state on every other machine that ran an instance", "",
                          {ResetCommand(app_, " --state-dir " + state_dir_, "--execute")}});
    plan.steps.push_back(Start("It reprocesses the input from the earliest retained records and rebuilds every "
                               "store and internal topic."));
    for (const auto& f : findings_) {
      if (f.severity != Verdict::kResetRequired) continue;
      for (const auto& s : f.old_side.stores) {
        AddUnique(plan.data_lost, "the contents of store " + s + " that came from input records no longer retained");
      }
    }
    AddUnique(plan.data_lost, "records of the deleted internal topics: they are recomputed from the input");
    if (!inputs_.empty()) {
      plan.data_reprocessed.push_back("every retained record of " + JoinNames(inputs_));
    }
    if (!outputs_.empty()) {
      plan.data_reprocessed.push_back("results written again to " + JoinNames(outputs_) +
                                      ": downstream consumers see them twice");
    }
  }

  void NewApplication(UpgradePlan& plan) const {
    plan.steps.push_back(Stop());
    plan.steps.push_back(Start("It runs as the new application " + new_app_ +
                               ": a new consumer group that starts from auto.offset.reset (Kafka Streams' default: "
                               "earliest), with empty stores."));
    std::vector<std::string> old_internal;
    for (const auto& topic : c_.old_topology().topics) {
      if (topic.internal()) old_internal.push_back(topic.full_name);
    }
    std::string args;
    if (!old_internal.empty()) args += " --internal-topics " + JoinNames(old_internal, ",");
    args += " --state-dir " + state_dir_;
    plan.steps.push_back({"Remove the old application " + app_,
                          "Its consumer group, internal topics and local state are no longer used (run the last "
                          "command on every machine that ran an instance).",
                          {ResetCommand(app_, args, "--dry-run"), ResetCommand(app_, args, "--execute")}});
    plan.data_lost.push_back("the state of " + app_ + ": the new application starts with empty stores");
    plan.data_reprocessed.push_back("with auto.offset.reset=earliest, every retained input record, and its results "
                                    "written again to the output topics");
  }

  const DiffContext& c_;
  const std::vector<Finding>& findings_;
  const PlanSettings& s_;
  std::string app_, new_app_, bootstrap_, state_dir_, config_;
  std::vector<std::string> inputs_, intermediates_, outputs_;
};

}  // namespace

UpgradePlan PlanUpgrade(const DiffContext& context, const std::vector<Finding>& findings, Verdict verdict,
                        const PlanSettings& settings) {
  return Planner(context, findings, settings).Plan(verdict);
}

}  // namespace streams::diff
