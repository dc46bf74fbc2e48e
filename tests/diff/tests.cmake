# Golden tests of streams-diff: each output format on the count example and its filtered version, one case per verdict,
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
            ${UPG}/input-topic-added/old.topology.json ${UPG}/input-topic-added/new.topology.json)
diff_golden(drain-text 1 type-before-repartition.txt
            ${UPG}/type-before-repartition/old.topology.json ${UPG}/type-before-repartition/new.topology.json)
diff_golden(drain-markdown 1 type-before-repartition.md --format markdown
            ${UPG}/type-before-repartition/old.topology.json ${UPG}/type-before-repartition/new.topology.json)
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

# The fixtures of topology-fixtures/talk: the count example -> the count after a filter is reset-required.
diff_golden(talk-fixtures 1 talk-fixtures.txt topology-fixtures/talk/count-v1.topology.json topology-fixtures/talk/count-v2-filter.topology.json)

# Issue 13. Roles come from what a version reads: a topic declared under "topics" (or with --partitions) that only
# the new version subscribes to is an input topic added, and the other way round one removed.
set(DECLARED ${UPG}/input-topic-added-declared)
diff_golden(input-added-declared 1 input-topic-added-declared.txt ${DECLARED}/old.topology.json ${DECLARED}/new.topology.json)
diff_golden(input-removed-declared 1 input-topic-removed-declared.txt ${DECLARED}/new.topology.json ${DECLARED}/old.topology.json)
diff_golden(input-added-partitions 1 input-topic-added-partitions.txt
            ${UPG}/input-topic-added-partitions/old.topology.json ${UPG}/input-topic-added-partitions/new.topology.json
            --partitions customers=6)
# A persistent window or session store whose segment interval (max(retention / 2, 60 s)) changes, directly or
# through a session gap, a window's grace or a stream-stream join window.
diff_golden(segment-interval-session 1 store-segment-interval-changed.txt
            ${UPG}/store-segment-interval-changed/old.topology.json ${UPG}/store-segment-interval-changed/new.topology.json)
diff_golden(segment-interval-retention 1 store-retention-changed.txt
            ${UPG}/store-retention-changed/old.topology.json ${UPG}/store-retention-changed/new.topology.json)
diff_golden(segment-interval-join 1 join-window-changed.txt
            ${UPG}/join-window-changed/old.topology.json ${UPG}/join-window-changed/new.topology.json)
diff_golden(segment-interval-in-memory 0 store-segment-interval-in-memory.txt
            ${UPG}/store-segment-interval-in-memory/old.topology.json ${UPG}/store-segment-interval-in-memory/new.topology.json)
# topology.optimization none -> all: a materialized source table's store is restored from its source topic.
diff_golden(optimization-reuses-table-source 1 changelog-replaced-by-source-topic.txt
            ${UPG}/changelog-replaced-by-source-topic/old.topology.json ${UPG}/changelog-replaced-by-source-topic/new.topology.json)
# Every finding has a fix (store-kind-changed had none); an output topic renamed is one finding.
diff_golden(store-kind-fix 1 store-kind-changed.txt
            ${UPG}/store-kind-changed/old.topology.json ${UPG}/store-kind-changed/new.topology.json)
diff_golden(output-renamed 0 output-topic-renamed.txt
            ${UPG}/output-topic-renamed/old.topology.json ${UPG}/output-topic-renamed/new.topology.json)
# Two describe() texts: no store kinds, formats, windows, partition counts or logic, and no application.id. Every
# format lists the rules that could not be checked; --strict fails on them; --application-id names the internal
# topics (without it they start with ${APPLICATION_ID}, never with the file name).
set(DT ${UPG}/describe-texts-unchecked/old.txt ${UPG}/describe-texts-unchecked/new.txt)
diff_golden(describe-texts-text 0 describe-texts.txt ${DT})
diff_golden(describe-texts-json 0 describe-texts.json ${DT} --format json)
diff_golden(describe-texts-markdown 0 describe-texts.md ${DT} --format markdown)
diff_golden(describe-texts-github 0 describe-texts.github.txt ${DT} --format github)
diff_golden(describe-texts-junit 0 describe-texts.junit.xml ${DT} --format junit)
diff_golden(describe-texts-strict 1 describe-texts-strict.txt ${DT} --strict)
diff_golden(describe-texts-strict-junit 1 describe-texts-strict.junit.xml ${DT} --strict --format junit)
diff_golden(describe-texts-app-id 0 describe-texts-app-id.txt ${DT} --application-id order-stats --partitions orders=6)

# A stream-stream join's repartition topic is named after the selectKey it follows: Named.as pins it, and the
# finding (drain-required) offers the drain, not a reset.
diff_golden(repartition-join-text 1 repartition-join.txt
            ${UPG}/repartition-topic-renamed-join/old.topology.json ${UPG}/repartition-topic-renamed-join/new.topology.json)
# Two split() branches swapped, each with a count of generated store name: each count continues from the other's.
diff_golden(split-swapped-text 1 split-branches-swapped.txt
            ${UPG}/split-branches-swapped/old.topology.json ${UPG}/split-branches-swapped/new.topology.json)
# store-retention-changed's fix (kafka-configs with --bootstrap-server): segment-interval-retention above.
# --path-prefix: annotations name files by their path in the repository; a finding in the old version (a removal)
# goes on the new file, without the old version's line.
diff_golden(github-path-prefix 1 path-prefix.github.txt ${TALK} --format github --path-prefix services/purchases)
diff_golden(github-old-location 0 store-removed.github.txt --format github --path-prefix services/shop
            ${UPG}/store-removed/old.topology.json ${UPG}/store-removed/new.topology.json)
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

# The fixes name commands that run as printed: streams-reset needs the cluster and, for a retired application, the
# old topology (it refuses to guess which topics are an application's from their names alone).
diff_golden(application-id-changed 1 application-id-changed.txt
            ${UPG}/application-id-changed/old.topology.json ${UPG}/application-id-changed/new.topology.json)

# Versions in git as inputs (REV:PATH), in a temporary repository.
add_test(NAME diff-git-revisions
         COMMAND ${PROJECT_SOURCE_DIR}/tests/diff/git_revision_test.sh $<TARGET_FILE:streams-diff>
                 $<TARGET_FILE:streams-describe> ${PROJECT_SOURCE_DIR})
set_tests_properties(diff-git-revisions PROPERTIES LABELS diff)
