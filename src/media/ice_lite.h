// The server's side of ICE for one peer connection: an ICE-lite agent (RFC 8445
// §2.5) that answers the browser's connectivity checks (§7.3), takes the pair the
// browser nominates (§7.3.2) and watches consent (RFC 7675). It never sends
// checks of its own.
//
// Decisions, each from the RFC where it speaks and from what browsers do where
// it does not:
// - A request is answered only when it is authenticated: USERNAME is
//   "<local ufrag>:<remote ufrag>" (§7.3; the remote part is checked once the
//   remote credentials are known, any is accepted before), MESSAGE-INTEGRITY is
//   valid under the local password (short-term credential, RFC 8489 §9.1) and
//   FINGERPRINT is present and correct (§7.3: "MUST utilize the FINGERPRINT
//   mechanism"). Anything else gets no answer at all, not even 400/401, and is
//   counted: a server must not answer strangers with data.
// - Role: a lite agent is always controlled (§6.1.1), and the role-conflict
//   repair of §7.3.1.1 is defined for full agents, which may switch roles; a lite
//   agent cannot. A request carrying ICE-CONTROLLED (the peer believes it is
//   controlled too) is answered 487 Role Conflict, authenticated, so that the
//   peer switches to controlling (§7.2.5.1) — as if our tie-breaker always lost.
//   Requests carrying neither ICE-CONTROLLING nor ICE-CONTROLLED are accepted.
// - Peer-reflexive: the source of each request is the remote candidate; the
//   answer's XOR-MAPPED-ADDRESS is that source, never an address from the SDP.
// - Selection: §12.1 lets an agent send on any valid pair before nomination, so
//   the first authenticated request's source becomes the selected address
//   (provisional). A request with USE-CANDIDATE selects its source (§7.3.2); a
//   later nomination of another source replaces it (the controlling agent may
//   renominate after a network change). A request without USE-CANDIDATE never
//   moves an existing selection.
// - Consent (RFC 7675 §5.1): fresh while an authenticated request from the
//   selected address arrived within the last 30 s. The browser sends a consent
//   check every few seconds (RFC 7675 §5.1: 4 to 6 s) on the selected pair.
//
// Not thread-safe: one agent belongs to one peer connection on one worker thread.
// Allocates nothing in HandleStun.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "media/stun.h"
#include "media/transport_address.h"

namespace egovbox::media {

// Enough for any response HandleStun writes: 20-byte header, XOR-MAPPED-ADDRESS
// of an IPv6 address (24) or ERROR-CODE 487 (24), MESSAGE-INTEGRITY (24),
// FINGERPRINT (8).
inline constexpr std::size_t kIceResponseCapacity = 76;

// RFC 7675 §5.1: consent expires 30 s after the last authenticated check.
inline constexpr std::chrono::seconds kConsentTimeout{30};

class IceLiteAgent {
 public:
  enum class Verdict : std::uint8_t {
    kAnswered,        // success response written; the request counted as consent
    kNotForUs,        // not a Binding request (an indication, a response): nothing to do
    kBadCredentials,  // USERNAME, MESSAGE-INTEGRITY wrong or missing: dropped, counted
    kMalformed,       // FINGERPRINT missing or wrong: dropped, counted
    kRoleConflict,    // authenticated but ICE-CONTROLLED: 487 written, state unchanged
  };
  struct Outcome {
    Verdict verdict = Verdict::kNotForUs;
    std::size_t response_length = 0;  // bytes of `response` to send back to the source; 0: send nothing
    bool selected_changed = false;    // selected_address() changed with this request
  };

  // Random local credentials (RFC 8445 §5.3): an 8-character ufrag (48 bits) and a
  // 24-character password (144 bits) of ice-chars, from libsodium's CSPRNG.
  IceLiteAgent();
  // Given credentials, for tests.
  IceLiteAgent(std::string local_ufrag, std::string local_pwd);

  const std::string& local_ufrag() const { return local_ufrag_; }
  const std::string& local_pwd() const { return local_pwd_; }

  // The browser's ice-ufrag and ice-pwd from its SDP. New ones (an ICE restart by
  // the browser) make requests with the old remote ufrag fail; the selection and
  // consent are kept until a new request changes them.
  void SetRemoteCredentials(std::string ufrag, std::string pwd);
  // An ICE restart (RFC 8445 §9, RFC 8839 §4.4.1.1.1): new random local
  // credentials, and the remote ones forgotten until the new SDP brings them.
  // The selected address and its consent are kept, so media keep flowing on the
  // old path until a check with the new credentials selects one.
  void RenewLocalCredentials();
  const std::string& remote_ufrag() const { return remote_ufrag_; }
  const std::string& remote_pwd() const { return remote_pwd_; }  // unused by a lite agent, kept for completeness

  // Handles a parsed STUN datagram from `source`, received at `now`, writing any
  // response into `response` (at least kIceResponseCapacity bytes; when smaller the
  // response is not written, response_length is 0, and the state still changes).
  Outcome HandleStun(const StunMessage& request, const TransportAddress& source,
                     std::chrono::steady_clock::time_point now, std::span<std::uint8_t> response);

  // Where to send media: nullopt until the first authenticated request.
  std::optional<TransportAddress> selected_address() const { return selected_; }
  // The selected address leads nowhere any more (its ICE-TCP connection closed):
  // nothing is sent until a check selects another. Consent keeps its time, so
  // the connection still expires kConsentTimeout after the last check.
  void ForgetSelected() {
    selected_.reset();
    nominated_ = false;
  }
  // An authenticated request has been seen (consent was given once).
  bool consented() const { return last_consent_.has_value(); }
  // The controlling agent nominated the selected address (USE-CANDIDATE).
  bool nominated() const { return nominated_; }
  // RFC 7675: no authenticated request from the selected address for
  // kConsentTimeout. False before the first authenticated request (no consent
  // yet, nothing to expire): the caller times out connections that never connect.
  bool ConsentExpired(std::chrono::steady_clock::time_point now) const;

  std::uint64_t bad_credential_count() const { return bad_credential_count_; }
  std::uint64_t malformed_count() const { return malformed_count_; }

 private:
  bool UsernameMatches(std::string_view username) const;

  std::string local_ufrag_;
  std::string local_pwd_;
  std::string remote_ufrag_;
  std::string remote_pwd_;
  std::optional<TransportAddress> selected_;
  bool nominated_ = false;
  std::optional<std::chrono::steady_clock::time_point> last_consent_;
  std::uint64_t bad_credential_count_ = 0;
  std::uint64_t malformed_count_ = 0;
};

// For the worker's routing to a peer connection: the local ufrag of a Binding
// request's USERNAME (the part before ':'), without checking anything else. A view
// into the message's bytes; nullopt when the message is not a Binding request or
// its USERNAME has no ':' or an empty local part.
std::optional<std::string_view> LocalUfragOf(const StunMessage& message);

}  // namespace egovbox::media
