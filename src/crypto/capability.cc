#include "crypto/capability.h"

#include <sodium.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "crypto/digest.h"
#include "crypto/encoding.h"
#include "crypto/key_file.h"
#include "crypto/random.h"

namespace egovbox::crypto {
namespace {

constexpr std::string_view kVersionPrefix = "v1.";
constexpr std::size_t kKeyBytes = 32;

}  // namespace

CapabilitySigner::CapabilitySigner(std::string key) : key_(std::move(key)) {
  if (key_.size() != kKeyBytes) throw std::invalid_argument("capability key must be 32 bytes");
}

CapabilitySigner CapabilitySigner::FromKeyFile(const std::filesystem::path& file) {
  return CapabilitySigner(LoadOrCreateKey(file, kKeyBytes, "the capability key"));
}

std::string CapabilitySigner::Mac(std::string_view signed_part) const {
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size());
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return mac;
}

std::string CapabilitySigner::Sign(const CapabilityClaims& claims) const {
  const nlohmann::json payload = {
      {"m", claims.meeting_id}, {"e", claims.employee_id}, {"r", claims.role}, {"x", claims.expires_at}};
  std::string signed_part = std::string(kVersionPrefix) + Base64UrlEncode(payload.dump());
  return signed_part + "." + Base64UrlEncode(Mac(signed_part));
}

std::optional<CapabilityClaims> CapabilitySigner::Open(std::string_view capability) const {
  if (capability.size() > 1024 || capability.substr(0, kVersionPrefix.size()) != kVersionPrefix) return std::nullopt;
  const auto dot = capability.rfind('.');
  if (dot < kVersionPrefix.size()) return std::nullopt;
  const std::string_view signed_part = capability.substr(0, dot);
  const auto mac = Base64UrlDecode(capability.substr(dot + 1));
  if (!mac || !ConstantTimeEquals(*mac, Mac(signed_part))) return std::nullopt;
  const auto payload = Base64UrlDecode(signed_part.substr(kVersionPrefix.size()));
  if (!payload) return std::nullopt;
  const auto json = nlohmann::json::parse(*payload, nullptr, false);
  if (!json.is_object() || !json.value("m", nlohmann::json()).is_string() ||
      !json.value("e", nlohmann::json()).is_string() || !json.value("r", nlohmann::json()).is_string() ||
      !json.value("x", nlohmann::json()).is_number_integer()) {
    return std::nullopt;
  }
  return CapabilityClaims{json["m"], json["e"], json["r"], json["x"].get<std::int64_t>()};
}

CapabilityCheck CapabilitySigner::Verify(std::string_view capability, std::string_view meeting_id,
                                         std::string_view employee_id, std::int64_t now) const {
  if (capability.substr(0, kVersionPrefix.size()) != kVersionPrefix ||
      capability.find('.', kVersionPrefix.size()) == std::string_view::npos) {
    return CapabilityCheck::kMalformed;
  }
  const auto claims = Open(capability);
  if (!claims) return CapabilityCheck::kBadSignature;
  if (claims->expires_at <= now) return CapabilityCheck::kExpired;
  if (claims->meeting_id != meeting_id) return CapabilityCheck::kOtherMeeting;
  if (claims->employee_id != employee_id) return CapabilityCheck::kOtherEmployee;
  return CapabilityCheck::kValid;
}

std::string_view CapabilityCheckName(CapabilityCheck check) {
  switch (check) {
    case CapabilityCheck::kValid: return "valid";
    case CapabilityCheck::kMalformed: return "malformed";
    case CapabilityCheck::kBadSignature: return "invalid";
    case CapabilityCheck::kExpired: return "expired";
    case CapabilityCheck::kOtherMeeting: return "other-meeting";
    case CapabilityCheck::kOtherEmployee: return "other-employee";
  }
  return "invalid";
}

}  // namespace egovbox::crypto
