// engine/runtime/changelog_reader.cpp
#include "runtime/changelog_reader.h"

namespace streams::runtime {

kafka::ClientProperties ChangelogReaderProperties(const config::StreamsConfig& config, const std::string& client_id,
                                                  const std::string& group_id) {
  kafka::ClientProperties p = {{"client.id", client_id},
                               {"group.id", group_id},
                               {"enable.auto.commit", "false"},
                               {"enable.auto.offset.store", "false"},
                               {"enable.partition.eof", "true"},
                               {"queued.min.messages", "1000000"},
                               {"queued.max.messages.kbytes", "262144"}};
  for (const auto& [k, v] : config.consumer) {
    if (k != "group.id" && k != "group.instance.id") p[k] = v;
  }
  return p;
}

}  // namespace streams::runtime
