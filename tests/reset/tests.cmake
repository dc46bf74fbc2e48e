# streams-reset and the Admin client on the real Kafka broker (fixture kafka_broker, tests/broker/tests.cmake).
# The Catch2 cases live in tests/unit/{kafka,reset}/ with hidden tags, so the plain `unit` test skips them.
streams_broker_test(NAME admin-broker COMMAND unit_tests "[admin-broker]")
streams_broker_test(NAME reset-broker COMMAND unit_tests "[reset-broker]"
                    ENV STREAMS_RESET_BIN=$<TARGET_FILE:streams-reset>)

# Bad input: exit status 2 and one message, before any connection (the bootstrap server is never contacted).
set(reset_base --application-id app --bootstrap-server 127.0.0.1:1 --input-topics in)
cli_golden(reset-two-offset-options streams-reset 2 ${CMAKE_CURRENT_LIST_DIR}/golden/two-offset-options.err STDERR
           ${reset_base} --to-latest --shift-by 3)
cli_golden(reset-bad-datetime streams-reset 2 ${CMAKE_CURRENT_LIST_DIR}/golden/bad-datetime.err STDERR
           ${reset_base} --to-datetime 2024-02-30T10:00:00)
cli_golden(reset-bad-duration streams-reset 2 ${CMAKE_CURRENT_LIST_DIR}/golden/bad-duration.err STDERR
           ${reset_base} --by-duration P1H)
cli_golden(reset-bad-csv streams-reset 2 ${CMAKE_CURRENT_LIST_DIR}/golden/bad-csv.err STDERR
           ${reset_base} --from-file tests/reset/bad/bad-partition.csv)
cli_golden(reset-dry-run-and-execute streams-reset 2 ${CMAKE_CURRENT_LIST_DIR}/golden/dry-run-and-execute.err STDERR
           ${reset_base} --dry-run --execute)
cli_golden(reset-bad-application-id streams-reset 2 ${CMAKE_CURRENT_LIST_DIR}/golden/bad-application-id.err STDERR
           --application-id "my app" --bootstrap-server 127.0.0.1:1)
cli_golden(reset-bad-format streams-reset 2 ${CMAKE_CURRENT_LIST_DIR}/golden/bad-format.err STDERR
           ${reset_base} --format xml)
# Ownership by name and the state directory are checked before connecting too (127.0.0.1:1 is never reached).
cli_golden(reset-foreign-internal-topic streams-reset 2 ${CMAKE_CURRENT_LIST_DIR}/golden/foreign-internal-topic.err
           STDERR ${reset_base} --internal-topics app-v2-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog)
cli_golden(reset-state-dir-symlink streams-reset 2 ${CMAKE_CURRENT_LIST_DIR}/golden/state-dir-symlink.err STDERR
           ${reset_base} --state-dir tests/reset/bad/linked-state --execute)
set_tests_properties(reset-two-offset-options reset-bad-datetime reset-bad-duration reset-bad-csv
                     reset-dry-run-and-execute reset-bad-application-id reset-bad-format reset-foreign-internal-topic
                     reset-state-dir-symlink PROPERTIES LABELS reset)

# Reset after a run: the word count run, reset, and run again reproduces its output exactly (streams-run batch mode).
streams_broker_test(NAME reset-after-run TIMEOUT 300
                    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/reset_after_run.sh $<TARGET_FILE:streams-run>
                            $<TARGET_FILE:streams-reset> ${PROJECT_SOURCE_DIR})
cli_golden(reset-misspelt-property streams-reset 2 ${CMAKE_CURRENT_LIST_DIR}/golden/misspelt-property.err STDERR
           ${reset_base} --config tests/diff/config/misspelt.properties)
set_tests_properties(reset-misspelt-property PROPERTIES LABELS reset)
