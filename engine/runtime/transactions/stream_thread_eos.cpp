// engine/runtime/transactions/stream_thread_eos.cpp
// StreamThread under processing.guarantee=exactly_once_v2: Kafka Streams' commit of a thread's tasks in one
// transaction (TaskExecutor.commitOffsetsOrTransaction, StreamsProducer.commitTransaction) and its reactions to
// a failed transaction (TaskCorruptedException: revive; TaskMigratedException: close as zombies and rejoin).
#include "runtime/stream_thread.h"

#include "runtime/delivery_failures.h"

namespace streams::runtime {

namespace {

//! The delivery failures that refuse one record for good (what Kafka's RecordCollectorImpl.recordSendError hands
//! to the production handler), as opposed to the records purged or refused because the transaction already failed.
std::vector<kafka::Producer::FailedDelivery> RefusedRecords(std::vector<kafka::Producer::FailedDelivery> failures) {
  std::erase_if(failures, [](const kafka::Producer::FailedDelivery& f) {
    switch (f.error) {
      case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
      case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
      case RD_KAFKA_RESP_ERR_INVALID_RECORD:
        return false;
      default:
        return true;
    }
  });
  return failures;
}

}  // namespace

void StreamThread::RecordEnd(const rd_kafka_message_t& eof) {
  end_offsets_[{rd_kafka_topic_name(eof.rkt), eof.partition}] = eof.offset;
}

void StreamThread::CommitTransaction(bool enforce_checkpoints) {
  if (tasks_.empty() && !eos_->producer.in_transaction()) return;
  if (rd_kafka_assignment_lost(consumer_.get())) {
    // Kafka Streams' handleLostAll: the tasks belong to another member already; nothing of theirs is committed.
    log_ << "assignment lost: aborting the transaction and closing " << tasks_.size() << " tasks as zombies"
         << std::endl;
    try {
      eos_->producer.Abort();
    } catch (const kafka::TransactionError& e) {
      if (e.kind() == kafka::TransactionError::Kind::kFatal) throw;
      eos_->producer.Init();
    }
    CloseTasksDirty();
    return;
  }
  for (auto& [id, task] : tasks_) task->FlushCaches();
  for (auto& [id, task] : tasks_) {
    // An input partition whose buffer is empty at the partition's end commits that end (Kafka Streams commits the
    // consumer's position): past the transaction markers that follow the last record of a transactional topic.
    for (const auto& topic : task->input_topics()) {
      StreamTask::InputQueue* q = task->Input(topic, id.partition);
      if (q == nullptr || !q->at_end || !q->records.empty()) continue;
      auto end = end_offsets_.find({topic, id.partition});
      if (end != end_offsets_.end() && end->second > q->next_offset) q->next_offset = end->second;
    }
    for (const auto& [tp, offset] : task->TakeCommitOffsets()) uncommitted_[tp] = offset;
  }
  kafka::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(uncommitted_.size())));
  for (const auto& [tp, offset] : uncommitted_) {
    rd_kafka_topic_partition_list_add(list.get(), tp.first.c_str(), tp.second)->offset = offset;
  }
  try {
    eos_->producer.Commit(*list, consumer_.get());
  } catch (const kafka::TransactionError& e) {
    OnTransactionError(e, enforce_checkpoints);
    return;
  }
  uncommitted_.clear();
  processed_since_commit_ = 0;
  SyncDropped();
  if (enforce_checkpoints) {
    for (auto& [id, task] : tasks_) task->Checkpoint(true);
  }
}

