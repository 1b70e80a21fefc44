#include "identity/totp.h"

#include <liboath/oath.h>

#include <stdexcept>

#include "crypto/encoding.h"
#include "crypto/random.h"

namespace egovbox::identity {
namespace {

constexpr unsigned kStepSeconds = 30;
constexpr unsigned kDigits = 6;
constexpr std::size_t kAllowedDrift = 1;

}  // namespace

void InitializeTotp() {
  if (oath_init() != OATH_OK) throw std::runtime_error("liboath failed to initialise");
}

std::string GenerateTotpSecret() {
  return crypto::Base32Encode(crypto::RandomBytes(20));
}

std::optional<std::int64_t> VerifyTotp(std::string_view base32_secret, std::string_view code, std::time_t now) {
  if (code.size() != kDigits) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const auto secret = crypto::Base32Decode(base32_secret);
  if (!secret || secret->empty()) return std::nullopt;
  const std::string otp(code);
  int position = 0;
  const int result =
      oath_totp_validate2(secret->data(), secret->size(), now, kStepSeconds, 0, kAllowedDrift, &position, otp.c_str());
  if (result < 0) return std::nullopt;
  return static_cast<std::int64_t>(now / kStepSeconds) + position;
}

std::string GenerateTotp(std::string_view base32_secret, std::time_t now) {
  const auto secret = crypto::Base32Decode(base32_secret);
  if (!secret) throw std::invalid_argument("TOTP secret is not base32");
  char out[kDigits + 1] = {};
  if (oath_totp_generate(secret->data(), secret->size(), now, kStepSeconds, 0, kDigits, out) != OATH_OK) {
    throw std::runtime_error("TOTP generation failed");
  }
  return out;
}

std::string TotpProvisioningUri(std::string_view base32_secret, std::string_view account) {
  // Key URI format (Google Authenticator's, which every app reads); the account is
  // a personal code, so it needs no escaping.
  return "otpauth://totp/eGov%20box:" + std::string(account) + "?secret=" + std::string(base32_secret) +
         "&issuer=eGov%20box&algorithm=SHA1&digits=6&period=30";
}

}  // namespace egovbox::identity
