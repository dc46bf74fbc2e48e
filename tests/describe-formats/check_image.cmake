# Runs streams-describe with --format FORMAT -o OUTPUT and checks the file is an image of that format
# (cmake -P): svg starts with the XML declaration and holds an <svg> element naming EXPECT; png starts with
# the 8-byte PNG signature.
#   TOOL  the streams-describe binary   INPUT  the topology   FORMAT  svg | png
#   OUTPUT  where to write              WORKDIR  the repository root   EXPECT  (svg) a text the picture shows
execute_process(COMMAND ${TOOL} ${INPUT} --format ${FORMAT} -o ${OUTPUT} WORKING_DIRECTORY ${WORKDIR}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "exit status ${status}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(NOT out STREQUAL "" OR NOT err STREQUAL "")
  message(FATAL_ERROR "with -o nothing goes to stdout or stderr\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(FORMAT STREQUAL "png")
  file(READ ${OUTPUT} signature LIMIT 8 HEX)
  if(NOT signature STREQUAL "89504e470d0a1a0a")
    message(FATAL_ERROR "${OUTPUT} does not start with the PNG signature (got ${signature})")
  endif()
  file(SIZE ${OUTPUT} size)
  if(size LESS 1000)
    message(FATAL_ERROR "${OUTPUT} is only ${size} bytes")
  endif()
else()
  file(READ ${OUTPUT} svg)
  string(FIND "${svg}" "<?xml" xml)
  string(FIND "${svg}" "<svg" element)
  string(FIND "${svg}" "</svg>" end)
  string(FIND "${svg}" "${EXPECT}" expected)
  if(NOT xml EQUAL 0 OR element LESS 0 OR end LESS 0 OR expected LESS 0)
    message(FATAL_ERROR "${OUTPUT} is not the expected SVG (<?xml at ${xml}, <svg at ${element}, </svg> at ${end}, "
                        "'${EXPECT}' at ${expected})")
  endif()
endif()
