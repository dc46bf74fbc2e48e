// engine/runtime/global_state.cpp
#include "runtime/global_state.h"

#include "common/error.h"

namespace streams::runtime {

GlobalStores::GlobalStores(TaskEnv env) {
  env.cache = nullptr;
  env.app_state_dir.clear();
  env.jq = &jq_;
  env.global = nullptr;
  for (const auto& st : env.topology->subtopologies) {
    if (!st.global) continue;
    auto task = std::make_unique<StreamTask>(env, TaskId{st.id, 0});
    task->Initialize();
    for (const auto& topic : task->input_topics()) {
      task_by_topic_[topic] = task.get();
      topics_.push_back(topic);
    }
    tasks_.push_back(std::move(task));
  }
}

GlobalStores::~GlobalStores() = default;

StoreHandle* GlobalStores::Find(const std::string& store) {
  for (auto& task : tasks_) {
    if (StoreHandle* s = task->OwnStore(store)) return s;
  }
  return nullptr;
}

void GlobalStores::Process(const RawRecord& record) {
  auto it = task_by_topic_.find(record.topic);
  if (it == task_by_topic_.end()) throw std::runtime_error("no global store reads topic " + record.topic);
  it->second->ProcessRaw(record);
  ++processed_;
}

}  // namespace streams::runtime
