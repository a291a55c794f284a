# Stampede.cmake: stampede scenarios as CTest tests.
#
# Include it after enable_testing(), from stampede's ci/ folder:
#
#   list(APPEND CMAKE_MODULE_PATH /path/to/stampede/ci)
#   include(Stampede)
#
#   stampede_add_scenario(NAME FILE
#                         [SET key=value ...]
#                         [MATRIX key=v1,v2,... | key=* ...]
#                         [REPEAT n]
#                         [EXPECT pass|fail]
#                         [EXPECT_FAIL key=value | key!=value ...]
#                         [SHARD K/N]
#                         [TIMEOUT seconds]
#                         [LABELS label ...]
#                         [ARGS extra-argument ...])
#
# adds the CTest test NAME, which runs
#
#   ${STAMPEDE_EXECUTABLE} run FILE [--set key=value]... [--matrix AXIS]... [--repeat n]
#                          [--expect-fail RULE]... [--shard K/N] [ARGS...]
#                          --out ${CMAKE_CURRENT_BINARY_DIR}/stampede/NAME
#
# and passes exactly when stampede exits 0. `ctest -V` prints that command; it reproduces
# the test outside CTest.
#
#   NAME         the test's name, also the name of its output folder (no / or \).
#   FILE         a scenario file, or a folder (a suite of every *.json under it); relative
#                to CMAKE_CURRENT_SOURCE_DIR. It must exist when CMake configures.
#   SET          parameter overrides (--set), e.g. SET requests=50 bug=cross-talk.
#   MATRIX       matrix axes (--matrix): each cell of the scenario x the values runs once
#                (key=* stands for the parameter's declared choices).
#   REPEAT       attempts per run or per cell (--repeat n); each attempt must be as expected.
#   EXPECT       pass (default): every run must pass. fail: every run (every cell) must fail;
#                the test runs in suite mode with --expect-fail '*', so stampede itself
#                decides, and an invalid scenario (exit 2) or a harness error (exit 3) still
#                fails the test. (CTest's WILL_FAIL is not used: it would hide them.)
#   EXPECT_FAIL  finer expectations for a MATRIX (--expect-fail, repeatable): the cells whose
#                parameter has (key=value) or has not (key!=value) that value must fail, the
#                others must pass. E.g. MATRIX bug=* EXPECT_FAIL bug!=none.
#   SHARD        run only slice K of N of the suite's cells (--shard K/N).
#   TIMEOUT      the test's timeout in seconds (default 600).
#   LABELS       further CTest labels; every test also has the label `stampede`, so
#                `ctest -L stampede` runs them all.
#   ARGS         further arguments for `stampede run`, e.g. ARGS --seed 42.
#
# MATRIX, EXPECT fail, EXPECT_FAIL and SHARD make the run a suite: the output folder then
# holds suite.json, report.html, report.md and cells/NNN-ID/attempt-NNN/; otherwise it is a
# run folder (verdict.json, or summary.json and attempt-NNN/ with REPEAT). The folder keeps
# the last run; `stampede report DIR... --junit F` turns suite folders into reports.
# `ctest --output-junit junit.xml` (CMake 3.21+) writes one testcase per NAME.
#
# STAMPEDE_EXECUTABLE (cache variable) is the stampede binary: found in PATH by default,
# or set it, e.g. -DSTAMPEDE_EXECUTABLE=/opt/stampede/build/stampede. A project that builds
# stampede itself may set it to $<TARGET_FILE:stampede>. The sample targets of
# scenarios/lab/ are found beside the binary (or pass ARGS --targets-dir DIR).
#
# Values are CMake list elements: they cannot contain `;`. No shell is involved, so `*`
# and spaces reach stampede as written.

include_guard(GLOBAL)
if(CMAKE_VERSION VERSION_LESS 3.20)
  message(FATAL_ERROR "Stampede.cmake needs CMake 3.20 or newer (this is ${CMAKE_VERSION})")
endif()
# The function keeps these policies whatever the including project's minimum version is.
cmake_policy(PUSH)
cmake_policy(VERSION 3.20)

find_program(STAMPEDE_EXECUTABLE stampede DOC "The stampede binary run by stampede_add_scenario()")

