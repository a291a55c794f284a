#include "reports/report_links.h"

#include <algorithm>

#include "reports/text_escape.h"

namespace stampede::reports {
namespace {

namespace fs = std::filesystem;

fs::path Resolved(const fs::path& path) {
  std::error_code ec;
  fs::path resolved = fs::weakly_canonical(fs::absolute(path), ec);
  return ec ? fs::absolute(path).lexically_normal() : resolved;
}

int Rank(const fs::path& file) {
  const std::string name = file.filename().string();
  if (name == "verdict.json") return 0;
  if (name == "history.jsonl") return 1;
  return 2;
}

}  // namespace

std::string RelativeHref(const fs::path& target, const fs::path& document) {
  const fs::path from = Resolved(document).parent_path();
  const fs::path to = Resolved(target);
  fs::path relative = to.lexically_relative(from);
  if (relative.empty()) relative = to;  // another root: keep it absolute
  std::string href = UrlPath(relative.generic_string());
  std::error_code ec;
  if (fs::is_directory(target, ec) && !href.ends_with("/")) href += "/";
  return href;
}

std::vector<fs::path> EvidenceFiles(const fs::path& run_dir, std::size_t limit) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(run_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return std::pair(Rank(a), a.filename()) < std::pair(Rank(b), b.filename());
  });
  if (files.size() > limit) files.resize(limit);
  return files;
}

}  // namespace stampede::reports
