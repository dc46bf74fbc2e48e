// Benchmark: streams-diff on two generated topologies of about 2,000 nodes each, the new one with a few dozen
// changes (inserted filters that shift every generated name after them, changed logic, new branches, removed
// peeks, re-keyed aggregations, input partition counts). Prints milliseconds per step (median of several runs).
// Target: matching, rules and plan under 200 ms.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "diff/context.h"
#include "diff/format/diff_renderer.h"
#include "diff/report.h"
#include "dsl/streams_builder.h"
#include "timing.h"

using namespace streams;
using bench::TimeMs;

namespace {

dsl::Logic L(const std::string& jq) { return {jq, {}}; }

struct Changes {
  std::set<int> insert_filter;  //!< a filter before groupByKey: every generated name after it moves
  std::set<int> change_logic;   //!< another mapValues mapper
  std::set<int> add_branch;     //!< a new branch filter -> to(extra-i) after the last operation
  std::set<int> remove_peek;    //!< the peek before selectKey is gone
  std::set<int> rekey;          //!< the aggregation re-keys by another field (same formats)
  std::set<int> more_partitions;  //!< input-i has 12 partitions instead of 6
};

// Each chain: source -> filter -> mapValues -> peek -> selectKey -> groupByKey().count() (repartition) ->
// toStream -> filter -> mapValues -> peek -> to; every 4th chain also joins the previous chain's table.
model::Topology Generate(int chains, const Changes& c) {
  dsl::StreamsBuilder b;
  std::vector<dsl::KTable> tables;
  for (int i = 0; i < chains; ++i) {
    const std::string in = "input-" + std::to_string(i);
    b.DeclareTopic(in, c.more_partitions.count(i) ? 12 : 6);
    auto s = b.Stream({in}).Filter(L("true")).MapValues(L(c.change_logic.count(i) ? ".v2" : "."));
    if (!c.remove_peek.count(i)) s = s.Peek(L("."));
    s = s.SelectKey(L(c.rekey.count(i) ? ".customer" : ".id"));
    if (c.insert_filter.count(i)) s = s.Filter(L(". != null"));
    auto table = s.GroupByKey().Count();
    auto out = table.ToStream().Filter(L("true")).MapValues(L(".")).Peek(L("."));
    if (i % 4 == 3 && !tables.empty()) out = out.Join(dsl::JoinKind::kLeft, tables.back(), L("$left"));
    out.To("output-" + std::to_string(i));
    if (c.add_branch.count(i)) out.Filter(L(". > 100")).To("extra-" + std::to_string(i));
    tables.push_back(table);
  }
  return b.Build({{"application.id", "bench"}});
}

}  // namespace

int main() {
  const int chains = 141;  // about 14 nodes a chain (+ joins): about 2,000 nodes
  Changes changes;
  changes.insert_filter = {20, 60, 100};
  changes.change_logic = {3, 17, 31, 45, 59, 73, 87, 101, 115, 124};
  changes.add_branch = {5, 25, 50, 75, 120};
  changes.remove_peek = {8, 38, 68, 98, 118};
  changes.rekey = {12, 44, 76, 108};
  changes.more_partitions = {2, 64, 90};
  const size_t change_count = changes.insert_filter.size() + changes.change_logic.size() + changes.add_branch.size() +
                              changes.remove_peek.size() + changes.rekey.size() + changes.more_partitions.size();
  const model::Topology old_topology = Generate(chains, {});
  const model::Topology new_topology = Generate(chains, changes);

  diff::DiffReport report;
  const double match = TimeMs([&] { (void)diff::MatchTopologies(old_topology, new_topology); }, 7);
  const double full = TimeMs(
      [&] {
        const diff::DiffContext context(old_topology, new_topology, "old.topology.json", "new.topology.json");
        report = diff::Diff(context, {});
      },
      7);
  const diff::DiffContext context(old_topology, new_topology, "old.topology.json", "new.topology.json");
  size_t text_bytes = 0, json_bytes = 0, markdown_bytes = 0;
  const double text = TimeMs([&] { text_bytes = diff::MakeTextRenderer()->Render(report, context).size(); }, 7);
  const double json = TimeMs([&] { json_bytes = diff::MakeJsonRenderer()->Render(report, context).size(); }, 7);
  const double markdown = TimeMs([&] { markdown_bytes = diff::MakeMarkdownRenderer()->Render(report, context).size(); }, 7);

  std::printf("old: %zu nodes, %zu stores, %zu topics; new: %zu nodes, %zu stores, %zu topics; %zu changes\n",
              old_topology.nodes.size(), old_topology.stores.size(), old_topology.topics.size(),
              new_topology.nodes.size(), new_topology.stores.size(), new_topology.topics.size(), change_count);
  std::map<std::string, int> by_rule;
  for (const auto& f : report.findings) ++by_rule[f.rule];
  std::string rules;
  for (const auto& [rule, n] : by_rule) rules += (rules.empty() ? "" : ", ") + rule + " " + std::to_string(n);
  std::printf("verdict %s, %zu findings: %s\n", diff::ToString(report.verdict), report.findings.size(), rules.c_str());
  std::printf("%-34s %10s %12s\n", "step", "ms", "bytes");
  std::printf("%-34s %10.1f %12s\n", "match (structure)", match, "-");
  std::printf("%-34s %10.1f %12s\n", "diff (match + rules + plan)", full, "-");
  std::printf("%-34s %10.1f %12zu\n", "render text", text, text_bytes);
  std::printf("%-34s %10.1f %12zu\n", "render json", json, json_bytes);
  std::printf("%-34s %10.1f %12zu\n", "render markdown (with Mermaid)", markdown, markdown_bytes);
  const bool ok = full < 200;
  std::printf("target: diff under 200 ms: %s\n", ok ? "met" : "NOT met");
  return ok ? 0 : 1;
}
