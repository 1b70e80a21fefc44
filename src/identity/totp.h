// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, six
// digits), through liboath, the only place that calls it. Thread-safe after
// InitializeTotp.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace egovbox::identity {

void InitializeTotp();

// A new 160-bit secret, base32 as authenticator apps expect it.
std::string GenerateTotpSecret();

// The step (now / 30 s) of the code that matched, allowing one step of clock drift
// either way; nullopt when the code does not match. The caller refuses a step it
// has already accepted (RFC 6238 §5.2: a code is good once).
std::optional<std::int64_t> VerifyTotp(std::string_view base32_secret, std::string_view code, std::time_t now);

// The code for `now` (tests, and the demo's printed hint).
std::string GenerateTotp(std::string_view base32_secret, std::time_t now);

// otpauth://totp/eGov%20box:CODE?secret=...&issuer=eGov%20box
std::string TotpProvisioningUri(std::string_view base32_secret, std::string_view account);

}  // namespace egovbox::identity
