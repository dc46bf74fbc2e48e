# processing.guarantee=exactly_once_v2 on the real broker (librdkafka's mock cluster has no real transactions).
add_executable(eos_check ${CMAKE_CURRENT_LIST_DIR}/eos_check.cpp)
target_link_libraries(eos_check PRIVATE streams_engine)

# Configuration: the guarantees Kafka 4.0 removed, and a transaction timeout below the commit interval: exit 2.
cli_golden(eos-exactly-once-removed streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/exactly-once-removed.err STDERR
           topology-fixtures/run/purchase-count/topology.json --embedded -X processing.guarantee=exactly_once)
cli_golden(eos-exactly-once-beta-removed streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/exactly-once-beta-removed.err
           STDERR topology-fixtures/run/purchase-count/topology.json --embedded -X processing.guarantee=exactly_once_beta)
cli_golden(eos-transaction-timeout streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/transaction-timeout.err STDERR
           topology-fixtures/run/purchase-count/topology.json --embedded -X processing.guarantee=exactly_once_v2
           -X commit.interval.ms=20000 -X producer.transaction.timeout.ms=15000)
set_tests_properties(eos-exactly-once-removed eos-exactly-once-beta-removed eos-transaction-timeout PROPERTIES LABELS run)

# Crashes: two instances, one SIGKILLed mid-run and restarted; read_committed outputs exact, read_uncommitted shows
# the aborted duplicates. CI runs 2 rounds of 20,000 records; the full 20 rounds of 100,000 is
# `STREAMS_TEST_BOOTSTRAP=... tests/eos/crash_loop.sh STREAMS_RUN EOS_CHECK . 20 100000` (figures in docs/runtime.md).
streams_broker_test(NAME eos-broker-crash-loop TIMEOUT 600
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/crash_loop.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:eos_check> ${PROJECT_SOURCE_DIR} 2 20000)
# Zombie fencing: SIGSTOP past session.timeout.ms and transaction.timeout.ms, SIGCONT: nothing it writes is
# visible to read_committed, and it rejoins.
streams_broker_test(NAME eos-broker-zombie TIMEOUT 300
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/zombie_test.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:eos_check> ${PROJECT_SOURCE_DIR})
# A broker restart in the middle of a run, on a broker of its own (port + 2; controller port + 3).
math(EXPR EOS_RESTART_PORT "${KAFKA_BROKER_PORT} + 2")
add_test(NAME eos-broker-restart
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/broker_restart_test.sh $<TARGET_FILE:streams-run> $<TARGET_FILE:eos_check>
                 ${PROJECT_SOURCE_DIR} ${EOS_RESTART_PORT})
set_tests_properties(eos-broker-restart PROPERTIES LABELS broker TIMEOUT 600)
# The transactional producer itself: fencing of an older producer of the same transactional.id, aborts.
streams_broker_test(NAME eos-broker-producer TIMEOUT 120 COMMAND unit_tests "[.broker-eos]")
# Checkpoints under exactly_once_v2: none while running, written at a clean shutdown, a full restore after SIGKILL.
streams_broker_test(NAME eos-broker-checkpoints TIMEOUT 300
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/checkpoint_test.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:eos_check> ${PROJECT_SOURCE_DIR})
# A result the broker refuses (larger than its topic's max.message.bytes) under exactly_once_v2: the transaction
# aborted and the tasks rewound; the default production handler fails the instance, continue drops and counts it.
streams_broker_test(NAME eos-broker-production-error TIMEOUT 360
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/production_error_test.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:eos_check> ${PROJECT_SOURCE_DIR} $<TARGET_FILE:dump_topic>)
# Dead-letter records of deserialization and processing errors under exactly_once_v2: committed with the task's
# outputs, exactly one per poison pill in read_committed after a SIGKILL in the middle of a transaction holding one;
# read_uncommitted shows the aborted copies. 2 runs of 20,000 records (a poison pill after every 100th).
streams_broker_test(NAME eos-broker-dead-letters TIMEOUT 600
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/dead_letter_test.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:eos_check> ${PROJECT_SOURCE_DIR} $<TARGET_FILE:dump_topic> 2 20000)
