# Runs the oracle's run mode (tests/oracle/oracle.sh run) on one file and compares its JSON lines with
# an expected file (cmake -P).  ORACLE  oracle.sh   FILE  the topology file
#   INPUTS  TOPIC=RECORDS.jsonl pairs separated by '|'   EXPECTED  the expected output lines
string(REPLACE "|" ";" inputs "${INPUTS}")
set(args run ${FILE})
foreach(input ${inputs})
  list(APPEND args --input ${input})
endforeach()
execute_process(COMMAND ${ORACLE} ${args} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "oracle.sh ${args}: exit status ${status}\n${err}")
endif()
file(READ ${EXPECTED} expected)
if(NOT out STREQUAL expected)
  message(FATAL_ERROR "the oracle's run output differs from ${EXPECTED}:\n${out}")
endif()
