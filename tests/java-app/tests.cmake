# The recipe for Java applications (README, "Java applications"): a Kafka Streams application writes its describe()
# text, and the topology gate blocks its filter-before-count change naming the store to pin (Java, Maven: the first
# build downloads kafka-streams).
add_test(NAME java-app-recipe
         COMMAND ${PROJECT_SOURCE_DIR}/tests/java-app/recipe_test.sh $<TARGET_FILE_DIR:streams-diff> ${PROJECT_SOURCE_DIR})
set_tests_properties(java-app-recipe PROPERTIES LABELS "java;action" TIMEOUT 900)

# The topology a running application pushed to the broker (streams rebalance protocol, Kafka 4.4): printed by
# kafka-streams-groups --describe --topology and diffed against candidate builds (README, "Java applications").
streams_broker_test(NAME java-app-running-topology TIMEOUT 600
                    COMMAND ${PROJECT_SOURCE_DIR}/tests/java-app/running_topology_test.sh
                            $<TARGET_FILE_DIR:streams-diff> ${PROJECT_SOURCE_DIR} ${KAFKA_BROKER_DIR}/lib)
# Its application uses the topic names of the purchase count ("purchases", "purchase-counts"), which
# run-broker-purchase-count expects to create fresh with one partition: it runs after that test, never beside it, and
# takes the topics as that test leaves them (--if-not-exists).
set_tests_properties(java-app-running-topology PROPERTIES LABELS "broker;java" RESOURCE_LOCK broker-purchase-topics
                     DEPENDS run-broker-purchase-count)
