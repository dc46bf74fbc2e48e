# Uncaught-exception responses (uncaught.exception.response, KIP-671) and task.timeout.ms (KIP-572) on the real
# broker: tests/unit/runtime/uncaught_broker_test.cpp spawns streams-run processes.
streams_broker_test(NAME uncaught-broker TIMEOUT 400 COMMAND unit_tests "[.broker-uncaught]")
set_property(TEST uncaught-broker APPEND PROPERTY ENVIRONMENT STREAMS_RUN=$<TARGET_FILE:streams-run>)
# Pauses the shared broker (SIGSTOP, always resumed): nothing else may run meanwhile.
streams_broker_test(NAME task-timeout-broker TIMEOUT 300 COMMAND unit_tests "[.broker-pause]")
set_property(TEST task-timeout-broker APPEND PROPERTY ENVIRONMENT STREAMS_RUN=$<TARGET_FILE:streams-run>
             STREAMS_BROKER_PID_FILE=${KAFKA_BROKER_DIR}/broker.pid)
set_tests_properties(task-timeout-broker PROPERTIES RUN_SERIAL TRUE)
