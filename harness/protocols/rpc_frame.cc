#include "protocols/rpc_frame.h"

#include <algorithm>

namespace stampede::rpc {
namespace {

void PutU32(std::uint32_t value, std::string& out) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
}

void PutU16(std::uint16_t value, std::string& out) {
  out += static_cast<char>((value >> 8) & 0xff);
  out += static_cast<char>(value & 0xff);
}

std::uint32_t GetU32(std::string_view in, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(in[at + i]);
  return value;
}

std::uint16_t GetU16(std::string_view in, std::size_t at) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(in[at]) << 8) |
                                    static_cast<unsigned char>(in[at + 1]));
}

std::string Hex(std::uint32_t value) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  bool started = false;
  for (int shift = 28; shift >= 0; shift -= 4) {
    int digit = static_cast<int>((value >> shift) & 0xf);
    if (digit != 0 || started || shift == 0) {
      out += kDigits[digit];
      started = true;
    }
  }
  return out;
}

}  // namespace

void AppendFrame(const Frame& frame, std::string& out) {
  PutU32(static_cast<std::uint32_t>(frame.payload.size()), out);
  PutU32(frame.seq, out);
  PutU16(frame.method, out);
  PutU16(frame.flags, out);
  out += frame.payload;
}

DecodeResult DecodeFrame(std::string_view input) {
  DecodeResult result;
  if (input.size() < kHeaderBytes) return result;
  const std::uint32_t length = GetU32(input, 0);
  const std::uint16_t flags = GetU16(input, 10);
  if (length > kMaxPayload) {
    result.status = DecodeStatus::kError;
    result.error = "frame length " + std::to_string(length) + " exceeds " +
                   std::to_string(kMaxPayload) + " (header bytes " + Hex(GetU32(input, 0)) + ")";
    return result;
  }
  if ((flags & ~kKnownFlags) != 0) {
    result.status = DecodeStatus::kError;
    result.error = "unknown flag bits " + Hex(flags & ~kKnownFlags);
    return result;
  }
  if (input.size() < kHeaderBytes + length) return result;
  result.status = DecodeStatus::kFrame;
  result.frame.seq = GetU32(input, 4);
  result.frame.method = GetU16(input, 8);
  result.frame.flags = flags;
  result.frame.payload = std::string(input.substr(kHeaderBytes, length));
  result.consumed = kHeaderBytes + length;
  return result;
}

std::optional<std::string> Apply(std::uint16_t method, std::string_view payload) {
  std::string out(payload);
  switch (method) {
    case kEcho:
      return out;
    case kReverse:
      std::reverse(out.begin(), out.end());
      return out;
    case kUpper:
      for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      return out;
    default:
      return std::nullopt;
  }
}

}  // namespace stampede::rpc
