// engine/describe/describe_text_writer.h
// Prints a topology exactly as Kafka Streams' TopologyDescription.toString() does, byte for byte
// (InternalTopologyBuilder.TopologyDescription, SubtopologyDescription, GlobalStore, Source, Processor, Sink).
#pragma once

#include <string>

#include "model/topology.h"

namespace streams::describe {

//! The describe() text of `topology`, using the display orders the model carries (model/kafka_order.h).
std::string WriteDescribeText(const model::Topology& topology);

}  // namespace streams::describe
