// engine/runtime/changelog_reader.h
// The consumers that read changelogs and global topics with assign() (restoration, standby tasks, global stores).
#pragma once

#include <string>

#include "config/streams_config.h"
#include "kafka/client_config.h"

namespace streams::runtime {

//! The properties of a consumer that reads with assign() only, never in the group nor committing (librdkafka needs
//! a group.id for assign()), reports the end of a partition (the end of a compacted changelog) and fetches into
//! large queues; the consumer. properties apply, but for the group's.
kafka::ClientProperties ChangelogReaderProperties(const config::StreamsConfig& config, const std::string& client_id,
                                                  const std::string& group_id);

}  // namespace streams::runtime