function(stampede_add_scenario name file)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "REPEAT;EXPECT;TIMEOUT;SHARD"
                        "SET;MATRIX;EXPECT_FAIL;LABELS;ARGS")
  set(where "stampede_add_scenario(${name})")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(arg_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "${where}: no value after ${arg_KEYWORDS_MISSING_VALUES}")
  endif()
  if(name STREQUAL "" OR name STREQUAL "." OR name STREQUAL ".."
     OR name MATCHES "/" OR name MATCHES "\\\\")
    message(FATAL_ERROR "${where}: NAME must be usable as a folder name")
  endif()
  if(NOT STAMPEDE_EXECUTABLE)
    message(FATAL_ERROR "${where}: stampede not found; set -DSTAMPEDE_EXECUTABLE=/path/to/stampede")
  endif()

  cmake_path(ABSOLUTE_PATH file BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "${where}: no scenario file or folder ${file}")
  endif()

  set(command "${STAMPEDE_EXECUTABLE}" run "${file}")
  foreach(override IN LISTS arg_SET)
    if(NOT override MATCHES "^[^=]+=")
      message(FATAL_ERROR "${where}: SET wants key=value, got '${override}'")
    endif()
    list(APPEND command --set "${override}")
  endforeach()
  foreach(axis IN LISTS arg_MATRIX)
    if(NOT axis MATCHES "^[^=]+=.")
      message(FATAL_ERROR "${where}: MATRIX wants key=v1,v2,... or key=*, got '${axis}'")
    endif()
    list(APPEND command --matrix "${axis}")
  endforeach()
  if(DEFINED arg_REPEAT)
    if(NOT arg_REPEAT MATCHES "^[1-9][0-9]*$")
      message(FATAL_ERROR "${where}: REPEAT wants a positive count, got '${arg_REPEAT}'")
    endif()
    list(APPEND command --repeat "${arg_REPEAT}")
  endif()

  if(NOT DEFINED arg_EXPECT OR arg_EXPECT STREQUAL "pass")
    set(expect_all_fail FALSE)
  elseif(arg_EXPECT STREQUAL "fail")
    set(expect_all_fail TRUE)
  else()
    message(FATAL_ERROR "${where}: EXPECT is pass or fail, got '${arg_EXPECT}'")
  endif()
  if(expect_all_fail AND arg_EXPECT_FAIL)
    message(FATAL_ERROR "${where}: EXPECT fail already expects every cell to fail; drop EXPECT_FAIL")
  endif()
  if(expect_all_fail)
    list(APPEND command --expect-fail "*")
  endif()
  foreach(rule IN LISTS arg_EXPECT_FAIL)
    if(NOT rule MATCHES "^[^=!]+!?=.")
      message(FATAL_ERROR "${where}: EXPECT_FAIL wants key=value or key!=value, got '${rule}'")
    endif()
    list(APPEND command --expect-fail "${rule}")
  endforeach()

  if(DEFINED arg_SHARD)
    if(NOT arg_SHARD MATCHES "^([1-9][0-9]*)/([1-9][0-9]*)$" OR CMAKE_MATCH_1 GREATER CMAKE_MATCH_2)
      message(FATAL_ERROR "${where}: SHARD wants K/N with 1 <= K <= N, got '${arg_SHARD}'")
    endif()
    list(APPEND command --shard "${arg_SHARD}")
  endif()
  list(APPEND command ${arg_ARGS} --out "${CMAKE_CURRENT_BINARY_DIR}/stampede/${name}")

  set(timeout 600)
  if(DEFINED arg_TIMEOUT)
    if(NOT arg_TIMEOUT MATCHES "^[0-9]+(\\.[0-9]+)?$" OR arg_TIMEOUT EQUAL 0)
      message(FATAL_ERROR "${where}: TIMEOUT wants seconds > 0, got '${arg_TIMEOUT}'")
    endif()
    set(timeout ${arg_TIMEOUT})
  endif()
  set(labels stampede ${arg_LABELS})
  list(REMOVE_DUPLICATES labels)

  add_test(NAME "${name}" COMMAND ${command})
  set_tests_properties("${name}" PROPERTIES TIMEOUT ${timeout} LABELS "${labels}")
  if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.27)
    # On timeout, interrupt stampede first, so it stops the targets and writes its verdicts
    # (`aborted`) before CTest kills it.
    set_tests_properties("${name}" PROPERTIES TIMEOUT_SIGNAL_NAME SIGINT
                                              TIMEOUT_SIGNAL_GRACE_PERIOD 10)
  endif()
endfunction()

cmake_policy(POP)
