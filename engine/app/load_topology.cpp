#include "app/load_topology.h"

#include <iostream>
#include <sstream>

#include "app/git_revision.h"
#include "common/text_file.h"
#include "describe/describe_text_parser.h"

namespace streams::app {

model::Topology LoadTopologyText(const std::string& text, const std::string& name,
                                 const topology_file::LoadOptions& options) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (text[first] == '{' || text[first] == '[')) {
    return topology_file::LoadTopologyFile(text, name, options);
  }
  if (describe::LooksLikeDescribeText(text)) {
    // The text does not say its application.id; without one given, it stays unknown (never the file name).
    const auto app_id = options.config_overrides.find("application.id");
    model::Topology topology = describe::ParseDescribeText(
        text, name, app_id != options.config_overrides.end() ? app_id->second.value : std::string());
    if (app_id != options.config_overrides.end()) topology.config["application.id"] = app_id->second.value;
    topology.SetApplicationId(app_id != options.config_overrides.end() ? app_id->second.value : std::string());
    for (const auto& [topic, partitions] : options.partitions) {
      for (auto& t : topology.topics) {
        if (t.name == topic) t.partitions = partitions;
      }
    }
    return topology;
  }
  if (first == std::string::npos) throw InputError(SourceLocation{name}, "the file is empty");
  throw InputError(SourceLocation{name, 1, 1},
                   "neither a topology file (a JSON object) nor a Kafka Streams describe() text (starting with "
                   "\"Topologies:\")");
}

std::string TopologyInput::DefaultApplicationId() const {
  return topology_file::DefaultApplicationId(repository_path.empty() ? name : repository_path);
}

TopologyInput ReadTopologyInput(const std::string& path) {
  if (path == "-") {
    std::stringstream buffer;
    buffer << std::cin.rdbuf();
    return {StripByteOrderMark(buffer.str()), "<stdin>", ""};
  }
  if (IsGitRevisionArgument(path)) {
    GitRevisionFile file = ReadGitRevision(path);
    return {std::move(file.text), file.Name(), file.path};
  }
  return {ReadTextFile(path, "the topology"), path, ""};
}

model::Topology LoadTopologyInput(const TopologyInput& input, const topology_file::LoadOptions& options) {
  topology_file::LoadOptions with_default = options;
  if (with_default.default_application_id.empty()) with_default.default_application_id = input.DefaultApplicationId();
  return LoadTopologyText(input.text, input.name, with_default);
}

model::Topology LoadTopology(const std::string& path, const topology_file::LoadOptions& options) {
  return LoadTopologyInput(ReadTopologyInput(path), options);
}

}  // namespace streams::app
