// engine/kafka/producer.cpp
#include "kafka/producer.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

namespace streams::kafka {

Producer::Producer(const ClientProperties& properties) {
  // Idempotence keeps each partition's records in order when a request is retried (librdkafka's default, off,
  // lets a later request land first; Java's producer has it on since Kafka 3.0, so Kafka Streams has it).
  ClientProperties p = {{"acks", "all"}, {"enable.idempotence", "true"}, {"linger.ms", "5"}, {"queue.buffering.max.messages", "1000000"},
                        {"queue.buffering.max.kbytes", "1048576"}, {"partitioner", "murmur2_random"}};
  for (const auto& [k, v] : properties) p[k] = v;
  ConfPtr conf = MakeConf(p, "producer");
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &Producer::OnDelivery);
  rd_kafka_conf_set_opaque(conf.get(), this);
  handle_ = MakeClient(RD_KAFKA_PRODUCER, std::move(conf), "producer");
  // A pthread key rather than thread_local: one per producer, and no dependency on the dynamic loader's TLS.
  if (pthread_key_create(&bound_, nullptr) != 0) throw std::runtime_error("producer: pthread_key_create failed");
}

Producer::~Producer() {
  if (handle_) rd_kafka_flush(handle_.get(), 10000);
  pthread_key_delete(bound_);
}

Producer::Topic& Producer::TopicNamed(const std::string& name) {
  auto it = topics_.find(name);
  if (it != topics_.end()) return *it->second;
  auto topic = std::make_unique<Topic>();
  topic->name = name;
  // The Topic is the handle's opaque, read back in delivery reports (a record's own opaque is its epoch counter).
  rd_kafka_topic_conf_t* topic_conf = rd_kafka_topic_conf_new();
  rd_kafka_topic_conf_set_opaque(topic_conf, topic.get());
  topic->handle.reset(rd_kafka_topic_new(handle_.get(), name.c_str(), topic_conf));
  if (!topic->handle) throw KafkaError(rd_kafka_last_error(), "creating the producer's handle of topic " + name);
  return *topics_.emplace(name, std::move(topic)).first->second;
}

Producer::Topic& Producer::TopicFor(const std::string& name) {
  for (auto& slot : recent_) {
    Topic* t = slot.load(std::memory_order_acquire);
    if (t != nullptr && t->name == name) return *t;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  Topic& t = TopicNamed(name);
  recent_[1].store(recent_[0].load(std::memory_order_relaxed), std::memory_order_release);
  recent_[0].store(&t, std::memory_order_release);
  return t;
}

void Producer::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* self = static_cast<Producer*>(opaque);
  // Counted as delivered once everything below is recorded (the lock's end): a thread that sees its epoch
  // delivered then also sees its failures.
  struct Counted {
    std::atomic<std::int64_t>* in_flight;
    ~Counted() {
      if (in_flight != nullptr) in_flight->fetch_sub(1);
    }
  } counted{static_cast<std::atomic<std::int64_t>*>(m->_private)};
  std::lock_guard<std::mutex> lock(self->mutex_);
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (self->collect_failures_.load()) {
      FailedDelivery f;
      f.topic = rd_kafka_topic_name(m->rkt);
      f.partition = m->partition;
      if (m->key != nullptr) f.key.emplace(static_cast<const char*>(m->key), m->key_len);
      if (m->payload != nullptr) f.value.emplace(static_cast<const char*>(m->payload), m->len);
      {
        // librdkafka answers -1 for the timestamp of a message with an error: asked with the error cleared for the
        // call (the message is ours for the callback's duration).
        auto* mutable_message = const_cast<rd_kafka_message_t*>(m);
        const rd_kafka_resp_err_t err = mutable_message->err;
        mutable_message->err = RD_KAFKA_RESP_ERR_NO_ERROR;
        f.timestamp = rd_kafka_message_timestamp(mutable_message, nullptr);
        mutable_message->err = err;
      }
      rd_kafka_headers_t* hdrs = nullptr;
      if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs != nullptr) {
        const char* name = nullptr;
        const void* value = nullptr;
        size_t size = 0;
        for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
          f.headers.emplace_back(name, value == nullptr ? std::nullopt
                                                        : std::optional<std::string>(std::string(static_cast<const char*>(value), size)));
        }
      }
      f.error = m->err;
      self->failures_.push_back(std::move(f));
      return;
    }
    if (!self->first_error_) {
      self->first_error_.emplace(m->err, "producing to " + std::string(rd_kafka_topic_name(m->rkt)) + "-" +
                                             std::to_string(m->partition));
    }
    return;
  }
  // Each topic handle carries its Topic as opaque (TopicNamed): no lookup per acknowledged record.
  auto* topic = static_cast<Topic*>(rd_kafka_topic_opaque(m->rkt));
  if (topic == nullptr) return;
  if (m->partition < 0) return;
  auto& offsets = topic->last_offsets;
  if (offsets.size() <= static_cast<std::size_t>(m->partition)) offsets.resize(static_cast<std::size_t>(m->partition) + 1, -1);
  auto& last = offsets[static_cast<std::size_t>(m->partition)];
  last = std::max(last, m->offset);
}

