// Whether a stopped target gave its TCP port back: a listening socket left on the port (by a
// child that inherited it, a daemonised helper, ...) makes the next start fail.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>

namespace stampede {

// The sockets in state LISTEN on local TCP port `port`, any address, IPv4 and IPv6, from
// /proc/net/tcp{,6} of stampede's network namespace, with the processes holding them:
// [{"local": "127.0.0.1:8080", "holders": [{"pid", "fd", "comm"}]}]. A holder that cannot be
// found (another user's process, without permission) leaves "holders" empty.
nlohmann::json PortListeners(int port);

// Waits up to `grace` for every listener on `port` to go away; returns the listeners still
// there at the end (an empty array when the port was released).
nlohmann::json WaitForPortRelease(int port, std::chrono::milliseconds grace);

}  // namespace stampede
