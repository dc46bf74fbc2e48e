// A production exception handler that continues: Kafka Streams ships none (DefaultProductionExceptionHandler fails on
// every non-retriable error), so an application that wants to skip a result it cannot write writes one like this.
// It does what DefaultProductionExceptionHandler does, with resume for fail: a retriable send error is retried; any
// other send error and every serialization error drops the record, after writing it to the dead-letter topic when
// errors.dead.letter.queue.topic.name is set (the input record's raw key and value, as Kafka's handlers write them).
// The DLQ cases (tests/dlq) set it as production.exception.handler for Kafka Streams' side of a continue case.
package oracle;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;

public final class ContinueProductionExceptionHandler implements ProductionExceptionHandler {
  private String deadLetterQueueTopic;

  @Override
  public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RetriableException) return Response.retry();
    return Response.resume(deadLetters(context, exception));
  }

  @SuppressWarnings("rawtypes")
  @Override
  public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                           SerializationExceptionOrigin origin) {
    return Response.resume(deadLetters(context, exception));
  }

  private java.util.List<ProducerRecord<byte[], byte[]>> deadLetters(ErrorHandlerContext context, Exception exception) {
    return ExceptionHandlerUtils.maybeBuildDeadLetterQueueRecords(deadLetterQueueTopic, context.sourceRawKey(),
        context.sourceRawValue(), context, exception);
  }

  @Override
  public void configure(Map<String, ?> configs) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    deadLetterQueueTopic = topic == null ? null : topic.toString();
  }
}
