// Times on the wire: RFC 3339 in UTC, "2026-12-01T08:00:00Z" (API conventions).
#pragma once

#include <cstdint>
#include <string>

namespace egovbox::http {

// Whole seconds; instants outside the years 1..9999 are clamped into them.
std::string FormatRfc3339Utc(std::int64_t unix_seconds);

}  // namespace egovbox::http
