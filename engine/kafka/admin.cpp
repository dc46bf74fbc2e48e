// engine/kafka/admin.cpp
// The Admin client over librdkafka's admin API: each call makes its AdminOptions, issues the request on its own
// queue, waits for the result event and turns errors into KafkaError with the API's name.
#include "kafka/admin.h"

#include <algorithm>

#include "common/duration.h"
#include "kafka/client_log.h"

namespace streams::kafka {

namespace {

constexpr std::int64_t kNoOffset = RD_KAFKA_OFFSET_INVALID;  // -1001: nothing committed

int TimeoutMs(std::chrono::milliseconds t) { return static_cast<int>(t.count()); }

// Turns a failure of a whole request into KafkaError; a missing API gets a message that names it.
[[noreturn]] void ThrowRequestError(rd_kafka_resp_err_t code, const std::string& api, const std::string& detail) {
  if (code == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE || code == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION) {
    throw KafkaError(code, api, MissingApiMessage(api) + "; librdkafka said: " + detail);
  }
  throw KafkaError(code, api, detail);
}

TopicPartitionListPtr MakeList(const std::vector<TopicPartition>& partitions) {
  TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const auto& [topic, partition] : partitions) rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition);
  return list;
}

std::vector<TopicResult> TopicResults(const rd_kafka_topic_result_t* const* results, size_t count) {
  std::vector<TopicResult> out;
  for (size_t i = 0; i < count; ++i) {
    const char* msg = rd_kafka_topic_result_error_string(results[i]);
    out.push_back({rd_kafka_topic_result_name(results[i]), rd_kafka_topic_result_error(results[i]),
                   msg != nullptr ? msg : ""});
  }
  return out;
}

// The single group result of a group request, with its error thrown.
const rd_kafka_group_result_t* OneGroup(const rd_kafka_group_result_t* const* groups, size_t count, const std::string& api,
                                        const std::string& group_id) {
  if (count != 1) throw KafkaError(RD_KAFKA_RESP_ERR__BAD_MSG, api, "expected one group result, got " + std::to_string(count));
  if (const rd_kafka_error_t* e = rd_kafka_group_result_error(groups[0])) {
    throw KafkaError(rd_kafka_error_code(e), api + " of group \"" + group_id + "\"", rd_kafka_error_string(e));
  }
  return groups[0];
}

// Throws for the first partition whose error is set.
void ThrowFirstPartitionError(const rd_kafka_topic_partition_list_t* list, const std::string& what) {
  if (list == nullptr) return;
  for (int i = 0; i < list->cnt; ++i) {
    const auto& p = list->elems[i];
    if (p.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw KafkaError(p.err, what + ", " + p.topic + " partition " + std::to_string(p.partition));
    }
  }
}

}  // namespace

std::string MissingApiMessage(const std::string& api) {
  return "the cluster does not support the Kafka " + api +
         " API (librdkafka's mock cluster has no admin APIs: use a real Kafka broker)";
}

Admin::Admin(const ClientProperties& properties, std::chrono::milliseconds timeout)
    : handle_(MakeClient(RD_KAFKA_PRODUCER, MakeConf(properties, "admin"), "admin client")), timeout_(timeout) {
  if (const auto it = properties.find("bootstrap.servers"); it != properties.end()) bootstrap_servers_ = it->second;
}

void Admin::ThrowIfUnreachable(rd_kafka_resp_err_t code, const std::string& api) const {
  switch (code) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__RESOLVE:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
      break;
    default:
      return;
  }
  const std::string within = FormatDuration(timeout_.count());
  const std::string cause = LastConnectionFailure(handle_.get());
  if (!cause.empty()) {
    throw KafkaError(code, "cannot reach the Kafka cluster at " + bootstrap_servers_ + " within " + within + ": " + cause,
                     KafkaError::Whole{});
  }
  throw KafkaError(code,
                   "the Kafka cluster at " + bootstrap_servers_ + " did not answer (" + api + ") within " + within +
                       ": " + rd_kafka_err2str(code),
                   KafkaError::Whole{});
}

