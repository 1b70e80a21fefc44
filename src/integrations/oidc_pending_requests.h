// Authorization requests waiting for the person: /oauth2/authorize validated the
// request, but the person must first sign in or give consent in the web app. The
// request is kept here under a random id that the browser carries to the consent
// page (/oauth2/consent/{id}); the consent API takes it from here to issue the
// code. Requests live 10 minutes and are used once. Each is also bound to the
// browser that brought it: only the SHA-256 of the request cookie that
// /oauth2/authorize set is kept, and a Claim or Take that does not present the
// cookie finds nothing, so a consent link passed to someone else is useless.
//
// Kept in memory: a restart forgets them (the portal simply starts again), and
// with several `serve` nodes the load balancer must keep a browser on one node
// for the minute this takes (or this moves into the store). At most
// kMaxPendingRequests at a time, so that a flood of authorize calls cannot grow
// memory without bound. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace egovbox::integrations {

struct PendingRequest {
  std::string id;
  std::string client_id;
  std::string redirect_uri;
  std::vector<std::string> scopes;
  std::string state;  // "" when the client sent none
  std::optional<std::string> nonce;
  std::string code_challenge;
  std::string browser_hash;                // SHA-256 (raw) of the request cookie's value
  bool consent_prompt = false;             // prompt=consent: ask even if consented before
  std::optional<std::string> employee_id;  // set by the first signed-in person who opens it
  std::int64_t expires_at = 0;
};

class PendingRequests {
 public:
  static constexpr std::size_t kMaxPendingRequests = 10000;

  // Stores the request under a new random id and returns the id; nullopt when
  // kMaxPendingRequests unexpired requests are waiting.
  std::optional<std::string> Add(PendingRequest request, std::int64_t now);
  // The request for this person in the browser that presents `browser_cookie`
  // (the request cookie's value, "" when none came): bound to the person if it
  // was not bound yet; nullopt when unknown, expired, bound to someone else, or
  // the cookie does not match (compared as hashes, in constant time; a wrong
  // cookie binds nobody).
  std::optional<PendingRequest> Claim(const std::string& id, const std::string& employee_id,
                                      std::string_view browser_cookie, std::int64_t now);
  // Like Claim, and removes it: a request is decided once.
  std::optional<PendingRequest> Take(const std::string& id, const std::string& employee_id,
                                     std::string_view browser_cookie, std::int64_t now);

 private:
  void DropExpiredLocked(std::int64_t now);
  // The request, bound to this person; end() when unknown, expired or someone else's.
  std::map<std::string, PendingRequest>::iterator ClaimLocked(const std::string& id, const std::string& employee_id,
                                                              std::string_view browser_cookie, std::int64_t now);

  std::mutex mutex_;
  std::map<std::string, PendingRequest> requests_;  // guarded by mutex_
};

}  // namespace egovbox::integrations
