# Runs streams-describe on one oracle fixture and compares its stdout byte for byte with the oracle's
# expected text (cmake -P). Never rewrites the expected file: only tests/oracle/regenerate.sh writes it.
#   TOOL      the streams-describe binary    INPUT   the topology file
#   EXPECTED  the oracle's describe() text   ACTUAL  where to leave the tool's output when they differ
execute_process(COMMAND ${TOOL} ${INPUT} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "streams-describe ${INPUT}: exit status ${status}\n${err}")
endif()
file(READ ${EXPECTED} expected)
if(NOT out STREQUAL expected)
  file(WRITE ${ACTUAL} "${out}")
  message(FATAL_ERROR "streams-describe output differs from the Kafka Streams oracle:\n"
                      "  diff -u ${EXPECTED} ${ACTUAL}")
endif()
