// The network-safety rule: stampede talks to loopback addresses only, unless allowed.
#pragma once

#include <string>

#include "core/status.h"

namespace stampede {

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

// InvalidInput unless `url` is a well-formed http:// URL whose host is loopback (any
// host when `allow_remote`).
Status CheckUrlAllowed(const std::string& url, bool allow_remote);

}  // namespace stampede