MetadataPtr Admin::Metadata(bool all_topics) {
  const rd_kafka_metadata_t* raw = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(handle_.get(), all_topics ? 1 : 0, nullptr, &raw, TimeoutMs(timeout_));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    ThrowIfUnreachable(err, "Metadata");
    ThrowRequestError(err, "Metadata", rd_kafka_err2str(err));
  }
  return MetadataPtr(raw);
}

void Admin::RequireAdminApi(const char* api) {
  if (admin_apis_checked_) return;
  MetadataPtr metadata = Metadata(false);
  const std::int32_t controller = rd_kafka_controllerid(handle_.get(), TimeoutMs(timeout_));
  bool known = false;
  for (int i = 0; i < metadata->broker_cnt; ++i) known = known || metadata->brokers[i].id == controller;
  if (!known) {
    throw KafkaError(RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE, api,
                     MissingApiMessage(api) + "; the cluster's metadata names controller " +
                         std::to_string(controller) + ", which is none of its brokers");
  }
  admin_apis_checked_ = true;
}

template <typename Call>
EventPtr Admin::Run(rd_kafka_admin_op_t op, const char* api, Call&& call) {
  AdminOptionsPtr options(rd_kafka_AdminOptions_new(handle_.get(), op));
  char errstr[256];
  if (rd_kafka_AdminOptions_set_request_timeout(options.get(), TimeoutMs(timeout_), errstr, sizeof errstr) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, api, errstr);
  }
  if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS || op == RD_KAFKA_ADMIN_OP_DELETETOPICS) {
    // Wait until the controller has applied the change, so a following metadata request sees it.
    (void)rd_kafka_AdminOptions_set_operation_timeout(options.get(), TimeoutMs(timeout_), errstr, sizeof errstr);
  }
  QueuePtr queue(rd_kafka_queue_new(handle_.get()));
  call(options.get(), queue.get());
  // The request times out on its own after timeout_; the extra second lets its error event arrive.
  EventPtr event(rd_kafka_queue_poll(queue.get(), TimeoutMs(timeout_) + 1000));
  if (!event) {
    ThrowIfUnreachable(RD_KAFKA_RESP_ERR__TIMED_OUT, api);
    throw KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, api, "no answer within the timeout");
  }
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    ThrowIfUnreachable(rd_kafka_event_error(event.get()), api);
    ThrowRequestError(rd_kafka_event_error(event.get()), api, rd_kafka_event_error_string(event.get()));
  }
  return event;
}

std::vector<TopicResult> Admin::CreateTopics(const std::vector<NewTopicSpec>& topics) {
  std::vector<NewTopicPtr> owned;
  std::vector<rd_kafka_NewTopic_t*> raw;
  char errstr[512];
  for (const auto& t : topics) {
    owned.emplace_back(rd_kafka_NewTopic_new(t.name.c_str(), t.partitions, t.replication_factor, errstr, sizeof errstr));
    if (!owned.back()) throw KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, "CreateTopics " + t.name, errstr);
    for (const auto& [name, value] : t.configs) {
      ThrowIfError(rd_kafka_NewTopic_set_config(owned.back().get(), name.c_str(), value.c_str()),
                   "CreateTopics " + t.name + " config " + name);
    }
    raw.push_back(owned.back().get());
  }
  RequireAdminApi("CreateTopics");
  EventPtr event = Run(RD_KAFKA_ADMIN_OP_CREATETOPICS, "CreateTopics", [&](auto* options, auto* queue) {
    rd_kafka_CreateTopics(handle_.get(), raw.data(), raw.size(), options, queue);
  });
  size_t count = 0;
  const auto* results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event.get()), &count);
  return TopicResults(results, count);
}

std::vector<TopicResult> Admin::DeleteTopics(const std::vector<std::string>& topics) {
  std::vector<DeleteTopicPtr> owned;
  std::vector<rd_kafka_DeleteTopic_t*> raw;
  for (const auto& t : topics) {
    owned.emplace_back(rd_kafka_DeleteTopic_new(t.c_str()));
    raw.push_back(owned.back().get());
  }
  RequireAdminApi("DeleteTopics");
  EventPtr event = Run(RD_KAFKA_ADMIN_OP_DELETETOPICS, "DeleteTopics", [&](auto* options, auto* queue) {
    rd_kafka_DeleteTopics(handle_.get(), raw.data(), raw.size(), options, queue);
  });
  size_t count = 0;
  const auto* results = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event.get()), &count);
  return TopicResults(results, count);
}

