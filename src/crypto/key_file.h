// A secret key kept in a file of the data directory (mode 0600, its directory
// 0700): read when there, made with random bytes when not. A new key is written
// under a temporary name, fsynced and renamed, so a crash never leaves a short key.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace egovbox::crypto {

// The key in `file`, made first if the file does not exist. Throws when it cannot
// be written, or when the file holds other than `size` bytes (`what` names the key
// in the message).
std::string LoadOrCreateKey(const std::filesystem::path& file, std::size_t size, std::string_view what);

}  // namespace egovbox::crypto
