// The rules of third-party portals (docs/integrations.md): administrators request
// an integration; security officers (second factor on) approve, reject, suspend,
// reinstate or revoke it along the state machine of integration.h, never granting
// access to a request of their own; every step is kept in integration_decisions
// and audited in the same transaction. Approval makes an sso client's secret or
// an api integration's token, returned once and stored as SHA-256; revocation
// ends the integration's OIDC codes and tokens and its API tokens in the same
// transaction. After every decision the CSP's frame-src (http::FrameSources) is
// set to the origins of the approved `embed` integrations. The catalogue is what
// one person may see of the approved link, embed and sso integrations.
//
// Thread-safe. Blocks on the store: call from worker threads.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "http/problem.h"
#include "http/security_headers.h"
#include "integrations/integration.h"
#include "integrations/integration_repository.h"
#include "store/database.h"

namespace egovbox::integrations {

// Who acts: the signed-in person, their roles (from the session), for the checks and the audit log.
struct Actor {
  std::string employee_id;
  std::vector<std::string> roles;
  std::string client_address;

  bool Has(std::string_view role) const;
};

struct DecisionOutcome {
  Integration integration;  // with its history
  Credentials credentials;  // set only by an approval from pending
};

class IntegrationService {
 public:
  using Clock = std::function<std::int64_t()>;
  static constexpr std::int64_t kApiTokenLifetimeSeconds = std::int64_t{90} * 86400;
  static constexpr std::string_view kApiTokenPrefix = "egbx_";

  // Sets `frame_sources` from the store at once.
  IntegrationService(store::Database& database, const audit::AuditLog& audit, http::FrameSources& frame_sources,
                     Clock clock = nullptr);

  // Administrators only (403 forbidden). Problems: those of ValidateRequest (400).
  // An sso request gets its client id now; it works only once approved.
  http::Result<Integration> Request(const Actor& actor, IntegrationInput input);
  // Administrators and security officers (403 forbidden), with the history.
  // `status` narrows the list (400 invalid-field for an unknown status).
  http::Result<std::vector<Integration>> List(const Actor& actor, const std::optional<std::string>& status);
  http::Result<Integration> Get(const Actor& actor, const std::string& id);
  // Security officers with the second factor on (403 forbidden,
  // totp-enrollment-required); 404 integration-not-found; 403 integration-own-request
  // for approving or reinstating one's own request; 409
  // integration-transition-not-allowed; 400 integration-reason-required for a
  // rejection or revocation without a reason.
  http::Result<DecisionOutcome> Decide(const Actor& actor, const std::string& id, Decision decision,
                                       const std::string& reason);
  // The approved link, embed and sso integrations whose visible roles and
  // departments include the actor's (empty lists include everyone), by name.
  std::vector<CatalogueEntry> Catalogue(const Actor& actor);

  // Reads the approved embed origins and sets the frame sources.
  void RefreshFrameSources();
  std::int64_t Now() const { return clock_(); }

 private:
  Integration WithHistory(store::Connection& connection, Integration integration) const;
  void Audit(store::Connection& tx, const Actor& actor, const std::string& action, const std::string& id,
             nlohmann::json detail) const;

  store::Database& database_;
  const audit::AuditLog& audit_;
  http::FrameSources& frame_sources_;
  Clock clock_;
  std::mutex refresh_mutex_;  // one refresh at a time, so the last one set reads the last commit
};

}  // namespace egovbox::integrations
