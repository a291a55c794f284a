#include "workloads/http_load_spec.h"

#include <algorithm>
#include <cctype>

#include "workloads/workload_spec.h"

namespace stampede {
namespace {

// An HTTP token (RFC 9110): what a method or a header name may hold.
bool IsToken(const std::string& text) {
  static const std::string kSpecials = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kSpecials.find(c) != std::string::npos;
  });
}

bool HasLineBreak(const std::string& text) {
  return text.find_first_of("\r\n") != std::string::npos;
}

void CheckRequestShape(ObjectReader& reader, const HttpLoadSpec& spec) {
  if (!IsToken(spec.method)) {
    reader.Report(reader.ChildPointer("method"), "must be an HTTP method such as GET or POST");
  } else if (spec.method == "HEAD") {
    reader.Report(reader.ChildPointer("method"),
                  "HEAD is not supported: its response has no body to delimit it");
  }
  if (spec.path.empty() || spec.path.front() != '/' || HasLineBreak(spec.path) ||
      spec.path.find(' ') != std::string::npos) {
    reader.Report(reader.ChildPointer("path"),
                  "must start with '/' and hold no spaces or line breaks");
  }
  for (const auto& [name, value] : spec.headers) {
    if (!IsToken(name) || HasLineBreak(value)) {
      reader.Report(reader.ChildPointer("headers") + "/" + EscapePointerToken(name),
                    "must be a header name (a token) with a value on one line");
    }
  }
}

}  // namespace

HttpLoadSpec ReadHttpLoadSpec(ObjectReader& reader) {
  HttpLoadSpec spec;
  reader.Required("address", spec.address);
  reader.Optional("connections", spec.connections);
  reader.Optional("requests", spec.requests);
  reader.Optional("pipeline", spec.pipeline);
  reader.Optional("threads", spec.threads);
  reader.Optional("pace_ms", spec.pace_ms);
  reader.Optional("timeout_ms", spec.timeout_ms);
  reader.Optional("reconnect", spec.reconnect);
  reader.Optional("method", spec.method);
  reader.Optional("path", spec.path);
  reader.Optional("headers", spec.headers);
  reader.Optional("body", spec.body);
  reader.Optional("expect_status", spec.expect_status);
  reader.Optional("expect_body", spec.expect_body);
  reader.RequireRange("connections", spec.connections, 1, 10000);
  reader.RequireRange("requests", spec.requests, 0, 10000000);
  reader.RequireRange("pipeline", spec.pipeline, 1, 1024);
  reader.RequireRange("threads", spec.threads, 0, 256);
  ReadRate(reader, spec.rate, "pace_ms", spec.pace_ms);
  reader.RequireRange("pace_ms", spec.pace_ms, 0, 3600000);
  reader.RequireRange("timeout_ms", spec.timeout_ms, 1, 3600000);
  reader.RequireRange("expect_status", spec.expect_status, 100, 599);
  CheckRequestShape(reader, spec);
  return spec;
}

}  // namespace stampede
