// engine/kafka/client_config.cpp
// Property maps -> rd_kafka_conf_t, and rd_kafka_new with errors that name what failed.
#include "kafka/client_config.h"

#include "common/error.h"
#include "kafka/client_log.h"

namespace streams::kafka {

ConfPtr MakeConf(const ClientProperties& properties, const std::string& what) {
  ConfPtr conf(rd_kafka_conf_new());
  char errstr[512];
  for (const auto& [name, value] : properties) {
    errstr[0] = '\0';
    if (rd_kafka_conf_set(conf.get(), name.c_str(), value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
      throw InputError(what + " property \"" + name + "\": " + errstr);
    }
  }
  InstallClientLog(conf.get(), properties.count("log_level") != 0, properties.count("debug") != 0);
  return conf;
}

bool IsLibrdkafkaProperty(const std::string& name, const std::string& value) {
  ConfPtr conf(rd_kafka_conf_new());
  char errstr[512];
  return rd_kafka_conf_set(conf.get(), name.c_str(), value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_UNKNOWN;
}

HandlePtr MakeClient(rd_kafka_type_t type, ConfPtr conf, const std::string& what) {
  char errstr[512];
  errstr[0] = '\0';
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), errstr, sizeof errstr);
  if (rk == nullptr) {
    throw KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, "creating the " + what, errstr);
  }
  (void)conf.release();  // rd_kafka_new owns the configuration once it succeeded
  return HandlePtr(rk);
}

}  // namespace streams::kafka
