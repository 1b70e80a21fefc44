#include "media/ice_lite.h"

#include <string_view>
#include <utility>

#include "crypto/random.h"

namespace egovbox::media {
namespace {

// RFC 8445 §5.3: at least 24 bits of randomness in the ufrag, 128 in the
// password; RFC 8839 §5.4: ufrag 4..256 and password 22..256 ice-chars.
constexpr std::size_t kUfragLength = 8;
constexpr std::size_t kPasswordLength = 24;
// ice-char = ALPHA / DIGIT / "+" / "/": 64 characters, 6 bits each.
constexpr std::string_view kIceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static_assert(kIceChars.size() == 64);
constexpr unsigned kSixBits = 0x3F;

std::string RandomIceChars(std::size_t length) {
  std::string text = crypto::RandomBytes(length);
  for (char& c : text) c = kIceChars[static_cast<unsigned char>(c) & kSixBits];
  return text;
}

constexpr int kRoleConflict = 487;

bool IsBindingRequest(const StunMessage& message) {
  return message.method() == kStunBindingMethod && message.message_class() == StunClass::kRequest;
}

}  // namespace

IceLiteAgent::IceLiteAgent() : IceLiteAgent(RandomIceChars(kUfragLength), RandomIceChars(kPasswordLength)) {}

IceLiteAgent::IceLiteAgent(std::string local_ufrag, std::string local_pwd)
    : local_ufrag_(std::move(local_ufrag)), local_pwd_(std::move(local_pwd)) {}

void IceLiteAgent::SetRemoteCredentials(std::string ufrag, std::string pwd) {
  remote_ufrag_ = std::move(ufrag);
  remote_pwd_ = std::move(pwd);
}

void IceLiteAgent::RenewLocalCredentials() {
  local_ufrag_ = RandomIceChars(kUfragLength);
  local_pwd_ = RandomIceChars(kPasswordLength);
  remote_ufrag_.clear();
  remote_pwd_.clear();
}

bool IceLiteAgent::UsernameMatches(std::string_view username) const {
  // RFC 8445 §7.3: "<our ufrag>:<their ufrag>"; ufrags have no ':' (ice-char).
  const std::size_t colon = username.find(':');
  if (colon == std::string_view::npos || username.substr(0, colon) != local_ufrag_) return false;
  // Before the remote description is known (§7.3: checks may arrive first), any
  // remote part is accepted.
  return remote_ufrag_.empty() || username.substr(colon + 1) == remote_ufrag_;
}

IceLiteAgent::Outcome IceLiteAgent::HandleStun(const StunMessage& request, const TransportAddress& source,
                                               std::chrono::steady_clock::time_point now,
                                               std::span<std::uint8_t> response) {
  Outcome outcome;
  if (!IsBindingRequest(request)) return outcome;

  // RFC 8445 §7.3: ICE uses FINGERPRINT; without a correct one this is no check.
  if (!request.CheckFingerprint()) {
    ++malformed_count_;
    outcome.verdict = Verdict::kMalformed;
    return outcome;
  }
  // RFC 8489 §9.1.3: USERNAME and MESSAGE-INTEGRITY under the short-term key (the
  // local password itself). Failures would earn a 400 or 401 there; we stay silent.
  const auto username = request.Username();
  if (!username || !UsernameMatches(*username) || !request.CheckMessageIntegrity(local_pwd_)) {
    ++bad_credential_count_;
    outcome.verdict = Verdict::kBadCredentials;
    return outcome;
  }

  // A lite agent is always controlled (RFC 8445 §6.1.1) and cannot switch: a peer
  // that is controlled as well is told 487 so that it takes the controlling role
  // (§7.2.5.1). The request does not count as a check.
  if (request.Find(stun_attribute::kIceControlled)) {
    outcome.verdict = Verdict::kRoleConflict;
    outcome.response_length = WriteBindingError(response, request.transaction_id(), kRoleConflict, local_pwd_);
    return outcome;
  }

  // §7.3.2: USE-CANDIDATE nominates the pair towards the request's source. Before
  // any nomination, §12.1 allows sending on a valid pair: the first one.
  if (request.UseCandidate()) {
    nominated_ = true;
    outcome.selected_changed = selected_ != source;
    selected_ = source;
  } else if (!selected_) {
    outcome.selected_changed = true;
    selected_ = source;
  }
  // RFC 7675 §5.1: an authenticated check on the selected pair renews consent.
  if (*selected_ == source) last_consent_ = now;

  // §7.3.1.2: the mapped address is the source as we saw it (peer-reflexive).
  outcome.verdict = Verdict::kAnswered;
  outcome.response_length = WriteBindingSuccess(response, request.transaction_id(), source, local_pwd_);
  return outcome;
}

bool IceLiteAgent::ConsentExpired(std::chrono::steady_clock::time_point now) const {
  return last_consent_ && now - *last_consent_ >= kConsentTimeout;
}

std::optional<std::string_view> LocalUfragOf(const StunMessage& message) {
  if (!IsBindingRequest(message)) return std::nullopt;
  const auto username = message.Username();
  if (!username) return std::nullopt;
  const std::size_t colon = username->find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  return username->substr(0, colon);
}

}  // namespace egovbox::media
