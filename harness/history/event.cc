#include "history/event.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <stdexcept>
#include <string_view>

namespace stampede {
namespace {

template <typename Enum, std::size_t N>
Enum FromString(const std::array<const char*, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<Enum>(i);
  }
  throw std::invalid_argument("unknown history value: " + std::string(name));
}

constexpr std::array<const char*, 4> kOpTypes = {"invoke", "ok", "fail", "info"};
constexpr std::array<const char*, 3> kPhases = {"startup", "running", "shutdown"};
constexpr std::array<const char*, 9> kActions = {"spawned",        "ready",        "not_ready",
                                                 "stop_requested", "stop_timeout", "exited",
                                                 "port_held",      "unresponsive", "stray_killed"};

}  // namespace

bool IsClientEvent(const ProcessEvent& event) {
  return event.evidence.is_object() && event.evidence.value("role", std::string()) == "client";
}

const char* ToString(OpType type) {
  return kOpTypes[static_cast<int>(type)];
}
const char* ToString(Phase phase) {
  return kPhases[static_cast<int>(phase)];
}
const char* ToString(ProcessAction action) {
  return kActions[static_cast<int>(action)];
}

void to_json(nlohmann::json& j, const Operation& op) {
  j = {{"type", ToString(op.type)},
       {"time_ns", op.time_ns},
       {"client", op.client},
       {"seq", op.seq},
       {"f", op.f}};
  if (op.connection >= 0) j["connection"] = op.connection;
  if (!op.expected.empty()) j["expected"] = op.expected;
  if (!op.got.empty()) j["got"] = op.got;
  if (!op.error.empty()) j["error"] = op.error;
  if (!op.stream.empty()) j["stream"] = op.stream;
  if (op.intended_ns >= 0) j["intended_ns"] = op.intended_ns;
}

namespace {

// Appends `text` as a JSON string. Printable ASCII without quotes or backslashes (tokens,
// keys, error messages) is copied as is; anything else goes through nlohmann, which escapes
// it and replaces invalid UTF-8.
void AppendJsonString(const std::string& text, std::string& out) {
  bool plain = std::all_of(text.begin(), text.end(),
                           [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (!plain) {
    out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

}  // namespace

void AppendJsonLine(const Operation& op, std::string& out) {
  // Members in the order nlohmann writes them (sorted), so both writers agree byte for byte.
  fmt::format_to(std::back_inserter(out), "{{\"client\":{}", op.client);
  if (op.connection >= 0)
    fmt::format_to(std::back_inserter(out), ",\"connection\":{}", op.connection);
  if (!op.error.empty()) {
    out += ",\"error\":";
    AppendJsonString(op.error, out);
  }
  if (!op.expected.empty()) {
    out += ",\"expected\":";
    AppendJsonString(op.expected, out);
  }
  out += ",\"f\":";
  AppendJsonString(op.f, out);
  if (!op.got.empty()) {
    out += ",\"got\":";
    AppendJsonString(op.got, out);
  }
  if (op.intended_ns >= 0)
    fmt::format_to(std::back_inserter(out), ",\"intended_ns\":{}", op.intended_ns);
  fmt::format_to(std::back_inserter(out), ",\"seq\":{}", op.seq);
  if (!op.stream.empty()) {
    out += ",\"stream\":";
    AppendJsonString(op.stream, out);
  }
  fmt::format_to(std::back_inserter(out), ",\"time_ns\":{},\"type\":\"{}\"}}\n", op.time_ns,
                 ToString(op.type));
}

void from_json(const nlohmann::json& j, Operation& op) {
  op.type = FromString<OpType>(kOpTypes, j.at("type").get<std::string>());
  op.time_ns = j.at("time_ns").get<std::int64_t>();
  op.client = j.at("client").get<int>();
  op.seq = j.at("seq").get<std::int64_t>();
  op.f = j.at("f").get<std::string>();
  op.connection = j.value("connection", -1);
  op.expected = j.value("expected", "");
  op.got = j.value("got", "");
  op.error = j.value("error", "");
  op.stream = j.value("stream", "");
  op.intended_ns = j.value("intended_ns", std::int64_t{-1});
}

void to_json(nlohmann::json& j, const ProcessEvent& event) {
  j = {{"type", "process"},        {"action", ToString(event.action)},
       {"time_ns", event.time_ns}, {"target", event.target},
       {"pid", event.pid},         {"phase", ToString(event.phase)}};
  if (event.exit) {
    nlohmann::json exit = {{"core_dumped", event.exit->core_dumped}};
    if (event.exit->exit_code) exit["exit_code"] = *event.exit->exit_code;
    if (event.exit->signal) exit["signal"] = *event.exit->signal;
    j["exit"] = exit;
    j["clean"] = event.clean;
    j["killed_by_harness"] = event.killed_by_harness;
  }
  if (!event.detail.empty()) j["detail"] = event.detail;
  if (event.cycle) j["cycle"] = *event.cycle;
  if (!event.evidence.empty()) j["evidence"] = event.evidence;
}

void from_json(const nlohmann::json& j, ProcessEvent& event) {
  event.action = FromString<ProcessAction>(kActions, j.at("action").get<std::string>());
  event.time_ns = j.at("time_ns").get<std::int64_t>();
  event.target = j.at("target").get<std::string>();
  event.pid = j.at("pid").get<int>();
  event.phase = FromString<Phase>(kPhases, j.at("phase").get<std::string>());
  if (j.contains("exit")) {
    const auto& exit = j.at("exit");
    ExitInfo info;
    info.core_dumped = exit.value("core_dumped", false);
    if (exit.contains("exit_code")) info.exit_code = exit.at("exit_code").get<int>();
    if (exit.contains("signal")) info.signal = exit.at("signal").get<int>();
    event.exit = info;
  }
  event.clean = j.value("clean", false);
  event.killed_by_harness = j.value("killed_by_harness", false);
  event.detail = j.value("detail", "");
  if (j.contains("cycle")) event.cycle = j.at("cycle").get<int>();
  event.evidence = j.value("evidence", nlohmann::json::object());
}

}  // namespace stampede
