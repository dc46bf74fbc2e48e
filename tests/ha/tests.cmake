# High availability on the real broker: fail-over of a stateful count between two streams-run instances
# (bench/failover/failover.sh --check: the owner of a task SIGKILLed, the survivor takes over, exact final counts,
# the records restored). The benchmark of the same run against Kafka Streams is bench/failover (docs/runtime.md).
streams_broker_test(NAME ha-broker-failover TIMEOUT 300
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/failover_test.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:failover_tool> ${PROJECT_SOURCE_DIR} 0)
set_tests_properties(ha-broker-failover PROPERTIES LABELS "broker;ha")
# The same with num.standby.replicas=1: the survivor must restore under 1% of the moved tasks' changelogs. Off
# until the engine has standby replicas (a build that refuses num.standby.replicas fails it).
option(STREAMS_HA_STANDBY_TEST "add ha-broker-failover-standby (needs standby replicas in the engine)" OFF)
if(STREAMS_HA_STANDBY_TEST)
  streams_broker_test(NAME ha-broker-failover-standby TIMEOUT 300
                      COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/failover_test.sh $<TARGET_FILE:streams-run>
                              $<TARGET_FILE:failover_tool> ${PROJECT_SOURCE_DIR} 1)
  set_tests_properties(ha-broker-failover-standby PROPERTIES LABELS "broker;ha")
endif()
