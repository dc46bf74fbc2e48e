# High availability (issue 17) on the real broker, several streams-run processes: the assignment protocol, standby
# tasks (docs/runtime.md, "Assignment"). eos_check (tests/eos) loads the inputs and verifies the counts.
streams_broker_test(NAME ha-broker-failover TIMEOUT 400
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/failover_test.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:eos_check> ${PROJECT_SOURCE_DIR})
streams_broker_test(NAME ha-broker-stickiness TIMEOUT 300
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/stickiness_test.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:eos_check> ${PROJECT_SOURCE_DIR})
set_tests_properties(ha-broker-failover ha-broker-stickiness PROPERTIES LABELS "broker;ha")
streams_broker_test(NAME ha-broker-leader-killed TIMEOUT 300
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/leader_test.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:eos_check> ${PROJECT_SOURCE_DIR})
set_tests_properties(ha-broker-leader-killed PROPERTIES LABELS "broker;ha")
# The fail-over benchmark's own run (bench/failover/failover.sh --check, one round, a small input): the owner of a
# task SIGKILLed, exact final counts; with 0 standbys the moved tasks' changelogs are restored in full, with 1 the
# survivor restores under 1% of them. The benchmark of the same run against Kafka Streams is bench/failover.
foreach(standbys 0 1)
  streams_broker_test(NAME ha-broker-failover-bench-${standbys} TIMEOUT 300
                      COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/failover_bench_test.sh $<TARGET_FILE:streams-run>
                              $<TARGET_FILE:failover_tool> ${PROJECT_SOURCE_DIR} ${standbys})
  set_tests_properties(ha-broker-failover-bench-${standbys} PROPERTIES LABELS "broker;ha")
endforeach()
# Rack-aware standbys: four instances tagged zone a, a, a, b, one standby each stateful task, in the other zone.
streams_broker_test(NAME ha-broker-rack-aware-standbys TIMEOUT 400
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/rack_test.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:eos_check> ${PROJECT_SOURCE_DIR})
# The same with zones a, a, b, b: two instances in each zone.
streams_broker_test(NAME ha-broker-rack-aware-standbys-aabb TIMEOUT 400
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/rack_test.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:eos_check> ${PROJECT_SOURCE_DIR} zone aabb)
set_tests_properties(ha-broker-rack-aware-standbys ha-broker-rack-aware-standbys-aabb PROPERTIES LABELS "broker;ha")
# Warm-up: a newcomer first gets warm-up replicas, then stateful active tasks after a probing rebalance (60 s).
streams_broker_test(NAME ha-broker-warmup TIMEOUT 400
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/warmup_test.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:eos_check> ${PROJECT_SOURCE_DIR})
set_tests_properties(ha-broker-warmup PROPERTIES LABELS "broker;ha")
# Static membership: an instance with group.instance.id SIGKILLed and restarted within the session timeout keeps its
# tasks with no rebalance; the same without group.instance.id rebalances (the check can fail).
foreach(mode static static-leader dynamic)
  streams_broker_test(NAME ha-broker-static-membership-${mode} TIMEOUT 300
                      COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/static_test.sh $<TARGET_FILE:streams-run>
                              $<TARGET_FILE:eos_check> ${PROJECT_SOURCE_DIR} ${mode})
  set_tests_properties(ha-broker-static-membership-${mode} PROPERTIES LABELS "broker;ha")
endforeach()
# More stream threads (6) than partitions (2): the leader waits for the members `range` gives nothing (reporting 2 s
# late here), seen in the group the broker describes; every thread gets a task.
streams_broker_test(NAME ha-broker-more-threads-than-partitions TIMEOUT 300
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/threads_test.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:eos_check> ${PROJECT_SOURCE_DIR})
set_tests_properties(ha-broker-more-threads-than-partitions PROPERTIES LABELS "broker;ha")
