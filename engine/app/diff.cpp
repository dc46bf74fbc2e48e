#include "app/diff.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "common/error.h"
#include "config/property_check.h"
#include "diff/config_changes.h"
#include "diff/context.h"
#include "diff/format/diff_renderer.h"
#include "diff/format/side_by_side.h"
#include "diff/report.h"
#include "topology_file/loader.h"

#include "app/load_topology.h"
#include "app/output.h"
#include "app/run.h"

namespace streams::app {

namespace {

constexpr const char* kTool = "streams-diff";

std::string Join(const std::vector<std::string_view>& items) {
  std::string out;
  for (auto i : items) out += (out.empty() ? "" : ", ") + std::string(i);
  return out;
}

//! "TOPIC=N" -> options.partitions; an InputError naming the argument otherwise.
void ParsePartitions(const std::vector<std::string>& args, topology_file::LoadOptions& options) {
  for (const auto& arg : args) {
    const size_t eq = arg.rfind('=');
    bool ok = eq != std::string::npos && eq > 0 && eq + 1 < arg.size() && eq + 10 > arg.size();
    int n = 0;
    for (size_t i = eq + 1; ok && i < arg.size(); ++i) {
      ok = arg[i] >= '0' && arg[i] <= '9';
      n = n * 10 + (arg[i] - '0');
    }
    if (!ok || n < 1) throw InputError("--partitions expects TOPIC=N with N >= 1, got \"" + arg + "\"");
    options.partitions[arg.substr(0, eq)] = n;
  }
}

struct Versions {
  model::Topology old_topology, new_topology;
};

//! OLD and NEW as read once (files, stdin, or versions in git).
struct Inputs {
  TopologyInput old_input, new_input;
};

Versions LoadVersions(const Inputs& inputs, const topology_file::LoadOptions& old_load,
                      const topology_file::LoadOptions& new_load) {
  Versions v{LoadTopologyInput(inputs.old_input, old_load), LoadTopologyInput(inputs.new_input, new_load)};
  model::Topology& old_topology = v.old_topology;
  model::Topology& new_topology = v.new_topology;
  // Neither version names its application (both fell back to their file names): they are the same one.
  if (old_topology.application_id != new_topology.application_id &&
      old_topology.application_id == inputs.old_input.DefaultApplicationId() &&
      new_topology.application_id == inputs.new_input.DefaultApplicationId()) {
    new_topology.SetApplicationId(old_topology.application_id);
  }
  // A describe() text does not say its application.id: it is the other version's.
  const bool old_named = old_topology.config.count("application.id") > 0;
  const bool new_named = new_topology.config.count("application.id") > 0;
  if (!old_named && new_named) old_topology.SetApplicationId(new_topology.application_id);
  if (old_named && !new_named) new_topology.SetApplicationId(old_topology.application_id);
  return v;
}

std::string FindingKey(const diff::Finding& f) { return f.rule + "|" + f.location.ToString() + "|" + f.message; }

//! A finding is caused by a configuration change when it goes away once the new version is given the old value of
//! that property: each such finding names the change as its cause ("topology.optimization changed from none to all
//! in new.properties:3"). application.id names every internal topic, so only application-id-changed is its.
void NameConfigCauses(const Inputs& inputs, const topology_file::LoadOptions& old_load,
                      const topology_file::LoadOptions& new_load, const Versions& versions,
                      const diff::DiffSettings& settings, diff::DiffReport& report) {
  for (const auto& change : diff::ConfigChanges(versions.old_topology, versions.new_topology, true)) {
    std::set<std::string> without;
    if (change.name != "application.id") {
      const std::string old_value = change.OldEffective();
      if (!change.old_value && old_value.empty()) continue;  // nothing to give the new version instead
      topology_file::LoadOptions counterfactual = new_load;
      counterfactual.config_overrides[change.name] = config::Property{old_value, change.old_where};
      const Versions alt = LoadVersions(inputs, old_load, counterfactual);
      const diff::DiffContext context(alt.old_topology, alt.new_topology, inputs.old_input.name, inputs.new_input.name);
      for (const auto& f : diff::Diff(context, settings).findings) without.insert(FindingKey(f));
    }
    for (auto& f : report.findings) {
      if (f.rule == "config-changed") continue;
      const bool caused = change.name == "application.id" ? f.rule == "application-id-changed"
                                                           : without.count(FindingKey(f)) == 0;
      if (caused) f.cause = change.Text() + (f.cause.empty() ? "" : "; " + f.cause);
    }
  }
}

void WriteFile(const std::string& path, const std::string& content) { WriteOutputFile(path, content); }

}  // namespace

int RunDiff(const DiffOptions& given, std::ostream& out, std::ostream& err) {
  try {
    DiffOptions options = given;
    if (options.format.empty() && !options.output.empty()) {
      options.format = FormatFromExtension(options.output, {{".json", "json"}, {".md", "markdown"}, {".xml", "junit"},
                                                            {".txt", "text"}});
    }
    if (options.format.empty()) options.format = "text";
    if (options.list_rules) {
      const auto& formats = diff::RuleListFormats();
      if (std::find(formats.begin(), formats.end(), options.format) == formats.end()) {
        throw InputError("--list-rules prints text, markdown or json, not \"" + options.format + "\"");
      }
      const std::string text = diff::RenderRuleList(options.format);
      if (options.output.empty()) {
        out << text;
      } else {
        WriteFile(options.output, text);
      }
      return 0;
    }
    if (options.old_path.empty() || options.new_path.empty()) {
      throw InputError("two topologies are needed: streams-diff OLD NEW (topology files or describe texts)");
    }
    auto renderer = diff::MakeDiffRenderer(options.format);
    if (!renderer) {
      throw InputError("unknown --format \"" + options.format + "\" (" + Join(diff::DiffFormats()) + ")");
    }
    const auto allowed = diff::ParseVerdict(options.allow);
    if (!allowed) {
      throw InputError("unknown --allow verdict \"" + options.allow +
                       "\" (compatible, offline-upgrade, drain-required, reset-required)");
    }
    if (!options.render.empty() && !diff::SideBySideFormatOf(options.render)) {
      throw InputError("--render writes a .svg or .html file, not \"" + options.render + "\"");
    }

    diff::DiffSettings settings;
    settings.allowed = *allowed;
    settings.strict = options.strict;
    settings.path_prefix = options.path_prefix;
    const Inputs inputs{ReadTopologyInput(options.old_path), ReadTopologyInput(options.new_path)};
    settings.plan.old_file = inputs.old_input.name;
    for (const auto* input : {&inputs.old_input, &inputs.new_input}) {
      if (!input->repository_path.empty()) settings.repository_paths[input->name] = input->repository_path;
    }
    // Precedence, lowest first: each topology file's "config", --config and -X (both versions), then --old-config
    // or --new-config (one version); --application-id over all of them.
    topology_file::LoadOptions old_load;
    old_load.config_overrides = config::LoadOverrides(options.config, options.properties);
    ParsePartitions(options.partitions, old_load);
    topology_file::LoadOptions new_load = old_load;
    if (!options.old_config.empty()) config::Overlay(old_load.config_overrides, config::LoadConfigFile(options.old_config));
    if (!options.new_config.empty()) config::Overlay(new_load.config_overrides, config::LoadConfigFile(options.new_config));
    if (!options.application_id.empty()) {
      const config::Property id{options.application_id, SourceLocation{"--application-id"}};
      old_load.config_overrides["application.id"] = id;
      new_load.config_overrides["application.id"] = id;
    }
    settings.plan.config_file = !options.config.empty() ? options.config : options.old_config;
    settings.plan.old_config_file = options.old_config;
    settings.plan.config = config::Values(old_load.config_overrides);

    const Versions versions = LoadVersions(inputs, old_load, new_load);
    const diff::DiffContext context(versions.old_topology, versions.new_topology, inputs.old_input.name,
                                    inputs.new_input.name);
    diff::DiffReport report = diff::Diff(context, settings);
    // A describe() text does not say how its application was configured: only two topology files are compared.
    if (context.detailed()) NameConfigCauses(inputs, old_load, new_load, versions, settings, report);
    const std::string text = renderer->Render(report, context);
    if (options.output.empty()) {
      out << text;
    } else {
      WriteFile(options.output, text);
    }
    if (!options.render.empty()) WriteFile(options.render, diff::RenderSideBySide(report, context, options.render));
    return report.exit_code();
  } catch (const InputError& e) {
    err << kTool << ": " << e.what() << "\n";
    return 2;
  }
}

}  // namespace streams::app
