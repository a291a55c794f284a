#include "history/op_spill.h"

#include <cstring>

namespace stampede {
namespace {

// A string longer than this in a spill file is corruption, not data.
constexpr std::uint64_t kMaxStringBytes = 1u << 30;
// Distinct names (f and stream values) given a number; later new ones are written out each time.
constexpr std::uint64_t kMaxNames = 4096;

enum Flags : std::uint8_t {
  kTypeMask = 0x03,
  kHasIntended = 0x04,
  kGotIsExpected = 0x08,
  kConnectionIsClient = 0x10,
  kHasExpected = 0x20,
  kHasError = 0x40,
};

void AppendVarint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out += static_cast<char>(static_cast<std::uint8_t>(value) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
}

std::uint64_t ZigZag(std::int64_t value) {
  return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

// a - b and a + b with wrap-around instead of overflow (corrupt or extreme values stay defined).
std::int64_t Minus(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}

std::int64_t Plus(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

std::int64_t UnZigZag(std::uint64_t value) {
  return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
}

void AppendBytes(std::string& out, const std::string& value) {
  AppendVarint(out, value.size());
  out += value;
}

std::uint8_t FlagsOf(const Operation& op) {
  std::uint8_t flags = static_cast<std::uint8_t>(op.type) & kTypeMask;
  if (op.intended_ns >= 0) flags |= kHasIntended;
  if (op.got == op.expected) flags |= kGotIsExpected;
  if (op.connection == op.client) flags |= kConnectionIsClient;
  if (!op.expected.empty()) flags |= kHasExpected;
  if (!op.error.empty()) flags |= kHasError;
  return flags;
}

}  // namespace

void OpSpillWriter::AppendName(const std::string& name) {
  auto known = name_numbers_.find(name);
  if (known != name_numbers_.end()) return AppendVarint(buffer_, known->second);
  AppendVarint(buffer_, name_numbers_.size());
  AppendBytes(buffer_, name);
  if (name_numbers_.size() < kMaxNames) name_numbers_.emplace(name, name_numbers_.size());
}

OpSpillWriter::~OpSpillWriter() {
  (void)Close();
}

Status OpSpillWriter::Open(const std::filesystem::path& path) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) return EnvironmentError("cannot create " + path.string());
  return {};
}

void OpSpillWriter::Write(const Operation& op) {
  const std::uint8_t flags = FlagsOf(op);
  buffer_ += static_cast<char>(flags);
  AppendVarint(buffer_, ZigZag(Minus(op.time_ns, last_time_ns_)));
  last_time_ns_ = op.time_ns;
  AppendVarint(buffer_, ZigZag(op.client));
  if ((flags & kConnectionIsClient) == 0) AppendVarint(buffer_, ZigZag(op.connection));
  AppendVarint(buffer_, ZigZag(op.seq));
  if ((flags & kHasIntended) != 0) AppendVarint(buffer_, ZigZag(Minus(op.time_ns, op.intended_ns)));
  AppendName(op.f);
  AppendName(op.stream);
  if ((flags & kHasExpected) != 0) AppendBytes(buffer_, op.expected);
  if ((flags & kGotIsExpected) == 0) AppendBytes(buffer_, op.got);
  if ((flags & kHasError) != 0) AppendBytes(buffer_, op.error);
  ++written_;
  if (buffer_.size() >= kFlushBytes) Flush();
}

void OpSpillWriter::Flush() {
  if (file_ == nullptr || buffer_.empty()) return;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) failed_ = true;
  buffer_.clear();
  if (std::fflush(file_) != 0) failed_ = true;
}

Status OpSpillWriter::Close() {
  if (file_ == nullptr) return {};
  Flush();
  if (std::fclose(file_) != 0) failed_ = true;
  file_ = nullptr;
  if (failed_) return EnvironmentError("cannot write " + path_.string() + " (disk full?)");
  return {};
}

