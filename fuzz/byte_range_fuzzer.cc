// Fuzz target for http::DecideRange, which reads the Range header of every
// download. The first eight bytes are the representation's length, the rest the
// header. Invariants: a partial range is non-empty and lies inside the
// representation; an empty representation is never answered in part; the decision
// does not change with OWS around the header.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "http/byte_range.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using egovbox::http::DecideRange;
  using egovbox::http::RangeOutcome;
  std::uint64_t total = 0;
  if (size >= sizeof total) {
    std::memcpy(&total, data, sizeof total);
    data += sizeof total;
    size -= sizeof total;
  }
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  // Small lengths too, where clamping and suffixes matter most.
  for (const std::uint64_t length : {total, total % 1024}) {
    const auto decision = DecideRange(header, length);
    if (decision.outcome == RangeOutcome::kPartial) {
      if (length == 0 || decision.range.length == 0) __builtin_trap();
      if (decision.range.first >= length || decision.range.length > length - decision.range.first) __builtin_trap();
    }
    const auto padded = DecideRange(" \t" + std::string(header) + "\t ", length);
    if (padded.outcome != decision.outcome || padded.range.first != decision.range.first ||
        padded.range.length != decision.range.length) {
      __builtin_trap();
    }
  }
  return 0;
}
