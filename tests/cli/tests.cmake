# The command-line convention shared by the five tools (tools/cli_parse.h): --version names the version and the
# commit (with a fallback outside a git checkout), --help exits 0, a UTF-8 byte-order mark is accepted.
foreach(tool describe diff run reset drain)
  add_test(NAME cli-version-${tool} COMMAND streams-${tool} --version)
  set_tests_properties(cli-version-${tool} PROPERTIES LABELS cli
                       PASS_REGULAR_EXPRESSION "^streams-${tool} [0-9]+\\.[0-9]+\\.[0-9]+ \\(commit ([0-9a-f]+|unknown \\(not a git checkout\\))\\)\n$")
  add_test(NAME cli-help-${tool} COMMAND streams-${tool} --help)
  set_tests_properties(cli-help-${tool} PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION "--version")
endforeach()

# Outside a git checkout the commit is "unknown (not a git checkout)" (the file system root is none).
add_test(NAME cli-version-fallback
         COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=/ -P ${PROJECT_SOURCE_DIR}/cmake/BuildInfo.cmake)
set_tests_properties(cli-version-fallback PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION "^unknown \\(not a git checkout\\)\n$")

# A topology file saved with a byte-order mark reads as any other.
add_test(NAME cli-byte-order-mark COMMAND streams-describe tests/cli/bom.topology.json WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli-byte-order-mark PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION "Sink: KSTREAM-SINK-0000000001 \\(topic: out\\)")
