// engine/runtime/processor.cpp
#include "runtime/processor.h"

#include "common/error.h"
#include "errors/exception_handlers.h"
#include "kafka/handles.h"

namespace streams::runtime {

const topology_file::JqProgram& JqCache::Get(const std::string& expression) {
  auto it = programs_.find(expression);
  if (it == programs_.end()) {
    // The topology file loader checked every expression with libjq; the runtime compiles libjq's program only if
    // the native evaluator steps aside.
    it = programs_
             .emplace(expression, std::make_unique<topology_file::JqProgram>(expression, SourceLocation{},
                                                                             topology_file::JqProgram::Libjq::kWhenNeeded))
             .first;
  }
  return *it->second;
}

void JqCache::Precompile(const model::Topology& topology) {
  for (const auto& node : topology.nodes) {
    for (const auto& expression : model::LogicExpressions(node)) Get(expression);
  }
}

const topology_file::JqProgram& Processor::Logic(const std::string& param) {
  for (const auto& [name, program] : logic_) {
    if (name == param) return *program;
  }
  const auto it = node_->params.find(param);
  if (it == node_->params.end() || !it->is_string()) {
    throw InputError(node_->origin, "node \"" + node_->name + "\" (" + node_->op + ") has no \"" + param + "\" logic");
  }
  const topology_file::JqProgram& program = context_->Jq(it->get<std::string>());
  logic_.emplace_back(param, &program);
  return program;
}

void Processor::Failed() const {
  try {
    throw;
  } catch (const errors::NodeFailure&) {
    throw;
  } catch (const errors::HandledFailure&) {
    throw;
  } catch (const errors::DeadLetterFailure&) {
    throw;
  } catch (const kafka::KafkaError&) {
    throw;  // the producer's: not the processor's logic
  } catch (const std::exception& e) {
    throw errors::NodeFailure(node_ != nullptr ? node_->name : std::string(),
                              node_ != nullptr ? node_->origin.ToString() : std::string(), errors::TypeName(e),
                              e.what());
  }
}

}  // namespace streams::runtime
