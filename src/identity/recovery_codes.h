// Recovery codes: ten single-use codes shown once when a second factor is set
// up, for the day the phone is lost. Stored as SHA-256 of the normalised code
// (each has 60 random bits, so a fast hash is enough).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace egovbox::identity {

constexpr int kRecoveryCodeCount = 10;

// "k7m4q-x2pz9-3hf8w" style: three groups of five lower-case Crockford characters.
std::vector<std::string> GenerateRecoveryCodes();
// Case, spaces and dashes removed; what gets hashed.
std::string NormalizeRecoveryCode(std::string_view input);

}  // namespace egovbox::identity
