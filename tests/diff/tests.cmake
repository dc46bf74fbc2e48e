# Golden tests of streams-diff: each output format on the talk's example (slides 27-28), one case per verdict,
# --allow, bad input and usage (exit 2 with one message on stderr), and the rule list, which must equal
# docs/diff-rules.md. STREAMS_UPDATE_GOLDEN=1 ctest -R diff- rewrites the golden files.
set(DIFF_TESTS_DIR ${CMAKE_CURRENT_LIST_DIR})
set(UPG topology-fixtures/upgrades)

# diff_golden(NAME STATUS GOLDEN [STDERR] ARGS...): GOLDEN is relative to tests/diff/golden/.
function(diff_golden name status golden)
  cli_golden(diff-${name} streams-diff ${status} ${DIFF_TESTS_DIR}/golden/${golden} ${ARGN})
  set_tests_properties(diff-${name} PROPERTIES LABELS diff)
endfunction()

set(TALK ${UPG}/talk-count-v1-to-v2-filter/old.topology.json ${UPG}/talk-count-v1-to-v2-filter/new.topology.json)
diff_golden(talk-text 1 talk.txt ${TALK})
diff_golden(talk-json 1 talk.json ${TALK} --format json)
diff_golden(talk-markdown 1 talk.md ${TALK} --format markdown)
diff_golden(talk-github 1 talk.github.txt ${TALK} --format github)
diff_golden(talk-junit 1 talk.junit.xml ${TALK} --format junit)
diff_golden(talk-allowed 0 talk-allowed.github.txt ${TALK} --format github --allow reset-required)
diff_golden(talk-config 1 talk-config.txt ${TALK} --config tests/diff/app.properties)

diff_golden(compatible-text 0 pinned.txt
            ${UPG}/talk-count-v2-filter-pinned/old.topology.json ${UPG}/talk-count-v2-filter-pinned/new.topology.json)
diff_golden(offline-text 1 input-topic-added.txt
            ${UPG}/slide31-input-topic-added/old.topology.json ${UPG}/slide31-input-topic-added/new.topology.json)
diff_golden(drain-text 1 type-before-repartition.txt
            ${UPG}/slide31-type-before-repartition/old.topology.json ${UPG}/slide31-type-before-repartition/new.topology.json)
diff_golden(drain-markdown 1 type-before-repartition.md --format markdown
            ${UPG}/slide31-type-before-repartition/old.topology.json ${UPG}/slide31-type-before-repartition/new.topology.json)
diff_golden(drain-junit 1 repartition-topic-renamed.junit.xml --format junit
            ${UPG}/repartition-topic-renamed/old.topology.json ${UPG}/repartition-topic-renamed/new.topology.json)

diff_golden(missing-file 2 missing-file.err STDERR ${UPG}/talk-count-v1-to-v2-filter/old.topology.json no-such.topology.json)
diff_golden(malformed 2 malformed.err STDERR ${UPG}/talk-count-v1-to-v2-filter/old.topology.json tests/diff/bad/malformed.topology.json)
diff_golden(unknown-op 2 unknown-op.err STDERR ${UPG}/talk-count-v1-to-v2-filter/old.topology.json tests/diff/bad/unknown-op.topology.json)
diff_golden(bad-format 2 bad-format.err STDERR ${TALK} --format yaml)
diff_golden(bad-allow 2 bad-allow.err STDERR ${TALK} --allow rolling)
diff_golden(one-file 2 one-file.err STDERR ${UPG}/talk-count-v1-to-v2-filter/old.topology.json)

cli_golden(diff-list-rules-doc streams-diff 0 ${PROJECT_SOURCE_DIR}/docs/diff-rules.md --list-rules --format markdown)
set_tests_properties(diff-list-rules-doc PROPERTIES LABELS diff)

# OLD as the describe() text a Java application printed, NEW as a topology file: it takes NEW's application.id.
diff_golden(mixed-describe-text 1 mixed-describe-text.txt
            tests/diff/talk-count-v1.describe.txt ${UPG}/talk-count-v1-to-v2-filter/new.topology.json)

# The talk's own fixtures (topology-fixtures/talk): slide 27 -> slide 28 is reset-required.
diff_golden(talk-fixtures 1 talk-fixtures.txt topology-fixtures/talk/count-v1.topology.json topology-fixtures/talk/count-v2-filter.topology.json)

# Configuration per version (--old-config / --new-config): the property that differs is a finding, every finding it
# causes names it as its cause, and the drain runs the old version with the differing properties pinned (-X).
set(CONFIG_UPG ${UPG}/config-optimization-all)
diff_golden(config-per-version 1 config-per-version.txt ${CONFIG_UPG}/old.topology.json ${CONFIG_UPG}/new.topology.json
            --old-config ${CONFIG_UPG}/old.properties --new-config ${CONFIG_UPG}/new.properties)
diff_golden(config-new-only 1 config-new-only.txt ${CONFIG_UPG}/old.topology.json ${CONFIG_UPG}/new.topology.json
            --config tests/diff/app.properties --new-config ${CONFIG_UPG}/new.properties --format github)
# Unknown and misspelt properties stop every tool, naming the file and line where they stand; so does a bad value.
diff_golden(misspelt-property 2 misspelt-property.err STDERR ${TALK} --config tests/diff/config/misspelt.properties)
diff_golden(misspelt-new-config 2 misspelt-property.err STDERR ${TALK} --new-config tests/diff/config/misspelt.properties)
diff_golden(bad-value-in-properties 2 bad-value-in-properties.err STDERR ${TALK} --config tests/diff/config/avro.properties)
