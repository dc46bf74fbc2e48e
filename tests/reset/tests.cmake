# streams-reset and the Admin client on the real Kafka broker (fixture kafka_broker, tests/broker/tests.cmake).
# The Catch2 cases live in tests/unit/{kafka,reset}/ with hidden tags, so the plain `unit` test skips them.
streams_broker_test(NAME admin-broker COMMAND unit_tests "[admin]")
streams_broker_test(NAME reset-broker COMMAND unit_tests "[reset-broker]")
