// Where the tests find the build's programs and the source tree. The paths are compiled into
// test_paths.cc alone (its own compile definitions), so that every other test file compiles
// the same in any clone and build folder: ccache then serves them to a fresh clone.
#pragma once

namespace stampede_test_paths {

const char* Testprog();   // stampede-testprog
const char* Binary();     // the stampede CLI
const char* BinaryDir();  // the build folder (targets/ below it)
const char* SourceDir();  // the source tree
const char* Python();     // the python3 the checks run with

}  // namespace stampede_test_paths

#define STAMPEDE_TESTPROG (::stampede_test_paths::Testprog())
#define STAMPEDE_BINARY (::stampede_test_paths::Binary())
#define STAMPEDE_BINARY_DIR (::stampede_test_paths::BinaryDir())
#define STAMPEDE_SOURCE_DIR (::stampede_test_paths::SourceDir())
#define STAMPEDE_PYTHON (::stampede_test_paths::Python())
