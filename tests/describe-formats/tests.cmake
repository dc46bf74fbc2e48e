# CLI tests of streams-describe's other formats (docs/json-schema.md):
# json, mermaid and dot byte for byte on the count example (stream -> groupByKey -> count -> to) and on a topology with
# repartition topics, json of a parsed Kafka describe() text, and svg/png checked to be real images.
# STREAMS_UPDATE_GOLDEN=1 ctest -R describe-format rewrites the golden files.
set(DESCRIBE_FORMATS_DIR ${CMAKE_CURRENT_LIST_DIR})

# describe_format_golden(NAME GOLDEN ARGS...): GOLDEN is relative to tests/describe-formats/golden/.
function(describe_format_golden name golden)
  cli_golden(describe-format-${name} streams-describe 0 ${DESCRIBE_FORMATS_DIR}/golden/${golden} ${ARGN})
  set_tests_properties(describe-format-${name} PROPERTIES LABELS describe)
endfunction()

set(TALK_V1 topology-fixtures/talk/count-v1.topology.json)
set(COMPLEX topology-fixtures/describe-text/dsl/streams-graph-complex-merge-optimize.topology.json)
describe_format_golden(talk-json count-v1.json ${TALK_V1} --format json)
describe_format_golden(talk-mermaid count-v1.mmd ${TALK_V1} --format mermaid)
describe_format_golden(talk-dot count-v1.dot ${TALK_V1} --format dot)
describe_format_golden(complex-mermaid complex-merge.mmd ${COMPLEX} --format mermaid)
describe_format_golden(complex-dot complex-merge.dot ${COMPLEX} --format dot)
describe_format_golden(parsed-text-json StreamsGraphTest-05.json
                       topology-fixtures/describe-text/kafka-tests/StreamsGraphTest-05.txt -f json)

# describe_format_image(NAME FORMAT INPUT [EXPECT]): the picture is a real SVG (showing EXPECT) or PNG.
function(describe_format_image name format input)
  add_test(NAME describe-format-${name}
           COMMAND ${CMAKE_COMMAND} -DTOOL=$<TARGET_FILE:streams-describe> -DINPUT=${input} -DFORMAT=${format}
                   -DOUTPUT=${CMAKE_CURRENT_BINARY_DIR}/describe-format-${name}.${format} -DWORKDIR=${PROJECT_SOURCE_DIR}
                   "-DEXPECT=${ARGN}" -P ${DESCRIBE_FORMATS_DIR}/check_image.cmake)
  set_tests_properties(describe-format-${name} PROPERTIES LABELS describe)
endfunction()

describe_format_image(talk-svg svg ${TALK_V1} "Sub&#45;topology: 0")
describe_format_image(talk-png png ${TALK_V1})
describe_format_image(complex-svg svg ${COMPLEX} "KSTREAM&#45;MERGE&#45;0000000022&#45;repartition")

# A describe() text says nothing of store kinds, logging or the application.id: the JSON gives them as null and
# lists them under "unknown", the pictures say "kind unknown" (never Kafka's defaults as facts), and internal topics
# start with ${APPLICATION_ID} until --application-id names them (never with the file name).
set(ROT topology-fixtures/describe-text/kafka-tests/RepartitionOptimizingTest-02.txt)
describe_format_golden(parsed-text-unknowns-json RepartitionOptimizingTest-02.json ${ROT} --format json)
describe_format_golden(parsed-text-app-id-json RepartitionOptimizingTest-02.app-id.json ${ROT} --format json
                       --application-id orders-app)
describe_format_golden(parsed-text-unknowns-mermaid RepartitionOptimizingTest-02.mmd ${ROT} --format mermaid)
describe_format_golden(parsed-text-unknowns-dot RepartitionOptimizingTest-02.dot ${ROT} --format dot)
