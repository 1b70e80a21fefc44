// Fuzz target for crypto::CapabilitySigner, which checks the media capability a
// browser presents (WebSocket media.join, the SFU). The input is tried as a
// capability under a fixed key; it is also split at its first two NULs into a
// meeting id, an employee id and the rest, and those claims are signed and opened.
// Invariants: Open and Verify never throw; Verify is kValid only when Open gives
// claims for that meeting and employee that have not expired, and Open gives
// claims exactly when Verify gets past the format and the signature; claims that
// were signed open as themselves and verify, and a capability with any character
// changed does not.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "crypto/capability.h"
#include "crypto/random.h"

namespace {

using egovbox::crypto::CapabilityCheck;
using egovbox::crypto::CapabilityClaims;
using egovbox::crypto::CapabilitySigner;

const CapabilitySigner& Signer() {
  static const CapabilitySigner signer = [] {
    egovbox::crypto::InitializeCrypto();  // libsodium, as the server does at start
    return CapabilitySigner(std::string(32, '\x5a'));
  }();
  return signer;
}

std::string_view NextPart(std::string_view& rest) {
  const auto end = rest.find('\0');
  const std::string_view part = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const CapabilitySigner& signer = Signer();
  constexpr std::int64_t kNow = 1796112000;

  const auto claims = signer.Open(text);
  const CapabilityCheck check = signer.Verify(text, "m", "e", kNow);
  const bool readable = check != CapabilityCheck::kMalformed && check != CapabilityCheck::kBadSignature;
  if (readable != claims.has_value()) __builtin_trap();
  if (check == CapabilityCheck::kValid &&
      (claims->meeting_id != "m" || claims->employee_id != "e" || claims->expires_at <= kNow)) {
    __builtin_trap();
  }

  std::string_view rest = text;
  CapabilityClaims mine;
  mine.meeting_id = std::string(NextPart(rest));
  mine.employee_id = std::string(NextPart(rest));
  mine.role = "participant";
  mine.expires_at = kNow + static_cast<std::int64_t>(rest.size());
  std::string capability;
  try {
    capability = signer.Sign(mine);
  } catch (const nlohmann::json::type_error&) {
    return 0;  // ids that are not UTF-8 cannot be put in the JSON payload (ours are base64url)
  }
  const auto opened = signer.Open(capability);
  if (!opened || opened->meeting_id != mine.meeting_id || opened->employee_id != mine.employee_id ||
      opened->role != mine.role || opened->expires_at != mine.expires_at) {
    if (capability.size() <= 1024) __builtin_trap();  // longer ones are refused unread
    return 0;
  }
  const CapabilityCheck expected = rest.empty() ? CapabilityCheck::kExpired : CapabilityCheck::kValid;
  if (signer.Verify(capability, mine.meeting_id, mine.employee_id, kNow) != expected) __builtin_trap();
  if (size > 0) {
    std::string changed = capability;
    const std::size_t at = 3 + data[0] % (changed.size() - 3);
    if (changed[at] == '.') return 0;
    changed[at] = changed[at] == 'A' ? 'B' : 'A';
    if (signer.Open(changed).has_value()) __builtin_trap();
  }
  return 0;
}
