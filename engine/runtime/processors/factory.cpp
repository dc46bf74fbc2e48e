// engine/runtime/processors/factory.cpp
// The one map from a node's DSL operation (`op`, docs/topology-file.md) to its processor.
#include "common/error.h"
#include "runtime/processors/processors.h"

namespace streams::runtime {

std::unique_ptr<Processor> MakeProcessor(const model::Node& node) {
  using namespace processors;
  std::unique_ptr<Processor> p;
  const std::string& op = node.op;
  if (node.kind == model::NodeKind::kSource) {
    p = MakeSource();
  } else if (node.kind == model::NodeKind::kSink) {
    if (!node.topic_extractor.empty() || node.topic.empty()) {
      throw InputError(node.origin, "node \"" + node.name + "\": dynamic topic routing is not supported by streams-run");
    }
    p = MakeSink();
  } else if ((p = MakeStateless(op)) || (p = MakeAggregate(op)) || (p = MakeTableOp(op)) || (p = MakeJoin(op)) ||
             (p = MakeForeignKeyJoin(op))) {
  } else if (op == "windowed-count" || op == "windowed-reduce" || op == "windowed-aggregate") {
    p = MakeWindowedAggregateFor(op, node.params.value("/window/type"_json_pointer, std::string()));
  } else if (op == "cogroup-aggregate") {
    // One KStreamAggregate (or windowed aggregate) per cogrouped stream, all on the cogroup's one store.
    const auto& window = node.params.value("window", nlohmann::json());
    p = window.is_object() ? MakeWindowedAggregateFor("windowed-aggregate", window.value("type", std::string()))
                           : MakeAggregate("aggregate");
  } else if (op == "suppress") {
    p = MakeSuppress();
  }
  if (!p) {
    throw InputError(node.origin, "node \"" + node.name + "\": operation \"" + (op.empty() ? "(from describe text)" : op) +
                                      "\" is not supported by streams-run yet");
  }
  p->Bind(&node);
  return p;
}

}  // namespace streams::runtime
