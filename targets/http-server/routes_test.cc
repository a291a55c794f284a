// Unit tests of http-server's routing, the route tables a reload replaces (and --bug reload-race's
// retired table) and the route cache (locked mode). The I/O backends are exercised against a
// running server instead (http_server_e2e_test.cc).
#include "routes.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "http_parser.h"
#include "route_cache.h"
#include "route_table.h"

namespace {

using http::ParseRequest;
using http::ParseStatus;

// The route tables of the Routes tests (synchronised, never reloaded).
RouteTables& TestRoutes() {
  static RouteTables tables(RouteTables::Publication::kSynchronized);
  return tables;
}

std::string Serve(std::string_view raw, RouteCache& cache) {
  http::ParseResult parsed = ParseRequest(raw);
  if (parsed.status != ParseStatus::kComplete) return SerializeReply(ErrorReply(400), false);
  return SerializeReply(PrepareReply(parsed.request, cache, TestRoutes()), false);
}

TEST(Routes, AnswersEachRoute) {
  RouteCache cache(RouteCache::Locking::kMutex);
  EXPECT_EQ(Serve("GET / HTTP/1.1\r\n\r\n", cache),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n");
  EXPECT_EQ(Serve("GET /echo?seq=42 HTTP/1.1\r\n\r\n", cache),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nX-Seq: 42\r\n"
            "\r\n42");
  EXPECT_TRUE(Serve("GET /echo HTTP/1.1\r\n\r\n", cache).starts_with("HTTP/1.1 400 "));
  EXPECT_TRUE(Serve("GET /nope HTTP/1.1\r\n\r\n", cache).starts_with("HTTP/1.1 404 "));
  EXPECT_TRUE(Serve("POST / HTTP/1.1\r\n\r\n", cache).starts_with("HTTP/1.1 405 "));
  std::string head = Serve("HEAD /echo?seq=7 HTTP/1.1\r\n\r\n", cache);
  EXPECT_TRUE(head.ends_with("Content-Length: 1\r\nX-Seq: 7\r\n\r\n")) << head;
}

TEST(Routes, SlowAndShutdownAreActions) {
  RouteCache cache(RouteCache::Locking::kMutex);
  http::Request request;
  request.method = "GET";
  request.target = "/slow?ms=99999";
  EXPECT_EQ(PrepareReply(request, cache, TestRoutes()).delay_ms, 60000);
  request.target = "/slow?ms=x";
  EXPECT_EQ(PrepareReply(request, cache, TestRoutes()).response.status, 400);
  request.target = "/shutdown";
  Reply reply = PrepareReply(request, cache, TestRoutes());
  EXPECT_TRUE(reply.stop_server);
  EXPECT_TRUE(ClosesConnection(reply, false));
  EXPECT_NE(SerializeReply(reply, false).find("Connection: close\r\n"), std::string::npos);
}

TEST(Routes, Http10KeepAliveIsAnnounced) {
  RouteCache cache(RouteCache::Locking::kMutex);
  std::string reply = Serve("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", cache);
  EXPECT_NE(reply.find("Connection: keep-alive\r\n"), std::string::npos);
}

// RouteTables: a reload publishes a new generation; with synchronised publication a request's pin
// keeps its table usable, with the raw pointer (--bug reload-race) a pinned table is retired at
// once and its next use aborts.
TEST(RouteTables, PinnedTableOutlivesAReload) {
  RouteTables tables(RouteTables::Publication::kSynchronized);
  RoutePin pin = tables.Current();
  EXPECT_EQ(pin.get()->generation(), 1u);
  EXPECT_EQ(tables.Reload(), 2u);
  EXPECT_EQ(tables.Reload(), 3u);
  ASSERT_NE(pin.get()->Find("/echo"), nullptr);  // Still live: the pin holds it.
  EXPECT_EQ(pin.get()->Find("/nope"), nullptr);
  EXPECT_EQ(tables.Current().get()->generation(), 3u);
}

TEST(RouteTables, SynchronisedReloadsRaceWithRequestsSafely) {
  RouteTables tables(RouteTables::Publication::kSynchronized);
  std::atomic<bool> done{false};
  std::thread reloader([&] {
    while (!done.load()) tables.Reload();
  });
  std::vector<std::thread> requests;
  for (int t = 0; t < 4; ++t) {
    requests.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        RoutePin pin = tables.Current();
        const Route* route = pin.get()->Find("/");
        ASSERT_NE(route, nullptr);
        route->responses.fetch_add(1);
        pin.get();
      }
    });
  }
  for (auto& request : requests) request.join();
  done = true;
  reloader.join();
}

TEST(RouteTablesDeathTest, RawPointerRetiresAPinnedTable) {
  RouteTables tables(RouteTables::Publication::kRawPointer);
  RoutePin pin = tables.Current();
  ASSERT_NE(pin.get()->Find("/"), nullptr);  // Live until the reload.
  tables.Reload();
  EXPECT_DEATH(pin.get(), "route table used after a reload retired it");
}

TEST(RouteCache, EvictsButKeepsHandedOutEntriesAlive) {
  RouteCache cache(RouteCache::Locking::kMutex, 2);
  auto first = cache.Lookup("/echo?seq=1");
  EXPECT_EQ(cache.Lookup("/echo?seq=1"), first);  // A hit returns the cached object.
  cache.Lookup("/echo?seq=2");
  cache.Lookup("/echo?seq=3");                    // Evicts seq=1, the least recently used.
  EXPECT_NE(cache.Lookup("/echo?seq=1"), first);  // Parsed again.
  EXPECT_EQ(*first->Find("seq"), "1");            // The old object is still valid.
}

// The locked mode is safe under concurrent misses (run under -fsanitize=thread to be sure).
TEST(RouteCache, LockedModeSurvivesConcurrentMisses) {
  RouteCache cache(RouteCache::Locking::kMutex, 8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string seq = std::to_string(t * 100000 + i);
        EXPECT_EQ(*cache.Lookup("/echo?seq=" + seq)->Find("seq"), seq);
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

}  // namespace
