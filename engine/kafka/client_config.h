// engine/kafka/client_config.h
// Builds librdkafka configurations from plain property maps, so that every client (consumer, producer, admin,
// mock-cluster host) is configured in one way and a bad property is reported with its name.
#pragma once

#include <map>
#include <string>

#include "kafka/handles.h"

namespace streams::kafka {

//! librdkafka client properties, name -> value (e.g. "bootstrap.servers" -> "127.0.0.1:9092").
using ClientProperties = std::map<std::string, std::string>;

//! Creates an rd_kafka_conf_t with every property set, in map order, logging through the tool's logger
//! (kafka/client_log.h).
//! Throws streams::InputError naming the property ("consumer property \"x\": No such configuration property")
//! when librdkafka rejects a name or a value. `what` names the client in the message ("consumer", "producer").
ConfPtr MakeConf(const ClientProperties& properties, const std::string& what = "client");

//! True when librdkafka knows the property `name` (whatever `value` it is given: only the name is judged).
bool IsLibrdkafkaProperty(const std::string& name, const std::string& value);

//! Creates a client of the given type from a configuration; takes ownership of `conf` (also on failure).
//! Throws KafkaError (code _INVALID_ARG) with librdkafka's message when rd_kafka_new fails.
HandlePtr MakeClient(rd_kafka_type_t type, ConfPtr conf, const std::string& what = "client");

}  // namespace streams::kafka
