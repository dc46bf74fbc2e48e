package shop;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/** The purchase count: how many purchases each customer made (version 1). */
public final class PurchaseCount {
  private PurchaseCount() {}

  public static Topology build() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("purchases", Consumed.with(Serdes.String(), Serdes.String()))
        .groupByKey()
        .count()
        .toStream()
        .to("purchase-counts", Produced.with(Serdes.String(), Serdes.Long()));
    return builder.build();
  }
}
