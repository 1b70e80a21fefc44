// The SDPs captured from Chromium in tests/data/sdp/ (README.md there says how),
// shared by the SDP, room and loopback tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace egovbox::media::test {

// tests/data/sdp/<name>, found from this file's path (the build passes absolute
// source paths). Empty when missing.
inline std::string ReadSdpFile(std::string_view name) {
  const std::filesystem::path path =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "data" / "sdp" / name;
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace egovbox::media::test
