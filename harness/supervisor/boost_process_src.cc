// The compiled part of Boost.Process v2 (BOOST_PROCESS_V2_SEPARATE_COMPILATION): built once
// here instead of in every file that includes it.
#include <boost/process/v2/src.hpp>
