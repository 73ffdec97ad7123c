# accord_add_test(NAME LABEL SOURCES... [LIBS ...] [DEFINES ...])
# One line per test binary; the label (unit, integration, fault) lets `ctest -L unit` run fast.
function(accord_add_test name label)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;DEFINES" ${ARGN})
  if(ACCORD_TEST_LABELS AND NOT label IN_LIST ACCORD_TEST_LABELS)
    return()
  endif()
  add_executable(${name} ${T_SOURCES})
  # Test sources share heavy headers (gtest, asio, protobuf); compiling them in batches
  # instantiates those templates once per batch instead of once per file, which roughly
  # halves a cold build. Each test file must therefore keep its file-local names unique
  # within its binary. ACCORD_UNITY_TESTS=OFF builds file by file (faster edit loops).
  if(ACCORD_UNITY_TESTS)
    set_target_properties(${name} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
  # Line tables are enough for a test's backtrace; full debug info costs a sixth of its
  # compile time at -O2 (the Debug/sanitizer build keeps -g for its reports).
  target_compile_options(${name} PRIVATE $<$<CONFIG:RelWithDebInfo>:-g1>)
  target_link_libraries(${name} PRIVATE ${T_LIBS} accord_test_support GTest::gtest)
  target_compile_definitions(${name} PRIVATE ${T_DEFINES}
    ACCORD_VECTORS_DIR="${PROJECT_SOURCE_DIR}/../shared/vectors"
    ACCORD_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/tests/fixtures")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS ${label} TIMEOUT 600)
endfunction()

# accord_add_script_test(NAME LABEL SCRIPT ARGS...)
# A check that is a Python script rather than a test binary (e.g. the purity check).
function(accord_add_script_test name label script)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  add_test(NAME ${name} COMMAND Python3::Interpreter ${script} ${ARGN})
  set_tests_properties(${name} PROPERTIES LABELS ${label} TIMEOUT 600)
endfunction()
