// Range requests (RFC 9110 §14): one byte range of a representation.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace egovbox::http {

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

enum class RangeOutcome {
  kWhole,          // no Range header, or one to ignore (not bytes, several ranges, malformed): send 200
  kPartial,        // send 206 with Content-Range: bytes first-last/total
  kUnsatisfiable,  // send 416 with Content-Range: bytes */total
};

struct RangeDecision {
  RangeOutcome outcome = RangeOutcome::kWhole;
  ByteRange range;  // set for kPartial
};

// "bytes=0-99", "bytes=100-", "bytes=-500" against a representation of `total` bytes.
// Multiple ranges are answered whole (allowed by the RFC) rather than as multipart.
RangeDecision DecideRange(std::string_view range_header, std::uint64_t total);

}  // namespace egovbox::http
