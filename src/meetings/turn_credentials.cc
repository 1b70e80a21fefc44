#include "meetings/turn_credentials.h"

#include <algorithm>
#include <array>
#include <span>

#include "crypto/digest.h"
#include "crypto/encoding.h"

namespace egovbox::meetings {

namespace {

std::span<const std::uint8_t> BytesOf(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

TurnCredentials MakeTurnCredentials(const TurnOptions& options, std::string_view label,
                                    std::chrono::system_clock::time_point now) {
  const auto expiry = std::chrono::duration_cast<std::chrono::seconds>((now + options.lifetime).time_since_epoch());
  std::string safe_label(label);
  std::replace(safe_label.begin(), safe_label.end(), ':', '_');
  TurnCredentials credentials;
  credentials.username = std::to_string(expiry.count()) + ":" + safe_label;
  std::array<std::uint8_t, crypto::kHmacSha1Size> mac{};
  if (crypto::HmacSha1(BytesOf(options.secret), {BytesOf(credentials.username)}, mac)) {
    credentials.credential =
        crypto::Base64Encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
  }
  return credentials;
}

nlohmann::json IceServers(const TurnOptions& options, std::string_view label,
                          std::chrono::system_clock::time_point now) {
  if (!options.enabled()) return nlohmann::json::array();
  const TurnCredentials credentials = MakeTurnCredentials(options, label, now);
  if (credentials.credential.empty()) return nlohmann::json::array();
  return nlohmann::json::array(
      {{{"urls", options.urls}, {"username", credentials.username}, {"credential", credentials.credential}}});
}

}  // namespace egovbox::meetings