std::map<std::string, int> Admin::ListTopics() {
  MetadataPtr metadata = Metadata(true);
  std::map<std::string, int> topics;
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const auto& t = metadata->topics[i];
    if (t.err == RD_KAFKA_RESP_ERR_NO_ERROR) topics[t.topic] = t.partition_cnt;
  }
  return topics;
}

std::map<TopicPartition, std::vector<std::int32_t>> Admin::PartitionReplicas(const std::vector<std::string>& topics) {
  MetadataPtr metadata = Metadata(true);
  std::map<TopicPartition, std::vector<std::int32_t>> out;
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const auto& t = metadata->topics[i];
    if (t.err != RD_KAFKA_RESP_ERR_NO_ERROR || std::find(topics.begin(), topics.end(), t.topic) == topics.end()) continue;
    for (int j = 0; j < t.partition_cnt; ++j) {
      const auto& p = t.partitions[j];
      out[{t.topic, p.id}].assign(p.replicas, p.replicas + p.replica_cnt);
    }
  }
  return out;
}

std::map<std::int32_t, std::string> Admin::BrokerRacks() {
  RequireAdminApi("DescribeConfigs");
  MetadataPtr metadata = Metadata(false);
  std::map<std::int32_t, std::string> racks;
  for (int i = 0; i < metadata->broker_cnt; ++i) {
    const std::int32_t id = metadata->brokers[i].id;
    racks[id] = "";
    // One broker resource per request: librdkafka sends it to that broker.
    ConfigResourcePtr resource(rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_BROKER, std::to_string(id).c_str()));
    rd_kafka_ConfigResource_t* resources[] = {resource.get()};
    EventPtr event = Run(RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, "DescribeConfigs", [&](auto* options, auto* queue) {
      rd_kafka_DescribeConfigs(handle_.get(), resources, 1, options, queue);
    });
    size_t count = 0;
    const rd_kafka_ConfigResource_t** results =
        rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(event.get()), &count);
    for (size_t r = 0; r < count; ++r) {
      if (const rd_kafka_resp_err_t e = rd_kafka_ConfigResource_error(results[r]); e != RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* msg = rd_kafka_ConfigResource_error_string(results[r]);
        throw KafkaError(e, "DescribeConfigs of broker " + std::to_string(id), msg != nullptr ? msg : rd_kafka_err2str(e));
      }
      size_t entries = 0;
      const rd_kafka_ConfigEntry_t** configs = rd_kafka_ConfigResource_configs(results[r], &entries);
      for (size_t j = 0; j < entries; ++j) {
        const char* value = rd_kafka_ConfigEntry_value(configs[j]);
        if (std::string_view(rd_kafka_ConfigEntry_name(configs[j])) == "broker.rack" && value != nullptr) racks[id] = value;
      }
    }
  }
  return racks;
}

GroupDescription Admin::DescribeGroup(const std::string& group_id) {
  const char* groups[] = {group_id.c_str()};
  RequireAdminApi("DescribeGroups");
  EventPtr event = Run(RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, "DescribeGroups", [&](auto* options, auto* queue) {
    rd_kafka_DescribeConsumerGroups(handle_.get(), groups, 1, options, queue);
  });
  size_t count = 0;
  const auto* descs = rd_kafka_DescribeConsumerGroups_result_groups(
      rd_kafka_event_DescribeConsumerGroups_result(event.get()), &count);
  if (count != 1) throw KafkaError(RD_KAFKA_RESP_ERR__BAD_MSG, "DescribeGroups", "expected one group");
  const auto* d = descs[0];
  if (const rd_kafka_error_t* e = rd_kafka_ConsumerGroupDescription_error(d)) {
    const rd_kafka_resp_err_t code = rd_kafka_error_code(e);
    if (code == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE || code == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION) {
      ThrowRequestError(code, "DescribeGroups", rd_kafka_error_string(e));
    }
    throw KafkaError(code, "DescribeGroups of group \"" + group_id + "\"", rd_kafka_error_string(e));
  }
  GroupDescription out;
  out.group_id = rd_kafka_ConsumerGroupDescription_group_id(d);
  out.state = rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(d));
  const char* assignor = rd_kafka_ConsumerGroupDescription_partition_assignor(d);
  out.partition_assignor = assignor != nullptr ? assignor : "";
  for (size_t i = 0; i < rd_kafka_ConsumerGroupDescription_member_count(d); ++i) {
    const auto* m = rd_kafka_ConsumerGroupDescription_member(d, i);
    MemberInfo member;
    const auto str = [](const char* s) { return s != nullptr ? std::string(s) : std::string(); };
    member.member_id = str(rd_kafka_MemberDescription_consumer_id(m));
    member.client_id = str(rd_kafka_MemberDescription_client_id(m));
    member.host = str(rd_kafka_MemberDescription_host(m));
    member.group_instance_id = str(rd_kafka_MemberDescription_group_instance_id(m));
    if (const auto* a = rd_kafka_MemberDescription_assignment(m)) {
      if (const auto* parts = rd_kafka_MemberAssignment_partitions(a)) {
        for (int j = 0; j < parts->cnt; ++j) member.assignment.emplace_back(parts->elems[j].topic, parts->elems[j].partition);
      }
    }
    out.members.push_back(std::move(member));
  }
  return out;
}

