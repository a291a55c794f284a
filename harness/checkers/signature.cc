#include "checkers/signature.h"

#include <algorithm>
#include <regex>
#include <set>

namespace stampede {
namespace {

// `text` with what differs between runs of the same bug replaced: hexadecimal addresses, the
// "==PID==" of sanitizer reports, and numbers of three digits or more (pids, ports, sizes) except
// line numbers ("file.cc:201").
std::string WithoutRunDetails(const std::string& text) {
  static const std::regex kAddress("0x[0-9a-fA-F]+");
  static const std::regex kSanitizerPid("==[0-9]+==");
  static const std::regex kLongNumber("(^|[^:0-9])[0-9]{3,}\\b");
  std::string out = std::regex_replace(text, kAddress, "0x?");
  out = std::regex_replace(out, kSanitizerPid, "==");
  return std::regex_replace(out, kLongNumber, "$1N");
}

std::string CrashDetail(const nlohmann::json& evidence) {
  if (auto it = evidence.find("signature"); it != evidence.end() && it->is_string()) {
    return it->get<std::string>();
  }
  if (auto it = evidence.find("title"); it != evidence.end() && it->is_string()) {
    const auto& title = it->get_ref<const std::string&>();
    if (!title.empty()) return WithoutRunDetails(title.substr(0, title.find('\n')));
  }
  if (auto it = evidence.find("signal"); it != evidence.end() && it->is_string()) {
    return it->get<std::string>();
  }
  if (auto it = evidence.find("exit_code"); it != evidence.end() && it->is_number_integer()) {
    return "exit " + std::to_string(it->get<int>());
  }
  return "";
}

// "serving", or "serving; waiting in Loop::Run, Pool::Take" when the stacks were readable.
std::string HangDetail(const nlohmann::json& evidence) {
  std::string detail = evidence.value("phase", std::string());
  if (auto it = evidence.find("waiting_in"); it != evidence.end() && it->is_string()) {
    detail += "; waiting in " + it->get<std::string>();
  }
  return detail;
}

}  // namespace

std::string FailureSignature(const Failure& failure) {
  std::string signature = ToString(failure.kind);
  if (!failure.target.empty()) signature += " " + failure.target;
  std::string detail;
  if (failure.kind == FailureKind::kCrash || failure.kind == FailureKind::kExit) {
    detail = CrashDetail(failure.evidence);
  }
  if (failure.kind == FailureKind::kHang) detail = HangDetail(failure.evidence);
  if (!detail.empty()) signature += ": " + detail;
  return signature;
}

std::string AttemptSignature(const std::vector<Failure>& failures) {
  std::set<std::string> unique;
  for (const auto& failure : failures) unique.insert(FailureSignature(failure));
  std::string joined;
  for (const auto& signature : unique) joined += (joined.empty() ? "" : " + ") + signature;
  return joined;
}

}  // namespace stampede
