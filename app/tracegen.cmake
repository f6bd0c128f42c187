# tracegen and the demo data it writes at build time (opened by `promptscope` when given no source).
add_executable(tracegen tracegen.cpp)
target_link_libraries(tracegen PRIVATE promptscope_scenario)
promptscope_set_target_options(tracegen)

set(PROMPTSCOPE_DEMO_FILES "${PROMPTSCOPE_DEMO_DIR}/demo.otlp.jsonl" "${PROMPTSCOPE_DEMO_DIR}/demo.records.jsonl")
add_custom_command(
  OUTPUT ${PROMPTSCOPE_DEMO_FILES}
  COMMAND ${CMAKE_COMMAND} -E make_directory "${PROMPTSCOPE_DEMO_DIR}"
  COMMAND tracegen --requests 2000 --seed 7 --format otlp --out "${PROMPTSCOPE_DEMO_DIR}/demo.otlp.jsonl"
  DEPENDS tracegen
  COMMENT "Generating the demo traffic"
  VERBATIM)
add_custom_target(promptscope_demo ALL DEPENDS ${PROMPTSCOPE_DEMO_FILES})
