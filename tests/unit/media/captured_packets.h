// The packets captured from Chromium in tests/data/rtp/ (README.md there says how),
// shared by the RTP and RTCP tests.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace egovbox::media::test {

// The SSRCs of the "burst" capture session.
inline constexpr std::uint32_t kCapturedOpusSsrc = 3742006218;
inline constexpr std::uint32_t kCapturedVp8Ssrc = 579041661;
inline constexpr std::uint32_t kCapturedRtxSsrc = 1431864237;

// Reads tests/data/rtp/<name>: hex text, whitespace ignored. A missing or
// malformed file fails the test (and returns no bytes, which no parser accepts).
inline std::vector<std::uint8_t> ReadCaptured(std::string_view name) {
  const auto path = std::filesystem::path(__FILE__).parent_path() / "../../data/rtp" / name;
  std::ifstream file(path);
  if (!file) {
    ADD_FAILURE() << "missing captured packet " << path;
    return {};
  }
  std::string digits;
  for (char c = 0; file.get(c);) {
    if (std::isxdigit(static_cast<unsigned char>(c)) != 0) {
      digits.push_back(c);
    } else if (std::isspace(static_cast<unsigned char>(c)) == 0) {
      ADD_FAILURE() << "not hex in " << path;
      return {};
    }
  }
  if (digits.empty() || digits.size() % 2 != 0) {
    ADD_FAILURE() << "odd or empty hex in " << path;
    return {};
  }
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    bytes.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

}  // namespace egovbox::media::test
