# The GitHub Action's gate (action.yml, scripts/topology-gate.sh) on a temporary repository with the GITHUB_*
# variables of a pull request: compatible, blocking and allowed changes.
add_test(NAME action-topology-gate
         COMMAND ${PROJECT_SOURCE_DIR}/tests/action/gate_test.sh $<TARGET_FILE_DIR:streams-diff> ${PROJECT_SOURCE_DIR})
set_tests_properties(action-topology-gate PROPERTIES LABELS action)