std::vector<std::string> Admin::ListGroups() {
  RequireAdminApi("ListGroups");
  EventPtr event = Run(RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, "ListGroups", [&](auto* options, auto* queue) {
    rd_kafka_ListConsumerGroups(handle_.get(), options, queue);
  });
  const auto* result = rd_kafka_event_ListConsumerGroups_result(event.get());
  size_t error_count = 0;
  const rd_kafka_error_t** errors = rd_kafka_ListConsumerGroups_result_errors(result, &error_count);
  if (error_count > 0) {
    throw KafkaError(rd_kafka_error_code(errors[0]), "ListGroups",
                     std::string(rd_kafka_error_string(errors[0])) + " (the list of consumer groups is incomplete)");
  }
  size_t count = 0;
  const auto** groups = rd_kafka_ListConsumerGroups_result_valid(result, &count);
  std::vector<std::string> ids;
  for (size_t i = 0; i < count; ++i) ids.emplace_back(rd_kafka_ConsumerGroupListing_group_id(groups[i]));
  std::sort(ids.begin(), ids.end());
  return ids;
}

void Admin::DeleteGroup(const std::string& group_id) {
  DeleteGroupPtr group(rd_kafka_DeleteGroup_new(group_id.c_str()));
  rd_kafka_DeleteGroup_t* raw[] = {group.get()};
  RequireAdminApi("DeleteGroups");
  EventPtr event = Run(RD_KAFKA_ADMIN_OP_DELETEGROUPS, "DeleteGroups", [&](auto* options, auto* queue) {
    rd_kafka_DeleteGroups(handle_.get(), raw, 1, options, queue);
  });
  size_t count = 0;
  const auto* groups = rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(event.get()), &count);
  OneGroup(groups, count, "DeleteGroups", group_id);
}

std::map<TopicPartition, std::int64_t> Admin::ListGroupOffsets(const std::string& group_id,
                                                              const std::vector<TopicPartition>& partitions) {
  TopicPartitionListPtr list = partitions.empty() ? nullptr : MakeList(partitions);
  ListConsumerGroupOffsetsPtr request(rd_kafka_ListConsumerGroupOffsets_new(group_id.c_str(), list.get()));
  rd_kafka_ListConsumerGroupOffsets_t* raw[] = {request.get()};
  EventPtr event = Run(RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, "OffsetFetch", [&](auto* options, auto* queue) {
    rd_kafka_ListConsumerGroupOffsets(handle_.get(), raw, 1, options, queue);
  });
  size_t count = 0;
  const auto* groups = rd_kafka_ListConsumerGroupOffsets_result_groups(
      rd_kafka_event_ListConsumerGroupOffsets_result(event.get()), &count);
  const auto* group = OneGroup(groups, count, "OffsetFetch", group_id);
  std::map<TopicPartition, std::int64_t> offsets;
  if (const auto* parts = rd_kafka_group_result_partitions(group)) {
    for (int i = 0; i < parts->cnt; ++i) {
      const auto& p = parts->elems[i];
      if (p.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) continue;  // nothing committed for a topic gone
      if (p.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        throw KafkaError(p.err, "OffsetFetch of group \"" + group_id + "\", " + p.topic + " partition " +
                                    std::to_string(p.partition));
      }
      if (p.offset != kNoOffset && p.offset >= 0) offsets[{p.topic, p.partition}] = p.offset;
    }
  }
  return offsets;
}