void StreamThread::OnTransactionError(const kafka::TransactionError& e, bool closing) {
  if (e.kind() == kafka::TransactionError::Kind::kFatal) throw e;
  const bool migrated = e.kind() == kafka::TransactionError::Kind::kMigrated;
  log_ << e.what() << ": " << (migrated ? "the tasks migrated to another member" : "the transaction is aborted")
       << "; closing " << tasks_.size() << " tasks dirty" << std::endl;
  bool lost = e.producer_lost();
  if (!lost) {
    try {
      eos_->producer.Abort();
    } catch (const kafka::TransactionError& abort) {
      if (abort.kind() == kafka::TransactionError::Kind::kFatal) throw abort;
      lost = true;
    }
  }
  // The records the broker refused for good made this transaction abortable: the production handler decides about
  // them once it is aborted (Kafka's recordSendError; the handler's FAIL fails the thread, nothing committed). Taken
  // after the abort, which waits for every record of the transaction: a refusal's delivery report may come after
  // the failed call that revealed it.
  const std::vector<kafka::Producer::FailedDelivery> refused =
      closing || migrated || lost ? std::vector<kafka::Producer::FailedDelivery>{}
                                  : RefusedRecords(eos_->producer.TakeFailures());
  // The producer is created again when it is lost, and after every abortable error too: librdkafka 2.0.2 bumps the
  // producer's epoch in the abort that follows a refused or timed-out record ("requires epoch bump"), but may then
  // fail the next transaction as well (OUT_OF_ORDER_SEQUENCE_NUMBER, records timed out); a new producer of the same
  // transactional.id starts from a fresh epoch and fresh sequence numbers.
  const bool renew = lost || !migrated;
  if (closing) {
    CloseTasksDirty();
    if (renew && !instance_.stop->load()) eos_->producer.Init();
    return;
  }
  if (lost) log_ << "producer " << eos_->producer.transactional_id() << " is fenced: creating it again" << std::endl;
  if (renew) eos_->producer.Init();
  if (migrated) {
    // Kafka Streams' handleTaskMigrated: close every task as a zombie, then rejoin the group.
    CloseTasksDirty();
    log_ << "rejoining the consumer group" << std::endl;
    kafka::ThrowIfError(rd_kafka_unsubscribe(consumer_.get()), "leaving the consumer group");
    SubscribeToGroup();
    return;
  }
  if (!refused.empty() && instance_.config->errors.production == errors::Response::kFail) {
    HandleDeliveryFailures(refused, instance_.config->errors, eos_->collector, [this] { CommitDeadLetters(); }, log_,
                           nullptr);
  }
  ReviveTasks();
  if (refused.empty()) return;
  // continue: the replay from the committed offsets produces the refused results again; they are dropped then,
  // instead of aborting every transaction that holds them (an endless abort-and-rewind loop).
  for (const auto& f : refused) eos_->collector.Refuse(f);
  HandleDeliveryFailures(refused, instance_.config->errors, eos_->collector, nullptr, log_,
                         tasks_.empty() ? nullptr : tasks_.begin()->second.get(), DeadLetters::kByReplay);
}

void StreamThread::CommitDeadLetters() {
  // The dead-letter records of refused results, in a transaction of their own (no consumed offsets).
  kafka::TopicPartitionListPtr none(rd_kafka_topic_partition_list_new(0));
  eos_->producer.Commit(*none, consumer_.get());
}

void StreamThread::CloseTasksDirty() {
  routes_.clear();
  last_route_ = nullptr;
  tasks_.clear();  // no commit, no checkpoint: the stores are wiped and restored when the tasks start again
  uncommitted_.clear();
  end_offsets_.clear();
  processed_since_commit_ = 0;
}

void StreamThread::ReviveTasks() {
  rd_kafka_topic_partition_list_t* raw = nullptr;
  kafka::ThrowIfError(rd_kafka_assignment(consumer_.get(), &raw), "reading the assignment");
  kafka::TopicPartitionListPtr assignment(raw);
  std::set<TaskId> revived;
  for (const auto& [id, task] : tasks_) revived.insert(id);
  CloseTasksDirty();
  if (assignment->cnt == 0) return;
  // Rewind to the committed offsets: assigning again drops what was fetched and starts from these.
  kafka::ThrowIfError(rd_kafka_committed(consumer_.get(), assignment.get(), 30000), "reading the committed offsets");
  for (int i = 0; i < assignment->cnt; ++i) {
    auto& tp = assignment->elems[i];
    if (tp.err != RD_KAFKA_RESP_ERR_NO_ERROR || tp.offset < 0) tp.offset = RD_KAFKA_OFFSET_INVALID;
    tp.err = RD_KAFKA_RESP_ERR_NO_ERROR;
  }
  log_ << "reviving " << assignment->cnt << " partitions from their committed offsets" << std::endl;
  kafka::ThrowIfError(rd_kafka_assign(consumer_.get(), assignment.get()), "assigning the partitions again");
  PauseAssigned(consumer_.get(), assignment.get());
  OnAssign(assignment.get(), revived);
}

}  // namespace streams::runtime
