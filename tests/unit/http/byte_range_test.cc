#include "http/byte_range.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace egovbox::http {
namespace {

constexpr std::uint64_t kMax = UINT64_MAX;

struct Case {
  std::string header;
  std::uint64_t total;
  RangeOutcome outcome;
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

void PrintTo(const Case& c, std::ostream* out) {
  *out << '"' << c.header << "\" of " << c.total;
}

class ByteRangeTest : public ::testing::TestWithParam<Case> {};

TEST_P(ByteRangeTest, Decides) {
  const Case& c = GetParam();
  const RangeDecision decision = DecideRange(c.header, c.total);
  EXPECT_EQ(decision.outcome, c.outcome);
  if (c.outcome == RangeOutcome::kPartial) {
    EXPECT_EQ(decision.range.first, c.first);
    EXPECT_EQ(decision.range.length, c.length);
  }
}

constexpr auto kWhole = RangeOutcome::kWhole;
constexpr auto kPartial = RangeOutcome::kPartial;
constexpr auto kUnsatisfiable = RangeOutcome::kUnsatisfiable;

INSTANTIATE_TEST_SUITE_P(
    Ranges, ByteRangeTest,
    ::testing::Values(
        // RFC 9110 §14.1.2's examples against a 10000-byte representation.
        Case{"bytes=0-499", 10000, kPartial, 0, 500}, Case{"bytes=500-999", 10000, kPartial, 500, 500},
        Case{"bytes=-500", 10000, kPartial, 9500, 500}, Case{"bytes=9500-", 10000, kPartial, 9500, 500},
        Case{"bytes=0-0", 10000, kPartial, 0, 1}, Case{"bytes=-1", 10000, kPartial, 9999, 1},
        Case{"bytes=9999-9999", 10000, kPartial, 9999, 1},
        // The last byte is clamped to the end.
        Case{"bytes=0-99999", 10000, kPartial, 0, 10000}, Case{"bytes=9000-20000", 10000, kPartial, 9000, 1000},
        Case{"bytes=0-", 1, kPartial, 0, 1},
        // A suffix longer than the representation is all of it.
        Case{"bytes=-20000", 10000, kPartial, 0, 10000},
        // Past the end: 416.
        Case{"bytes=10000-", 10000, kUnsatisfiable}, Case{"bytes=10000-10001", 10000, kUnsatisfiable},
        Case{"bytes=20000-30000", 10000, kUnsatisfiable}, Case{"bytes=-0", 10000, kUnsatisfiable},
        // An empty representation satisfies no range.
        Case{"bytes=0-", 0, kUnsatisfiable}, Case{"bytes=0-0", 0, kUnsatisfiable}, Case{"bytes=-5", 0, kUnsatisfiable},
        Case{"bytes=x", 0, kWhole}, Case{"", 0, kWhole},
        // Spelling: the unit in any case, optional whitespace, leading zeros.
        Case{"BYTES=0-9", 100, kPartial, 0, 10}, Case{"Bytes=0-9", 100, kPartial, 0, 10},
        Case{"  bytes = 0 - 9  ", 100, kPartial, 0, 10}, Case{"bytes=\t-10\t", 100, kPartial, 90, 10},
        Case{"bytes=0010-0019", 100, kPartial, 10, 10},
        // Empty list elements are ignored (RFC 9110 §5.6.1.2).
        Case{"bytes=0-9,", 100, kPartial, 0, 10}, Case{"bytes= , 5-9 ,", 100, kPartial, 5, 5},
        // Several ranges: the whole representation rather than multipart.
        Case{"bytes=0-9,20-29", 100, kWhole}, Case{"bytes=0-9, -5", 100, kWhole},
        Case{"bytes=200-300,400-500", 100, kWhole},
        // Malformed or not bytes: ignored.
        Case{"", 100, kWhole}, Case{"bytes", 100, kWhole}, Case{"bytes=", 100, kWhole}, Case{"bytes=,", 100, kWhole},
        Case{"bytes=-", 100, kWhole}, Case{"bytes=a-b", 100, kWhole}, Case{"bytes=5", 100, kWhole},
        Case{"bytes=1-2-3", 100, kWhole}, Case{"bytes=--5", 100, kWhole}, Case{"bytes=+1-5", 100, kWhole},
        Case{"bytes=1-+5", 100, kWhole}, Case{"bytes=0x10-", 100, kWhole}, Case{"bytes=1 0-20", 100, kWhole},
        Case{"bytes=9-5", 100, kWhole}, Case{"items=0-9", 100, kWhole}, Case{"bytesx=0-9", 100, kWhole},
        Case{"0-9", 100, kWhole}, Case{"bytes:0-9", 100, kWhole}, Case{"bytes=0-9;x", 100, kWhole},
        Case{std::string("bytes=0-9\0", 10), 100, kWhole},
        // Numbers past 2^64 neither wrap nor fail.
        Case{"bytes=0-99999999999999999999999", 100, kPartial, 0, 100},
        Case{"bytes=99999999999999999999999-", 100, kUnsatisfiable},
        Case{"bytes=-99999999999999999999999", 100, kPartial, 0, 100},
        Case{"bytes=18446744073709551615-", 100, kUnsatisfiable},
        Case{"bytes=18446744073709551616-18446744073709551617", 100, kUnsatisfiable},
        // last < first even when both are past 2^64.
        Case{"bytes=99999999999999999999999-18446744073709551616", 100, kWhole},
        Case{"bytes=0-18446744073709551615", kMax, kPartial, 0, kMax},
        Case{"bytes=-18446744073709551615", kMax, kPartial, 0, kMax},
        Case{"bytes=18446744073709551614-", kMax, kPartial, kMax - 1, 1}));

}  // namespace
}  // namespace egovbox::http
