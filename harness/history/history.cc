#include "history/history.h"

#include <algorithm>
#include <fstream>

#include "core/clock.h"

namespace stampede {

void History::MergeOps(std::vector<Operation> more) {
  auto by_time = [](const Operation& a, const Operation& b) { return a.time_ns < b.time_ns; };
  if (ops.empty()) {  // the common case: one load thread's ops, already in time order
    ops = std::move(more);
    if (!std::is_sorted(ops.begin(), ops.end(), by_time)) {
      std::stable_sort(ops.begin(), ops.end(), by_time);
    }
    return;
  }
  const auto middle = ops.size();
  ops.insert(ops.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  std::sort(ops.begin() + static_cast<std::ptrdiff_t>(middle), ops.end(),
            [](const Operation& a, const Operation& b) { return a.time_ns < b.time_ns; });
  std::inplace_merge(ops.begin(), ops.begin() + static_cast<std::ptrdiff_t>(middle), ops.end(),
                     [](const Operation& a, const Operation& b) { return a.time_ns < b.time_ns; });
}

Result<History> LoadHistory(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return EnvironmentError("cannot read history " + path.string());
  History history;
  std::string line;
  int line_number = 0;
  std::vector<Operation> ops;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    try {
      auto j = nlohmann::json::parse(line);
      if (j.at("type") == "process") {
        history.processes.push_back(j.get<ProcessEvent>());
      } else {
        ops.push_back(j.get<Operation>());
      }
    } catch (const std::exception& e) {
      return InvalidInput(path.string() + ":" + std::to_string(line_number) + ": " + e.what());
    }
  }
  std::stable_sort(history.processes.begin(), history.processes.end(),
                   [](const auto& a, const auto& b) { return a.time_ns < b.time_ns; });
  history.MergeOps(std::move(ops));
  return history;
}

HistoryWriter::~HistoryWriter() {
  std::lock_guard lock(mutex_);
  if (file_ != nullptr) std::fclose(file_);
}

Status HistoryWriter::Open(const std::filesystem::path& path) {
  std::lock_guard lock(mutex_);
  file_ = std::fopen(path.c_str(), "w");
  if (file_ == nullptr) return EnvironmentError("cannot create " + path.string());
  return {};
}

void HistoryWriter::Write(const ProcessEvent& event) {
  std::string line =
      nlohmann::json(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(mutex_);
  WriteLine(line);
  if (file_ != nullptr) std::fflush(file_);
}

void HistoryWriter::Write(const std::vector<Operation>& ops, std::size_t from) {
  std::string block;
  for (std::size_t i = from; i < ops.size(); ++i) AppendJsonLine(ops[i], block);
  std::lock_guard lock(mutex_);
  if (file_ != nullptr) std::fwrite(block.data(), 1, block.size(), file_);
}

void HistoryWriter::Flush() {
  std::lock_guard lock(mutex_);
  if (file_ != nullptr) std::fflush(file_);
}

void HistoryWriter::Close() {
  std::lock_guard lock(mutex_);
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
}

void HistoryWriter::WriteLine(const std::string& line) {
  if (file_ == nullptr) return;
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fputc('\n', file_);
}

OpRecorder::OpRecorder(HistoryWriter& writer, std::int64_t origin_ns)
    : writer_(writer), origin_ns_(origin_ns) {}

OpRecorder::~OpRecorder() {
  Flush();
}

void OpRecorder::Record(Operation op) {
  RecordAt(std::move(op), MonotonicNanos());
}

void OpRecorder::RecordAt(Operation op, std::int64_t now_ns) {
  op.time_ns = now_ns - origin_ns_;
  if (op.intended_ns >= 0) op.intended_ns = std::max<std::int64_t>(0, op.intended_ns - origin_ns_);
  if (!stream_.empty()) op.stream = stream_;
  op.client += client_offset_;
  max_client_ = std::max(max_client_, op.client);
  if (spill_ != nullptr) {
    spill_->Write(op);
    return;
  }
  ops_.push_back(std::move(op));
  if (ops_.size() - streamed_ >= kFlushEvery) Flush();
}

Status OpRecorder::SpillTo(SpillFiles& files) {
  auto spill = files.Create();
  if (!spill.ok()) return spill.error();
  Flush();
  spill_files_ = &files;
  spill_ = spill.value();
  return {};
}

std::unique_ptr<OpRecorder> OpRecorder::ForThread() {
  auto other = std::make_unique<OpRecorder>(writer_, origin_ns_);
  other->stream_ = stream_;
  other->client_offset_ = client_offset_;
  // Without a file of its own the other thread keeps its operations in memory: correct, only
  // not constant in memory.
  if (spill_files_ != nullptr) (void)other->SpillTo(*spill_files_);
  return other;
}

void OpRecorder::Absorb(OpRecorder& other) {
  max_client_ = std::max(max_client_, other.max_client_);
  if (other.spill_ != nullptr) {  // its file serves the next thread (a looping load's next run)
    other.spill_files_->Release(other.spill_);
    other.spill_ = nullptr;
  }
  other.Flush();
  Flush();
  auto more = other.Take();
  if (more.empty()) return;
  const auto middle = static_cast<std::ptrdiff_t>(ops_.size());
  ops_.insert(ops_.end(), std::make_move_iterator(more.begin()),
              std::make_move_iterator(more.end()));
  std::inplace_merge(ops_.begin(), ops_.begin() + middle, ops_.end(),
                     [](const Operation& a, const Operation& b) { return a.time_ns < b.time_ns; });
  streamed_ = ops_.size();
}

void OpRecorder::Flush() {
  if (streamed_ == ops_.size()) return;
  writer_.Write(ops_, streamed_);
  streamed_ = ops_.size();
}

void OpRecorder::Reserve(std::size_t count) {
  if (spill_ != nullptr) return;
  ops_.reserve(ops_.size() + count);
}

std::vector<Operation> OpRecorder::Take() {
  Flush();
  streamed_ = 0;
  return std::exchange(ops_, {});
}

}  // namespace stampede
