#include "app/diff.h"

#include <algorithm>
#include <sstream>

#include "common/error.h"
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

model::Topology Load(const std::string& path, const topology_file::LoadOptions& options) {
  return LoadTopology(path, options);
}

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

    topology_file::LoadOptions load;
    diff::DiffSettings settings;
    settings.allowed = *allowed;
    settings.strict = options.strict;
    settings.path_prefix = options.path_prefix;
    settings.plan.old_file = options.old_path;
    settings.plan.config_file = options.config;
    if (!options.config.empty() || !options.properties.empty()) {
      load.config_overrides = CommandLineProperties(options.config, options.properties);
      settings.plan.config = load.config_overrides;
    }
    if (!options.application_id.empty()) {
      load.config_overrides["application.id"] = options.application_id;
      settings.plan.config["application.id"] = options.application_id;
    }
    ParsePartitions(options.partitions, load);
    model::Topology old_topology = Load(options.old_path, load);
    model::Topology new_topology = Load(options.new_path, load);
    // Neither version names its application (both fell back to their file names): they are the same one.
    if (old_topology.application_id != new_topology.application_id &&
        old_topology.application_id == topology_file::DefaultApplicationId(options.old_path) &&
        new_topology.application_id == topology_file::DefaultApplicationId(options.new_path)) {
      new_topology.SetApplicationId(old_topology.application_id);
    }
    // A describe() text does not say its application.id: it is the other version's.
    const bool old_named = old_topology.config.count("application.id") > 0;
    const bool new_named = new_topology.config.count("application.id") > 0;
    if (!old_named && new_named) old_topology.SetApplicationId(new_topology.application_id);
    if (old_named && !new_named) new_topology.SetApplicationId(old_topology.application_id);

    const diff::DiffContext context(old_topology, new_topology, options.old_path, options.new_path);
    const diff::DiffReport report = diff::Diff(context, settings);
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
