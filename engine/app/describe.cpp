// engine/app/describe.cpp
// streams-describe: load a topology file or describe() text and print it in the chosen format.
#include "app/describe.h"

#include "app/exit_status.h"
#include "app/load_topology.h"
#include "app/output.h"
#include "app/run.h"
#include "config/properties_file.h"
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
    load.config_overrides = CommandLineProperties(options.config, options.properties);
    if (!options.application_id.empty()) load.config_overrides["application.id"] = options.application_id;
    const model::Topology topology = LoadTopology(options.input, load);
    const std::string rendered = RenderDescription(topology, format);
    if (!to_stdout) {
      WriteOutputFile(options.output, rendered);
      return kExitOk;
    }
    out << rendered;
    out.flush();
    return out ? kExitOk : kExitFailure;
  });
}

}  // namespace streams::app