Result<OpSpillWriter*> SpillFiles::Create() {
  std::lock_guard lock(mutex_);
  if (!idle_.empty()) {
    OpSpillWriter* writer = idle_.back();
    idle_.pop_back();
    return writer;
  }
  auto path = dir_ / ("ops-" + std::to_string(paths_.size()) + ".spill");
  auto writer = std::make_unique<OpSpillWriter>();
  if (auto opened = writer->Open(path); !opened.ok()) return opened.error();
  paths_.push_back(std::move(path));
  writers_.push_back(std::move(writer));
  return writers_.back().get();
}

void SpillFiles::Release(OpSpillWriter* writer) {
  std::lock_guard lock(mutex_);
  idle_.push_back(writer);
}

std::vector<std::filesystem::path> SpillFiles::paths() const {
  std::lock_guard lock(mutex_);
  return paths_;
}

Status SpillFiles::CloseAll() {
  std::lock_guard lock(mutex_);
  Status first;
  for (auto& writer : writers_) {
    if (auto closed = writer->Close(); !closed.ok() && first.ok()) first = closed;
  }
  return first;
}

void SpillFiles::RemoveAll() {
  std::lock_guard lock(mutex_);
  std::error_code ignored;
  for (const auto& path : paths_) std::filesystem::remove(path, ignored);
}

OpSpillReader::~OpSpillReader() {
  if (file_ != nullptr) std::fclose(file_);
}

Status OpSpillReader::Open(const std::filesystem::path& path) {
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) return EnvironmentError("cannot read " + path.string());
  std::setvbuf(file_, nullptr, _IOFBF, 256 * 1024);
  return {};
}

bool OpSpillReader::ReadVarint(std::uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const int byte = getc_unlocked(file_);
    if (byte == EOF) return false;
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;  // more than ten bytes: corrupt
}

bool OpSpillReader::ReadSigned(std::int64_t& value) {
  std::uint64_t raw = 0;
  if (!ReadVarint(raw)) return false;
  value = UnZigZag(raw);
  return true;
}

bool OpSpillReader::ReadBytes(std::string& out) {
  std::uint64_t size = 0;
  if (!ReadVarint(size) || size > kMaxStringBytes) return false;
  out.resize(size);
  return size == 0 || fread_unlocked(out.data(), 1, size, file_) == size;
}

bool OpSpillReader::ReadName(std::string& out) {
  std::uint64_t number = 0;
  if (!ReadVarint(number) || number > names_.size()) return false;
  if (number < names_.size()) {
    out = names_[number];
    return true;
  }
  if (!ReadBytes(out)) return false;
  if (names_.size() < kMaxNames) names_.push_back(out);
  return true;
}

bool OpSpillReader::Next(Operation& op) {
  if (file_ == nullptr) return false;
  const int flags = getc_unlocked(file_);
  if (flags == EOF) return false;  // the clean end
  std::int64_t delta = 0, client = 0, connection = 0, early = 0;
  bool whole = (flags & 0x80) == 0 && ReadSigned(delta) && ReadSigned(client);
  op.time_ns = Plus(last_time_ns_, delta);
  if (whole && (flags & kConnectionIsClient) == 0) whole = ReadSigned(connection);
  whole = whole && ReadSigned(op.seq);
  if (whole && (flags & kHasIntended) != 0) whole = ReadSigned(early);
  whole = whole && ReadName(op.f) && ReadName(op.stream);
  op.expected.clear();
  op.error.clear();
  if (whole && (flags & kHasExpected) != 0) whole = ReadBytes(op.expected);
  if (whole && (flags & kGotIsExpected) == 0) whole = ReadBytes(op.got);
  if (whole && (flags & kHasError) != 0) whole = ReadBytes(op.error);
  if (!whole) {
    truncated_ = true;
    return false;
  }
  last_time_ns_ = op.time_ns;
  op.type = static_cast<OpType>(flags & kTypeMask);
  op.client = static_cast<int>(client);
  op.connection = (flags & kConnectionIsClient) != 0 ? op.client : static_cast<int>(connection);
  op.intended_ns = (flags & kHasIntended) != 0 ? Minus(op.time_ns, early) : -1;
  if ((flags & kGotIsExpected) != 0) op.got = op.expected;
  return true;
}

}  // namespace stampede
