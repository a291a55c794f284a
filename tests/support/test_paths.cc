#include "test_paths.h"

namespace stampede_test_paths {

const char* Testprog() {
  return STAMPEDE_TESTPROG_PATH;
}
const char* Binary() {
  return STAMPEDE_BINARY_PATH;
}
const char* BinaryDir() {
  return STAMPEDE_BINARY_DIR_PATH;
}
const char* SourceDir() {
  return STAMPEDE_SOURCE_DIR_PATH;
}
const char* Python() {
  return STAMPEDE_PYTHON_PATH;
}

}  // namespace stampede_test_paths