void Producer::Send(const std::string& topic, std::int32_t partition, std::optional<std::string_view> key,
                    std::optional<std::string_view> value, std::int64_t timestamp,
                    const std::vector<std::pair<std::string, std::optional<std::string>>>& headers) {
  Topic* t = &TopicFor(topic);
  std::atomic<std::int64_t>* in_flight = nullptr;
  if (auto* tracker = static_cast<DeliveryTracker*>(pthread_getspecific(bound_))) {
    in_flight = &tracker->in_flight_[tracker->current_.load() % DeliveryTracker::kEpochs];
  }
  for (;;) {
    rd_kafka_headers_t* hdrs = nullptr;
    if (!headers.empty()) {
      hdrs = rd_kafka_headers_new(headers.size());
      for (const auto& [name, v] : headers) {
        rd_kafka_header_add(hdrs, name.data(), static_cast<ssize_t>(name.size()), v ? v->data() : nullptr,
                            v ? static_cast<ssize_t>(v->size()) : 0);
      }
    }
    void* key_ptr = key ? const_cast<char*>(key->data()) : nullptr;
    const std::size_t key_len = key ? key->size() : 0;
    void* value_ptr = value ? const_cast<char*>(value->data()) : nullptr;
    const std::size_t value_len = value ? value->size() : 0;
    // rd_kafka_produceva rather than rd_kafka_producev: the RD_KAFKA_V_ macros expand to GNU statement expressions.
    std::array<rd_kafka_vu_t, 8> vus;  // not value-initialized: each sets the union member it uses (576 bytes a record)
    vus[0].vtype = RD_KAFKA_VTYPE_RKT;
    vus[0].u.rkt = t->handle.get();
    vus[1].vtype = RD_KAFKA_VTYPE_PARTITION;
    vus[1].u.i32 = partition;
    vus[2].vtype = RD_KAFKA_VTYPE_OPAQUE;
    vus[2].u.ptr = in_flight;
    vus[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    vus[3].u.i = RD_KAFKA_MSG_F_COPY;
    vus[4].vtype = RD_KAFKA_VTYPE_KEY;
    vus[4].u.mem = {key_ptr, key_len};
    vus[5].vtype = RD_KAFKA_VTYPE_VALUE;
    vus[5].u.mem = {value_ptr, value_len};
    vus[6].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
    vus[6].u.i64 = timestamp;
    vus[7].vtype = RD_KAFKA_VTYPE_HEADERS;
    vus[7].u.headers = hdrs;
    if (in_flight != nullptr) in_flight->fetch_add(1);  // before the record can be delivered
    rd_kafka_error_t* error = rd_kafka_produceva(handle_.get(), vus.data(), vus.size());
    const rd_kafka_resp_err_t err = error == nullptr ? RD_KAFKA_RESP_ERR_NO_ERROR : rd_kafka_error_code(error);
    if (error != nullptr) rd_kafka_error_destroy(error);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      ++sent_;
      rd_kafka_poll(handle_.get(), 0);
      return;
    }
    if (in_flight != nullptr) in_flight->fetch_sub(1);
    if (hdrs != nullptr) rd_kafka_headers_destroy(hdrs);  // not taken over on failure
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) throw KafkaError(err, "producing to " + topic);
    rd_kafka_poll(handle_.get(), 50);
  }
}

Producer::DeliveryTracker* Producer::NewTracker() {
  std::lock_guard<std::mutex> lock(mutex_);
  return trackers_.emplace_back(std::make_unique<DeliveryTracker>()).get();
}

void Producer::Bind(DeliveryTracker* tracker) { pthread_setspecific(bound_, tracker); }

void Producer::ThrowFirstError() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (first_error_) {
    KafkaError e = *first_error_;
    first_error_.reset();
    throw e;
  }
}

void Producer::Flush(int timeout_ms) {
  const rd_kafka_resp_err_t err = rd_kafka_flush(handle_.get(), timeout_ms);
  ThrowFirstError();
  ThrowIfError(err, "flushing the producer (" + std::to_string(rd_kafka_outq_len(handle_.get())) + " records in flight)");
}

std::vector<Producer::FailedDelivery> Producer::TakeFailures() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::exchange(failures_, {});
}

std::optional<std::int64_t> Producer::LastOffset(const std::string& topic, int partition) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = topics_.find(topic);
  if (it == topics_.end() || partition < 0) return std::nullopt;
  const auto& offsets = it->second->last_offsets;
  if (static_cast<std::size_t>(partition) >= offsets.size() || offsets[static_cast<std::size_t>(partition)] < 0) {
    return std::nullopt;
  }
  return offsets[static_cast<std::size_t>(partition)];
}

}  // namespace streams::kafka
