// engine/config/kafka_property_names.cpp
// The property names Kafka 4.4.0 defines, sorted: what a Java application's properties file may hold. Written
// from Kafka itself (StreamsConfig.configDef().names(); ConsumerConfig, ProducerConfig and AdminClientConfig
// .configNames(); TopicConfig's *_CONFIG constants), never by hand: tests/oracle/property_names_check.py --write
// rewrites the lists from the oracle's jars (oracle.sh property-names), and the oracle-property-names test fails
// when they differ.
#include "config/kafka_property_names.h"

namespace streams::config {

//! StreamsConfig: every Kafka Streams property.
const std::vector<std::string_view>& KafkaStreamsPropertyNames() {
  static const std::vector<std::string_view> names = {
    "acceptable.recovery.lag", "allow.os.group.write.access", "application.id", "application.server",
    "bootstrap.servers", "buffered.records.per.partition", "built.in.metrics.version", "cache.max.bytes.buffering",
    "client.id", "commit.interval.ms", "config.providers", "connections.max.idle.ms", "default.client.supplier",
    "default.deserialization.exception.handler", "default.dsl.store", "default.interactive.query.isolation.level",
    "default.key.serde", "default.list.key.serde.inner", "default.list.key.serde.type",
    "default.list.value.serde.inner", "default.list.value.serde.type", "default.production.exception.handler",
    "default.timestamp.extractor", "default.value.serde", "deserialization.exception.handler", "dsl.store.format",
    "dsl.store.suppliers.class", "enable.metrics.push", "enable.transactional.statestores",
    "ensure.explicit.internal.resource.naming", "errors.dead.letter.queue.topic.name", "group.protocol",
    "log.summary.interval.ms", "max.task.idle.ms", "max.warmup.replicas", "metadata.cluster.check.enable",
    "metadata.max.age.ms", "metadata.recovery.rebootstrap.trigger.ms", "metadata.recovery.strategy",
    "metric.reporters", "metrics.num.samples", "metrics.recording.level", "metrics.sample.window.ms",
    "num.standby.replicas", "num.stream.threads", "poll.ms", "probing.rebalance.interval.ms",
    "processing.exception.handler", "processing.exception.handler.global.enabled", "processing.guarantee",
    "processor.wrapper.class", "production.exception.handler", "rack.aware.assignment.non_overlap_cost",
    "rack.aware.assignment.strategy", "rack.aware.assignment.tags", "rack.aware.assignment.traffic_cost",
    "receive.buffer.bytes", "reconnect.backoff.max.ms", "reconnect.backoff.ms", "repartition.purge.interval.ms",
    "replication.factor", "request.timeout.ms", "retry.backoff.ms", "rocksdb.config.setter", "security.protocol",
    "send.buffer.bytes", "state.cleanup.delay.ms", "state.cleanup.dir.max.age.ms", "state.dir",
    "statestore.cache.max.bytes", "statestore.uncommitted.max.bytes", "task.assignor.class", "task.timeout.ms",
    "topology.description.push.enabled", "topology.optimization", "upgrade.from", "window.size.ms",
    "windowed.inner.class.serde", "windowstore.changelog.additional.retention.ms"
  };
  return names;
}

//! The consumer's, producer's and admin client's properties (Java clients).
const std::vector<std::string_view>& KafkaClientPropertyNames() {
  static const std::vector<std::string_view> names = {
    "acks", "allow.auto.create.topics", "auto.commit.interval.ms", "auto.offset.reset", "batch.size",
    "bootstrap.controllers", "bootstrap.resolve.timeout.ms", "bootstrap.servers", "buffer.memory",
    "buffer.memory.allocation.strategy", "check.crcs", "client.dns.lookup", "client.id", "client.rack",
    "compression.gzip.level", "compression.lz4.level", "compression.type", "compression.zstd.level",
    "config.providers", "connections.max.idle.ms", "default.api.timeout.ms", "delivery.timeout.ms",
    "enable.auto.commit", "enable.idempotence", "enable.metrics.push", "exclude.internal.topics", "fetch.max.bytes",
    "fetch.max.wait.ms", "fetch.min.bytes", "group.id", "group.instance.id", "group.protocol",
    "group.remote.assignor", "heartbeat.interval.ms", "interceptor.classes",
    "internal.throw.on.fetch.stable.offset.unsupported", "isolation.level", "key.deserializer", "key.serializer",
    "linger.ms", "max.block.ms", "max.in.flight.requests.per.connection", "max.partition.fetch.bytes",
    "max.poll.interval.ms", "max.poll.records", "max.request.size", "metadata.cluster.check.enable",
    "metadata.max.age.ms", "metadata.max.idle.ms", "metadata.recovery.rebootstrap.trigger.ms",
    "metadata.recovery.strategy", "metric.reporters", "metrics.num.samples", "metrics.recording.level",
    "metrics.sample.window.ms", "partition.assignment.strategy", "partitioner.adaptive.partitioning.enable",
    "partitioner.availability.timeout.ms", "partitioner.class", "partitioner.ignore.keys", "partitioner.rack.aware",
    "receive.buffer.bytes", "reconnect.backoff.max.ms", "reconnect.backoff.ms", "request.timeout.ms", "retries",
    "retry.backoff.max.ms", "retry.backoff.ms", "sasl.client.callback.handler.class", "sasl.jaas.config",
    "sasl.kerberos.kinit.cmd", "sasl.kerberos.min.time.before.relogin", "sasl.kerberos.service.name",
    "sasl.kerberos.ticket.renew.jitter", "sasl.kerberos.ticket.renew.window.factor",
    "sasl.login.callback.handler.class", "sasl.login.class", "sasl.login.connect.timeout.ms",
    "sasl.login.read.timeout.ms", "sasl.login.refresh.buffer.seconds", "sasl.login.refresh.min.period.seconds",
    "sasl.login.refresh.window.factor", "sasl.login.refresh.window.jitter", "sasl.login.retry.backoff.max.ms",
    "sasl.login.retry.backoff.ms", "sasl.mechanism", "sasl.oauthbearer.allow.unverified.audience",
    "sasl.oauthbearer.allow.unverified.issuer", "sasl.oauthbearer.assertion.algorithm",
    "sasl.oauthbearer.assertion.claim.aud", "sasl.oauthbearer.assertion.claim.exp.seconds",
    "sasl.oauthbearer.assertion.claim.iss", "sasl.oauthbearer.assertion.claim.jti.include",
    "sasl.oauthbearer.assertion.claim.nbf.seconds", "sasl.oauthbearer.assertion.claim.sub",
    "sasl.oauthbearer.assertion.file", "sasl.oauthbearer.assertion.private.key.file",
    "sasl.oauthbearer.assertion.private.key.passphrase", "sasl.oauthbearer.assertion.template.file",
    "sasl.oauthbearer.client.credentials.client.id", "sasl.oauthbearer.client.credentials.client.secret",
    "sasl.oauthbearer.clock.skew.seconds", "sasl.oauthbearer.expected.audience", "sasl.oauthbearer.expected.issuer",
    "sasl.oauthbearer.header.urlencode", "sasl.oauthbearer.jwks.endpoint.refresh.ms",
    "sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms", "sasl.oauthbearer.jwks.endpoint.retry.backoff.ms",
    "sasl.oauthbearer.jwks.endpoint.url", "sasl.oauthbearer.jwt.retriever.class",
    "sasl.oauthbearer.jwt.validator.class", "sasl.oauthbearer.scope", "sasl.oauthbearer.scope.claim.name",
    "sasl.oauthbearer.sub.claim.name", "sasl.oauthbearer.token.endpoint.url", "security.protocol",
    "security.providers", "send.buffer.bytes", "session.timeout.ms", "share.acknowledgement.mode",
    "share.acquire.mode", "socket.connection.setup.timeout.max.ms", "socket.connection.setup.timeout.ms",
    "ssl.cipher.suites", "ssl.enabled.protocols", "ssl.endpoint.identification.algorithm",
    "ssl.engine.factory.class", "ssl.key.password", "ssl.keymanager.algorithm", "ssl.keystore.certificate.chain",
    "ssl.keystore.key", "ssl.keystore.location", "ssl.keystore.password", "ssl.keystore.type", "ssl.protocol",
    "ssl.provider", "ssl.secure.random.implementation", "ssl.trustmanager.algorithm", "ssl.truststore.certificates",
    "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type", "transaction.timeout.ms",
    "transaction.two.phase.commit.enable", "transactional.id", "value.deserializer", "value.serializer"
  };
  return names;
}

//! Topic configurations (the `topic.` prefix of Kafka Streams, changelog and repartition topics).
const std::vector<std::string_view>& KafkaTopicPropertyNames() {
  static const std::vector<std::string_view> names = {
    "cleanup.policy", "compression.gzip.level", "compression.lz4.level", "compression.type",
    "compression.zstd.level", "delete.retention.ms", "errors.deadletterqueue.group.enable", "file.delete.delay.ms",
    "flush.messages", "flush.ms", "index.interval.bytes", "local.retention.bytes", "local.retention.ms",
    "max.compaction.lag.ms", "max.decompressed.message.bytes", "max.message.bytes", "message.downconversion.enable",
    "message.timestamp.after.max.ms", "message.timestamp.before.max.ms", "message.timestamp.type",
    "min.cleanable.dirty.ratio", "min.compaction.lag.ms", "min.insync.replicas", "preallocate",
    "remote.copy.lag.bytes", "remote.copy.lag.ms", "remote.log.copy.disable", "remote.log.delete.on.disable",
    "remote.storage.enable", "retention.bytes", "retention.ms", "segment.bytes", "segment.index.bytes",
    "segment.jitter.ms", "segment.ms", "unclean.leader.election.enable"
  };
  return names;
}

}  // namespace streams::config
