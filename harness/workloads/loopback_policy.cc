#include "workloads/loopback_policy.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <memory>

namespace stampede {

bool IsLoopbackHost(const std::string& host) {
  std::string bare = host;
  if (bare.size() >= 2 && bare.front() == '[' && bare.back() == ']') {
    bare = bare.substr(1, bare.size() - 2);
  }
  if (bare == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, bare.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, bare.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

Status CheckUrlAllowed(const std::string& url, bool allow_remote) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), curl_url_cleanup);
  if (curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return InvalidInput("not a valid URL: " + url);
  }
  char* scheme = nullptr;
  char* host = nullptr;
  curl_url_get(handle.get(), CURLUPART_SCHEME, &scheme, 0);
  curl_url_get(handle.get(), CURLUPART_HOST, &host, 0);
  std::string scheme_text = scheme ? scheme : "";
  std::string host_text = host ? host : "";
  curl_free(scheme);
  curl_free(host);
  if (scheme_text != "http") return InvalidInput("only http:// URLs are supported: " + url);
  if (!allow_remote && !IsLoopbackHost(host_text)) {
    return InvalidInput("refusing to send traffic to " + host_text +
                        ": stampede only targets loopback addresses (pass --allow-remote to "
                        "override)");
  }
  return {};
}

}  // namespace stampede
