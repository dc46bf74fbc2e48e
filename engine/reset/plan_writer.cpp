// engine/reset/plan_writer.cpp
// Text and JSON renderings of a reset plan and of its execution report.
#include "reset/plan_writer.h"

#include <string>

namespace streams::reset {

namespace {

std::string OffsetText(const std::optional<std::int64_t>& offset) {
  return offset ? std::to_string(*offset) : "(none)";
}

std::string Plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

void WritePlanText(const ResetPlan& plan, bool execute, std::ostream& out) {
  out << "Reset of application \"" << plan.application_id << "\""
      << (execute ? "" : " (dry run: nothing is changed; add --execute to apply)") << "\n";
  out << "Consumer group \"" << plan.application_id << "\": " << plan.group.state;
  if (plan.group.members.empty()) {
    out << ", no active members\n";
  } else {
    out << ", " << Plural(plan.group.members.size(), "active member", "active members") << ":\n";
    for (const auto& m : plan.group.members) out << "  " << DescribeMember(m) << "\n";
  }

  bool any_input = false, any_intermediate = false;
  for (const auto& m : plan.offsets) (m.kind == TopicKind::kInput ? any_input : any_intermediate) = true;
  for (const TopicKind kind : {TopicKind::kInput, TopicKind::kIntermediate}) {
    if (kind == TopicKind::kInput && !any_input) continue;
    if (kind == TopicKind::kIntermediate && !any_intermediate) continue;
    out << (kind == TopicKind::kInput ? "Input topic offsets (" + plan.offset_option + "):\n"
                                      : std::string("Intermediate topic offsets (to their end):\n"));
    for (const auto& m : plan.offsets) {
      if (m.kind != kind) continue;
      out << "  " << m.topic << "[" << m.partition << "]: " << OffsetText(m.old_offset) << " -> " << m.new_offset;
      if (m.old_offset == m.new_offset) out << " (unchanged)";
      if (!m.note.empty()) out << "  (" << m.note << ")";
      out << "\n";
    }
  }

  if (plan.deletions.empty()) {
    out << "Internal topics to delete: none\n";
  } else {
    out << "Internal topics to delete (" << plan.deletions.front().reason << "):\n";
    for (const auto& d : plan.deletions) out << "  " << d.topic << (d.exists ? "" : " (already absent)") << "\n";
  }
  if (!plan.kept_internal_topics.empty()) {
    out << "Kept (named like internal topics of this application but not in the topology; name them with "
           "--internal-topics to delete them):\n";
    for (const auto& t : plan.kept_internal_topics) out << "  " << t << "\n";
  }
  if (!plan.foreign_topics.empty()) {
    out << "Left alone (named like internal topics of this application, but another application's or maybe "
           "another's):\n";
    for (const auto& f : plan.foreign_topics) {
      out << "  " << f.topic << ": " << (f.owner == Owner::kOther ? "" : "maybe ") << ClaimsText(f.claims) << "\n";
    }
  }
  if (!plan.state_dir.empty()) {
    if (plan.remove_dirs.empty()) {
      out << "Local state directory " << plan.state_dir << ": already absent\n";
    } else {
      out << "Local state directories to remove:\n";
      for (const auto& d : plan.remove_dirs) out << "  " << d << "\n";
    }
  }
  for (const auto& n : plan.notes) out << "Note: " << n << "\n";
  out << "Summary: " << Plural(plan.ChangedOffsetCount(), "offset changes", "offsets change") << " (of "
      << plan.offsets.size() << "), " << Plural(plan.ExistingDeletionCount(), "topic", "topics") << " to delete, "
      << Plural(plan.remove_dirs.size(), "state directory", "state directories") << " to remove\n";
}

void WriteReportText(const ExecutionReport& report, std::ostream& out) {
  out << (report.Succeeded() ? "Reset done:\n" : "Reset FAILED part-way:\n");
  for (const auto& s : report.steps) {
    out << "  [" << ToString(s.status) << "] " << s.step;
    if (!s.detail.empty()) out << ": " << s.detail;
    out << "\n";
  }
  if (!report.Succeeded()) {
    out << "Steps marked \"done\" took effect; the others did not. Fix the cause and run the same command again: "
           "the reset is idempotent (topics already deleted and directories already removed are skipped).\n";
  }
}

nlohmann::json PlanToJson(const ResetPlan& plan, bool execute) {
  nlohmann::json j;
  j["application_id"] = plan.application_id;
  j["dry_run"] = !execute;
  j["offset_option"] = plan.offset_option;
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : plan.group.members) {
    members.push_back({{"member_id", m.member_id}, {"client_id", m.client_id}, {"host", m.host},
                       {"group_instance_id", m.group_instance_id}});
  }
  j["group"] = {{"state", plan.group.state}, {"members", members}};
  nlohmann::json offsets = nlohmann::json::array();
  for (const auto& m : plan.offsets) {
    offsets.push_back({{"topic", m.topic},
                       {"partition", m.partition},
                       {"kind", m.kind == TopicKind::kInput ? "input" : "intermediate"},
                       {"old", m.old_offset ? nlohmann::json(*m.old_offset) : nlohmann::json(nullptr)},
                       {"new", m.new_offset},
                       {"earliest", m.earliest},
                       {"latest", m.latest},
                       {"note", m.note}});
  }
  j["offsets"] = offsets;
  nlohmann::json deletions = nlohmann::json::array();
  for (const auto& d : plan.deletions) deletions.push_back({{"topic", d.topic}, {"exists", d.exists}, {"reason", d.reason}});
  j["delete_topics"] = deletions;
  j["kept_internal_topics"] = plan.kept_internal_topics;
  nlohmann::json foreign = nlohmann::json::array();
  for (const auto& f : plan.foreign_topics) {
    nlohmann::json claims = nlohmann::json::array();
    for (const auto& c : f.claims) claims.push_back({{"application_id", c.application_id}, {"evidence", c.evidence}});
    foreign.push_back({{"topic", f.topic}, {"certain", f.owner == Owner::kOther}, {"claims", claims}});
  }
  j["foreign_topics"] = foreign;
  j["state_dir"] = plan.state_dir;
  j["remove_dirs"] = plan.remove_dirs;
  j["notes"] = plan.notes;
  return j;
}

nlohmann::json ReportToJson(const ExecutionReport& report) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : report.steps) {
    steps.push_back({{"step", s.step}, {"status", ToString(s.status)}, {"detail", s.detail}});
  }
  return {{"succeeded", report.Succeeded()}, {"steps", steps}};
}

}  // namespace streams::reset
