// The media capability: a short-lived pass, signed by the server, that lets one
// employee into one meeting's media room until it expires. Its format and its
// check live here and nowhere else: `meetings` issues capabilities and the SFU
// (and, until it lands, the WebSocket's media.join) verifies them.
//
// Format: "v1." base64url(JSON {"m": meeting, "e": employee, "r": role, "x": expiry})
// "." base64url(HMAC-SHA256(key, "v1." + payload)). The key is 32 random bytes kept
// in the data directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace egovbox::crypto {

struct CapabilityClaims {
  std::string meeting_id;
  std::string employee_id;
  std::string role;
  std::int64_t expires_at = 0;  // Unix seconds
};

enum class CapabilityCheck { kValid, kMalformed, kBadSignature, kExpired, kOtherMeeting, kOtherEmployee };

class CapabilitySigner {
 public:
  // `key` must be 32 bytes.
  explicit CapabilitySigner(std::string key);
  // Reads the key from `file`, creating it (mode 0600) with a random key when absent.
  static CapabilitySigner FromKeyFile(const std::filesystem::path& file);

  std::string Sign(const CapabilityClaims& claims) const;
  // The claims of a well-formed capability with a valid signature, expired or not.
  std::optional<CapabilityClaims> Open(std::string_view capability) const;
  // Checks signature, expiry, and that it is for this meeting and this employee.
  CapabilityCheck Verify(std::string_view capability, std::string_view meeting_id, std::string_view employee_id,
                         std::int64_t now) const;

 private:
  std::string Mac(std::string_view signed_part) const;
  std::string key_;
};

std::string_view CapabilityCheckName(CapabilityCheck check);

}  // namespace egovbox::crypto
