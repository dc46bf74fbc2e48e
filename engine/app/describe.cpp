// engine/app/describe.cpp
// streams-describe: load a topology file or describe() text and print it in the chosen format.
#include "app/describe.h"

#include "app/exit_status.h"
#include "app/load_topology.h"
#include "app/naming_lint.h"
#include "app/output.h"
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
  return RunWithExitStatus("streams-describe", err, [&] {
    const bool to_stdout = options.output.empty() || options.output == "-";
    std::string format = options.format;
    if (format.empty() && !to_stdout) {
      format = FormatFromExtension(options.output, {{".png", "png"}, {".svg", "svg"}, {".dot", "dot"}, {".gv", "dot"},
                                                    {".json", "json"}, {".mmd", "mermaid"}, {".txt", "text"}});
    }
    if (format.empty()) format = "text";
    if (format == "png" && to_stdout && options.stdout_is_terminal) {
      throw InputError("--format png is binary: refusing to write it to a terminal (give -o FILE.png or redirect stdout)");
    }
    topology_file::LoadOptions load;
    load.config_overrides = config::LoadOverrides(options.config, options.properties);
    if (!options.application_id.empty()) {
      load.config_overrides["application.id"] = config::Property{options.application_id, SourceLocation{"--application-id"}};
    }
    const model::Topology topology = LoadTopology(options.input, load);
    const std::string name = options.input == "-" ? "<stdin>" : options.input;
    int status = kExitOk;
    std::string rendered;
    if (options.lint) {
      rendered = RenderNamingLint(topology, name, format);
      status = UnnamedResources(topology, name).empty() ? kExitOk : kExitFailure;
    } else {
      CheckExplicitNaming(topology, name);
      rendered = RenderDescription(topology, format);
    }
    if (!to_stdout) {
      WriteOutputFile(options.output, rendered);
      return status;
    }
    out << rendered;
    out.flush();
    return out ? status : kExitFailure;
  });
}

}  // namespace streams::app
