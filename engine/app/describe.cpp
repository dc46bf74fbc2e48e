// engine/app/describe.cpp
// streams-describe: load a topology file or describe() text and print it in the chosen format.
#include "app/describe.h"

#include <fstream>

#include "app/load_topology.h"
#include "app/naming_lint.h"
#include "config/property_check.h"
#include "describe/describe_text_writer.h"
#include "format/json_writer.h"
#include "format/mermaid_writer.h"
#include "render/graphviz_renderer.h"

namespace streams::app {

std::string RenderDescription(const model::Topology& topology, const std::string& format) {
  if (format == "text") return describe::WriteDescribeText(topology);
  if (format == "json") return format::WriteJson(topology);
  if (format == "mermaid") return format::WriteMermaid(topology);
  if (format == "dot") return render::RenderTopology(topology, render::ImageFormat::kDot);
  if (format == "svg") return render::RenderTopology(topology, render::ImageFormat::kSvg);
  if (format == "png") return render::RenderTopology(topology, render::ImageFormat::kPng);
  throw InputError("unknown format '" + format + "' (text, json, dot, svg, png, mermaid)");
}

int RunDescribe(const DescribeOptions& options, std::ostream& out, std::ostream& err) {
  std::string rendered;
  int status = 0;
  try {
    topology_file::LoadOptions load;
    load.config_overrides = config::LoadOverrides(options.config);
    const model::Topology topology = LoadTopology(options.input, load);
    const std::string name = options.input == "-" ? "<stdin>" : options.input;
    if (options.lint) {
      rendered = RenderNamingLint(topology, name, options.format);
      status = UnnamedResources(topology, name).empty() ? 0 : 1;
    } else {
      CheckExplicitNaming(topology, name);
      rendered = RenderDescription(topology, options.format);
    }
  } catch (const InputError& e) {
    err << "streams-describe: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "streams-describe: " << e.what() << "\n";
    return 1;
  }
  if (options.output.empty() || options.output == "-") {
    out << rendered;
    out.flush();
    return out ? status : 1;
  }
  std::ofstream file(options.output, std::ios::binary);
  file << rendered;
  file.close();
  if (!file) {
    err << "streams-describe: " << options.output << ": cannot write the output file\n";
    return 1;
  }
  return status;
}

}  // namespace streams::app
