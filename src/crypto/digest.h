// SHA-256 and constant-time comparison.
#pragma once

#include <string>
#include <string_view>

namespace egovbox::crypto {

std::string Sha256(std::string_view data);     // 32 raw bytes
std::string Sha256Hex(std::string_view data);  // 64 lower-case hex digits
// Compares without an early exit, so timing does not reveal where two secrets differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace egovbox::crypto
