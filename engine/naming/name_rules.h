// engine/naming/name_rules.h
// Every name prefix and suffix Kafka Streams' DSL generates, and the one counter they draw from
// (shared/KAFKA-NAMING.md sections 1-3). Kafka scatters these over KStreamImpl, KTableImpl,
// KGroupedStreamImpl, ...; here they live in one place.
#pragma once

#include <string>
#include <string_view>

namespace streams::naming {

// KStream processors (KStreamImpl.java)
inline constexpr std::string_view kSource = "KSTREAM-SOURCE-";
inline constexpr std::string_view kSink = "KSTREAM-SINK-";
inline constexpr std::string_view kFilter = "KSTREAM-FILTER-";
inline constexpr std::string_view kPeek = "KSTREAM-PEEK-";
inline constexpr std::string_view kFlatMap = "KSTREAM-FLATMAP-";
inline constexpr std::string_view kFlatMapValues = "KSTREAM-FLATMAPVALUES-";
inline constexpr std::string_view kMap = "KSTREAM-MAP-";
inline constexpr std::string_view kMapValues = "KSTREAM-MAPVALUES-";
inline constexpr std::string_view kProcessor = "KSTREAM-PROCESSOR-";
inline constexpr std::string_view kProcessValues = "KSTREAM-PROCESSVALUES-";
inline constexpr std::string_view kPrinter = "KSTREAM-PRINTER-";
inline constexpr std::string_view kKeySelect = "KSTREAM-KEY-SELECT-";
inline constexpr std::string_view kForeach = "KSTREAM-FOREACH-";
inline constexpr std::string_view kToTable = "KSTREAM-TOTABLE-";
inline constexpr std::string_view kRepartition = "KSTREAM-REPARTITION-";
inline constexpr std::string_view kBranch = "KSTREAM-BRANCH-";
inline constexpr std::string_view kMerge = "KSTREAM-MERGE-";
inline constexpr std::string_view kWindowed = "KSTREAM-WINDOWED-";
inline constexpr std::string_view kJoinThis = "KSTREAM-JOINTHIS-";
inline constexpr std::string_view kJoinOther = "KSTREAM-JOINOTHER-";
inline constexpr std::string_view kOuterThis = "KSTREAM-OUTERTHIS-";
inline constexpr std::string_view kOuterOther = "KSTREAM-OUTEROTHER-";
inline constexpr std::string_view kJoin = "KSTREAM-JOIN-";
inline constexpr std::string_view kLeftJoin = "KSTREAM-LEFTJOIN-";
inline constexpr std::string_view kOuterShared = "KSTREAM-OUTERSHARED-";
inline constexpr std::string_view kAggregate = "KSTREAM-AGGREGATE-";
inline constexpr std::string_view kReduce = "KSTREAM-REDUCE-";
// Cogroup (CogroupedStreamAggregateBuilder.java)
inline constexpr std::string_view kCogroupAggregate = "COGROUPKSTREAM-AGGREGATE-";
inline constexpr std::string_view kCogroupMerge = "COGROUPKSTREAM-MERGE-";
// KTable processors (KTableImpl.java, KGroupedTableImpl.java)
inline constexpr std::string_view kTableSource = "KTABLE-SOURCE-";
inline constexpr std::string_view kTableFilter = "KTABLE-FILTER-";
inline constexpr std::string_view kTableMapValues = "KTABLE-MAPVALUES-";
inline constexpr std::string_view kTableJoinThis = "KTABLE-JOINTHIS-";
inline constexpr std::string_view kTableJoinOther = "KTABLE-JOINOTHER-";
inline constexpr std::string_view kTableMerge = "KTABLE-MERGE-";
inline constexpr std::string_view kTableSelect = "KTABLE-SELECT-";
inline constexpr std::string_view kTableSuppress = "KTABLE-SUPPRESS-";
inline constexpr std::string_view kTableToStream = "KTABLE-TOSTREAM-";
inline constexpr std::string_view kTableAggregate = "KTABLE-AGGREGATE-";
inline constexpr std::string_view kTableReduce = "KTABLE-REDUCE-";
inline constexpr std::string_view kTableSink = "KTABLE-SINK-";
inline constexpr std::string_view kTableSourceFk = "KTABLE-SOURCE-";
// Foreign-key join (KTableImpl.doJoinOnForeignKey)
inline constexpr std::string_view kFkSubscriptionRegistration = "KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-";
inline constexpr std::string_view kFkSubscriptionStore = "KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-";
inline constexpr std::string_view kFkSubscriptionProcessor = "KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-";
inline constexpr std::string_view kFkSubscriptionResponse = "KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-";
inline constexpr std::string_view kFkResponseResolver = "KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-";
inline constexpr std::string_view kFkOutput = "KTABLE-FK-JOIN-OUTPUT-";

inline constexpr std::string_view kStateStoreInfix = "STATE-STORE-";
inline constexpr std::string_view kRepartitionSuffix = "-repartition";
inline constexpr std::string_view kChangelogSuffix = "-changelog";
inline constexpr std::string_view kFkTopicSuffix = "-topic";

//! prefix + the index as 10 digits: "KSTREAM-FILTER-0000000001".
std::string IndexedName(std::string_view prefix, int index);

//! True when `name` fully matches KSTREAM.*-[0-9]{10}: a generated KSTREAM name, whose repartition
//! nodes keep generated names (KStreamImpl.createRepartitionedSource).
bool IsGeneratedKStreamName(std::string_view name);

//! The first DSL-generated name in `raw` (a view into it), empty when there is none. `raw` is an internal topic's name without its
//! application id ("KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog"). A generated name starts at the beginning
//! of `raw` or after a '-', begins with KSTREAM-, KTABLE- or COGROUPKSTREAM-, continues with upper-case words
//! joined by '-', and ends in '-' and a 10-digit index followed by the end or a '-'. Kafka Streams uses such names
//! raw (repartition topics, store names, foreign-key topics): in an internal topic the generated name comes right
//! after "<application.id>-" (§3 of ../shared/KAFKA-NAMING.md; a named topology aside).
std::string_view FindGeneratedName(std::string_view raw);

//! The repartition topic for a prefix: prefix + "-repartition", unless it already ends with it.
std::string RepartitionTopicName(const std::string& prefix);

//! Stands for an application.id that the input does not give (a describe() text without --application-id):
//! internal names built with it are incomplete, and the shell commands of upgrade plans read it as a variable.
inline constexpr std::string_view kUnknownApplicationId = "${APPLICATION_ID}";

//! <application.id>-<raw>: how internal topics are named on the cluster; an empty (unknown) application.id
//! gives kUnknownApplicationId-<raw>.
std::string InternalTopicName(const std::string& application_id, const std::string& raw);

//! <application.id>-<store>-changelog.
std::string ChangelogTopicName(const std::string& application_id, const std::string& store);

//! The DSL's single counter (InternalStreamsBuilder.index): processors and stores draw from it.
class NameCounter {
 public:
  //! prefix + %010d(index++)
  std::string NewProcessorName(std::string_view prefix) { return IndexedName(prefix, index_++); }
  //! prefix + "STATE-STORE-" + %010d(index++)
  std::string NewStoreName(std::string_view prefix);
  int next() const { return index_; }

 private:
  int index_ = 0;
};

}  // namespace streams::naming
