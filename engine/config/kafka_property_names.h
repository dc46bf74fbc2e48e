// engine/config/kafka_property_names.h
// The property names Kafka 4.1.0 defines (Kafka Streams, the Java clients, topics): the names a Java Kafka Streams
// application's configuration may hold, whether or not this toolkit acts on them. Used to tell a known property
// from a misspelt one.
#pragma once

#include <string_view>
#include <vector>

namespace streams::config {

//! StreamsConfig's property names, sorted.
const std::vector<std::string_view>& KafkaStreamsPropertyNames();
//! ConsumerConfig, ProducerConfig and AdminClientConfig property names, sorted.
const std::vector<std::string_view>& KafkaClientPropertyNames();
//! TopicConfig names (what follows Kafka Streams' `topic.` prefix), sorted.
const std::vector<std::string_view>& KafkaTopicPropertyNames();

}  // namespace streams::config
