#include "http/byte_range.h"

#include <limits>

namespace egovbox::http {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

// RFC 9110 §5.6.3: OWS is spaces and horizontal tabs.
bool IsOws(char c) {
  return c == ' ' || c == '\t';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && IsOws(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsOws(text.back())) text.remove_suffix(1);
  return text;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char lower = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (lower != b[i]) return false;
  }
  return true;
}

// A run of one or more digits, without a sign or anything else around it.
struct Number {
  std::string_view digits;  // without leading zeros; empty for zero
  std::uint64_t value = 0;  // saturated at kMax: a position past any file is as good as the true one
};

bool ParseNumber(std::string_view text, Number& number) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!IsDigit(c)) return false;
  }
  while (!text.empty() && text.front() == '0') text.remove_prefix(1);
  number.digits = text;
  number.value = 0;
  for (const char c : text) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (number.value > (kMax - digit) / 10) {
      number.value = kMax;
      break;
    }
    number.value = number.value * 10 + digit;
  }
  return true;
}

// Compares the written numbers, not the saturated values, so that two numbers past
// 2^64 keep their order.
bool Less(const Number& a, const Number& b) {
  if (a.digits.size() != b.digits.size()) return a.digits.size() < b.digits.size();
  return a.digits < b.digits;
}

RangeDecision Partial(std::uint64_t first, std::uint64_t length) {
  return {RangeOutcome::kPartial, ByteRange{first, length}};
}

constexpr RangeDecision kWhole{RangeOutcome::kWhole, {}};
constexpr RangeDecision kUnsatisfiable{RangeOutcome::kUnsatisfiable, {}};

// One range-spec (RFC 9110 §14.1.1): int-range "first-[last]" or suffix-range "-length".
RangeDecision DecideSpec(std::string_view spec, std::uint64_t total) {
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return kWhole;
  const std::string_view first_text = TrimOws(spec.substr(0, dash));
  const std::string_view last_text = TrimOws(spec.substr(dash + 1));

  if (first_text.empty()) {
    Number suffix;
    if (!ParseNumber(last_text, suffix)) return kWhole;
    // A suffix-range is satisfiable only with a non-zero length and a non-empty
    // representation (a 206 cannot describe zero bytes).
    if (suffix.value == 0 || total == 0) return kUnsatisfiable;
    const std::uint64_t length = suffix.value < total ? suffix.value : total;
    return Partial(total - length, length);
  }

  Number first;
  if (!ParseNumber(first_text, first)) return kWhole;
  std::uint64_t last = kMax;
  if (!last_text.empty()) {
    Number written_last;
    if (!ParseNumber(last_text, written_last)) return kWhole;
    // An int-range whose last-pos is below its first-pos is invalid: ignored.
    if (Less(written_last, first)) return kWhole;
    last = written_last.value;
  }
  if (first.value >= total) return kUnsatisfiable;
  if (last > total - 1) last = total - 1;
  return Partial(first.value, last - first.value + 1);
}

}  // namespace

RangeDecision DecideRange(std::string_view range_header, std::uint64_t total) {
  const std::string_view header = TrimOws(range_header);
  const auto equals = header.find('=');
  if (equals == std::string_view::npos) return kWhole;
  // RFC 9110 §14.1: range units are compared case-insensitively.
  if (!EqualsIgnoringCase(TrimOws(header.substr(0, equals)), "bytes")) return kWhole;

  // RFC 9110 §5.6.1.2: empty list elements ("bytes=0-9,") are accepted and ignored.
  std::string_view set = header.substr(equals + 1);
  std::string_view only;
  int specs = 0;
  while (true) {
    const auto comma = set.find(',');
    const std::string_view element = TrimOws(set.substr(0, comma));
    if (!element.empty()) {
      only = element;
      ++specs;
    }
    if (comma == std::string_view::npos) break;
    set.remove_prefix(comma + 1);
  }
  // Several ranges are answered with the whole representation, not multipart/byteranges.
  if (specs != 1) return kWhole;
  return DecideSpec(only, total);
}

}  // namespace egovbox::http
