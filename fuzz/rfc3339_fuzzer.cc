// Fuzz target for meetings::ParseRfc3339, which reads every time the API is given
// (a meeting's start and end, an occurrence, a window). Invariants: a time that
// parses is at least "YYYY-MM-DDTHH:MM:SSZ" long; what FormatRfc3339Utc writes
// parses back to the same second within the years it covers; and a text already
// in that canonical form is written back unchanged.
//
// sofia_time.cc uses libical for the Europe/Sofia conversions, so it is compiled
// into this target alone (with libical linked) rather than into egovbox_parsers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "meetings/sofia_time.h"

namespace {

// FormatRfc3339Utc clamps into the years 1..9999.
constexpr std::int64_t kMinUtc = -62135596800;  // 0001-01-01T00:00:00Z
constexpr std::int64_t kMaxUtc = 253402300799;  // 9999-12-31T23:59:59Z

bool Canonical(std::string_view text) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using egovbox::meetings::FormatRfc3339Utc;
  using egovbox::meetings::ParseRfc3339;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = ParseRfc3339(text);
  if (!parsed) return 0;
  if (text.size() < 20) __builtin_trap();

  const std::string formatted = FormatRfc3339Utc(*parsed);
  const auto again = ParseRfc3339(formatted);
  if (!again || !Canonical(formatted)) __builtin_trap();
  if (*parsed >= kMinUtc && *parsed <= kMaxUtc) {
    if (*again != *parsed) __builtin_trap();
    if (Canonical(text) && formatted != text) __builtin_trap();
  }
  return 0;
}
