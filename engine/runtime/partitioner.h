// engine/runtime/partitioner.h
// Kafka's default partitioner for keyed records: murmur2 of the serialized key (Utils.murmur2), made positive,
// modulo the partition count. The same function as Java's, so records keyed here land where Kafka Streams
// would put them (co-partitioning with topics written by Java producers holds).
#pragma once

#include <cstdint>
#include <string_view>

namespace streams::runtime {

//! Kafka's Utils.murmur2 (seed 0x9747b28c).
std::int32_t Murmur2(std::string_view data);
//! toPositive(murmur2(key)) % partitions.
int PartitionForKey(std::string_view key, int partitions);

}  // namespace streams::runtime
