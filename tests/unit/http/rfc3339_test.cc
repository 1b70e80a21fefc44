#include "http/rfc3339.h"

#include <gtest/gtest.h>

namespace egovbox::http {
namespace {

TEST(Rfc3339Test, FormatsUtcWithWholeSeconds) {
  EXPECT_EQ(FormatRfc3339Utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(1234567890), "2009-02-13T23:31:30Z");
  EXPECT_EQ(FormatRfc3339Utc(-1), "1969-12-31T23:59:59Z");
}

TEST(Rfc3339Test, ClampsToFourDigitYears) {
  EXPECT_EQ(FormatRfc3339Utc(INT64_MAX), "9999-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339Utc(INT64_MIN), "0001-01-01T00:00:00Z");
}

}  // namespace
}  // namespace egovbox::http