void Admin::AlterGroupOffsets(const std::string& group_id, const std::map<TopicPartition, std::int64_t>& offsets) {
  TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const auto& [tp, offset] : offsets) {
    rd_kafka_topic_partition_list_add(list.get(), tp.first.c_str(), tp.second)->offset = offset;
  }
  AlterConsumerGroupOffsetsPtr request(rd_kafka_AlterConsumerGroupOffsets_new(group_id.c_str(), list.get()));
  rd_kafka_AlterConsumerGroupOffsets_t* raw[] = {request.get()};
  EventPtr event = Run(RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, "OffsetCommit", [&](auto* options, auto* queue) {
    rd_kafka_AlterConsumerGroupOffsets(handle_.get(), raw, 1, options, queue);
  });
  size_t count = 0;
  const auto* groups = rd_kafka_AlterConsumerGroupOffsets_result_groups(
      rd_kafka_event_AlterConsumerGroupOffsets_result(event.get()), &count);
  const auto* group = OneGroup(groups, count, "OffsetCommit", group_id);
  ThrowFirstPartitionError(rd_kafka_group_result_partitions(group), "OffsetCommit of group \"" + group_id + "\"");
}

void Admin::DeleteGroupOffsets(const std::string& group_id, const std::vector<TopicPartition>& partitions) {
  TopicPartitionListPtr list = MakeList(partitions);
  DeleteConsumerGroupOffsetsPtr request(rd_kafka_DeleteConsumerGroupOffsets_new(group_id.c_str(), list.get()));
  rd_kafka_DeleteConsumerGroupOffsets_t* raw[] = {request.get()};
  RequireAdminApi("OffsetDelete");
  EventPtr event = Run(RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS, "OffsetDelete", [&](auto* options, auto* queue) {
    rd_kafka_DeleteConsumerGroupOffsets(handle_.get(), raw, 1, options, queue);
  });
  size_t count = 0;
  const auto* groups = rd_kafka_DeleteConsumerGroupOffsets_result_groups(
      rd_kafka_event_DeleteConsumerGroupOffsets_result(event.get()), &count);
  const auto* group = OneGroup(groups, count, "OffsetDelete", group_id);
  ThrowFirstPartitionError(rd_kafka_group_result_partitions(group), "OffsetDelete of group \"" + group_id + "\"");
}

Watermarks Admin::QueryWatermarks(const std::string& topic, int partition) {
  Watermarks w;
  const rd_kafka_resp_err_t err =
      rd_kafka_query_watermark_offsets(handle_.get(), topic.c_str(), partition, &w.low, &w.high, TimeoutMs(timeout_));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    ThrowIfUnreachable(err, "ListOffsets");
    throw KafkaError(err, "ListOffsets (watermarks) of " + topic + " partition " + std::to_string(partition));
  }
  return w;
}

std::map<TopicPartition, std::optional<std::int64_t>> Admin::OffsetsForTimes(
    const std::vector<TopicPartition>& partitions, std::int64_t timestamp_ms) {
  TopicPartitionListPtr list = MakeList(partitions);
  for (int i = 0; i < list->cnt; ++i) list->elems[i].offset = timestamp_ms;
  const rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(handle_.get(), list.get(), TimeoutMs(timeout_));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    ThrowIfUnreachable(err, "ListOffsets");
    ThrowRequestError(err, "ListOffsets (by timestamp)", rd_kafka_err2str(err));
  }
  ThrowFirstPartitionError(list.get(), "ListOffsets (by timestamp)");
  std::map<TopicPartition, std::optional<std::int64_t>> out;
  for (int i = 0; i < list->cnt; ++i) {
    const auto& p = list->elems[i];
    out[{p.topic, p.partition}] = p.offset >= 0 ? std::optional<std::int64_t>(p.offset) : std::nullopt;
  }
  return out;
}

}  // namespace streams::kafka
