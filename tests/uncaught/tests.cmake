# Uncaught-exception responses (uncaught.exception.response, KIP-671) and task.timeout.ms (KIP-572) on the real
# broker: tests/unit/runtime/uncaught_broker_test.cpp spawns streams-run processes.
streams_broker_test(NAME uncaught-broker TIMEOUT 400 COMMAND unit_tests "[.broker-uncaught]")
set_property(TEST uncaught-broker APPEND PROPERTY ENVIRONMENT STREAMS_RUN=$<TARGET_FILE:streams-run>)
# Pauses the shared broker (SIGSTOP, always resumed): nothing else may run meanwhile.
streams_broker_test(NAME task-timeout-broker TIMEOUT 300 COMMAND unit_tests "[.broker-pause]")
set_property(TEST task-timeout-broker APPEND PROPERTY ENVIRONMENT STREAMS_RUN=$<TARGET_FILE:streams-run>
             STREAMS_BROKER_PID_FILE=${KAFKA_BROKER_DIR}/broker.pid)
set_tests_properties(task-timeout-broker PROPERTIES RUN_SERIAL TRUE)

# On the embedded cluster: a thread that fails once is replaced and the word count's output is still exact
# (librdkafka's mock group waits the failed member's session timeout before it lets the new thread in: 6 s here).
set(wc_args topology-fixtures/run/word-count/topology.json --embedded
            --input text=topology-fixtures/run/word-count/input/text.jsonl)
cli_golden(run-replace-thread streams-run 0 ${PROJECT_SOURCE_DIR}/topology-fixtures/run/word-count/expected.jsonl
           ${wc_args} -X uncaught.exception.response=replace_thread -X __test.fail.task.once__=*
           -X consumer.session.timeout.ms=6000)
# Bad values: exit status 2 naming the property.
cli_golden(run-bad-uncaught-response streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/bad-uncaught-response.err STDERR
           ${wc_args} -X uncaught.exception.response=shutdown_clinet)
cli_golden(run-negative-task-timeout streams-run 2 ${CMAKE_CURRENT_LIST_DIR}/golden/negative-task-timeout.err STDERR
           ${wc_args} -X task.timeout.ms=-1)
set_tests_properties(run-replace-thread run-bad-uncaught-response run-negative-task-timeout PROPERTIES LABELS run)
