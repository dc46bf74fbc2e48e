// engine/state/checkpoint.h
// Kafka Streams' `.checkpoint` file: the changelog offsets a task's stores are known to contain, written on
// commit and clean shutdown, read before restoring so that only the changelog tail is replayed.
// Format (OffsetCheckpoint.java): a version line "0", a count line, then "<topic> <partition> <offset>" lines.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace streams::state {

using TopicPartition = std::pair<std::string, int>;
//! Changelog partition -> offset of the last record the local store holds.
using CheckpointOffsets = std::map<TopicPartition, std::int64_t>;

//! Reads a checkpoint file; a missing file gives an empty map. A malformed file is an error naming it.
CheckpointOffsets ReadCheckpoint(const std::string& path);
//! Writes the file atomically (temporary file, fsync-free rename).
void WriteCheckpoint(const std::string& path, const CheckpointOffsets& offsets);

}  // namespace streams::state
