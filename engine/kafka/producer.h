// engine/kafka/producer.h
// The instance's producer, shared by its stream threads: sends records with explicit partitions and timestamps,
// counts what is in flight, remembers the offset of the last acknowledged record per partition (for changelog
// checkpoints) and the first delivery error, which Flush() raises (at-least-once: offsets are committed only
// after every record sent before the commit is acknowledged).
#pragma once
#include <pthread.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_map>
#include <vector>

#include "kafka/client_config.h"
#include "kafka/handles.h"

namespace streams::kafka {

class Producer {
 public:
  //! Counts one stream thread's records in flight between two commits (epochs), so that an at-least-once commit
  //! can wait for the acknowledgements of exactly the records sent before it while the thread goes on processing
  //! (Flush waits for every record of every thread). Owned by the producer, which outlives its records; a thread
  //! binds it with Bind, and the records that thread sends through this producer are counted in the current epoch.
  class DeliveryTracker {
   public:
    //! Ends the current epoch and returns it; the records sent from now on count in the next one. At most
    //! kEpochs - 1 sealed epochs may be awaited at a time.
    std::uint64_t Seal() { return current_.fetch_add(1); }
    //! Whether every record of `epoch` (sealed) has its delivery report, acknowledged or failed.
    bool Delivered(std::uint64_t epoch) const { return in_flight_[epoch % kEpochs].load() == 0; }

   private:
    friend class Producer;
    static constexpr std::size_t kEpochs = 4;
    std::atomic<std::uint64_t> current_{0};
    std::array<std::atomic<std::int64_t>, kEpochs> in_flight_{};
  };
  //! A tracker of this producer's records for one thread (see DeliveryTracker).
  DeliveryTracker* NewTracker();
  //! Counts what the calling thread sends through this producer from now on with `tracker` (nullptr: no longer).
  void Bind(DeliveryTracker* tracker);
  //! Raises the first delivery failure not collected (see CollectFailures), as Flush does; no wait.
  void ThrowFirstError();

  //! `properties`: librdkafka producer properties (bootstrap.servers, ...); acks=all and a high queue limit are
  //! defaults that the properties may override.
  explicit Producer(const ClientProperties& properties);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  //! Queues one record; `partition` RD_KAFKA_PARTITION_UA lets librdkafka's partitioner choose. Blocks (polling)
  //! while the local queue is full. Throws KafkaError for a synchronous failure (e.g. record too large).
  //! librdkafka reads timestamp 0 as "now": a record of timestamp 0 is written with the current time.
  //! Key and value are copied before Send returns.
  void Send(const std::string& topic, std::int32_t partition, std::optional<std::string_view> key,
            std::optional<std::string_view> value, std::int64_t timestamp,
            const std::vector<std::pair<std::string, std::optional<std::string>>>& headers = {});
  //! Waits until every queued record is acknowledged; throws KafkaError for the first delivery failure.
  void Flush(int timeout_ms = 60000);
  //! Offset of the last acknowledged record of a partition.
  std::optional<std::int64_t> LastOffset(const std::string& topic, int partition) const;
  //! Serves delivery reports.
  void Poll(int timeout_ms = 0) { rd_kafka_poll(handle_.get(), timeout_ms); }
  std::int64_t sent() const { return sent_.load(); }

  //! A record the broker refused for good (after librdkafka's retries), as sent.
  struct FailedDelivery {
    std::string topic;
    std::int32_t partition = -1;
    std::optional<std::string> key, value;
    std::int64_t timestamp = -1;
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
    rd_kafka_resp_err_t error = RD_KAFKA_RESP_ERR_NO_ERROR;
  };
  //! From now on, delivery failures are kept for TakeFailures (an exception handler decides about each) instead of
  //! Flush() raising the first one.
  void CollectFailures() { collect_failures_.store(true); }
  //! The delivery failures kept since the last call.
  std::vector<FailedDelivery> TakeFailures();
  rd_kafka_t* handle() const { return handle_.get(); }

 private:
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);
  //! A topic this producer writes: its librdkafka handle (no lookup by name per record) and the offset of the
  //! last acknowledged record per partition (-1: none). Guarded by mutex_.
  struct Topic {
    std::string name;  //!< immutable: read without the mutex through recent_
    TopicPtr handle;
    std::vector<std::int64_t> last_offsets;
  };
  Topic& TopicNamed(const std::string& name);  // mutex_ held
  //! The Topic of `name`: from the two most recently used ones without locking, else looked up under the mutex
  //! (a sink writes one topic, a stateful task its output and a changelog).
  Topic& TopicFor(const std::string& name);

  HandlePtr handle_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<Topic>> topics_;  //!< entries are never removed
  std::atomic<Topic*> recent_[2] = {nullptr, nullptr};
  std::optional<KafkaError> first_error_;
  std::atomic<bool> collect_failures_{false};
  std::vector<FailedDelivery> failures_;  //!< guarded by mutex_
  std::atomic<std::int64_t> sent_{0};
  std::deque<std::unique_ptr<DeliveryTracker>> trackers_;  //!< guarded by mutex_; kept for the producer's life
  pthread_key_t bound_{};  //!< the calling thread's DeliveryTracker (Bind)
};

}  // namespace streams::kafka
