// What the OpenID Connect provider needs to know about a portal's client: the
// `sso` integrations, their client ids, redirect URIs, scopes and secret hashes
// (docs/integrations.md). Only an integration whose status is `approved` is a
// client that may sign anyone in; a pending, rejected, suspended or revoked one
// answers `unauthorized_client`, an unknown client id `invalid_client`.
//
// Every function here is a plain read on the caller's connection (blocking: call
// it from a worker thread, inside the caller's transaction if it has one). Store
// failures throw store::StoreError; nothing else throws. Thread-safe as far as the
// connection is (one thread per connection).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace egovbox::integrations {

// An `sso` integration as the OIDC provider sees it, whatever its status.
struct OidcClient {
  std::string client_id;                   // random, URL-safe; given when the integration is requested
  std::string integration_id;              // integrations.id
  std::string name;                        // shown on the consent page
  std::string status;                      // pending | approved | rejected | suspended | revoked
  std::vector<std::string> redirect_uris;  // https, matched exactly
  std::vector<std::string> scopes;         // the scopes the officer approved ("openid" always among them)
  std::string secret_hash;                 // lower-case hex SHA-256 of the secret; "" before approval
};

// An approved client: the only kind that may take part in any OIDC flow.
using ApprovedClient = OidcClient;

// The `sso` integration with this client id, whatever its status; nullopt when
// there is none (→ invalid_client).
std::optional<OidcClient> FindClient(store::Connection& connection, std::string_view client_id);

// The client only while its integration is `approved`; nullopt otherwise (unknown,
// pending, rejected, suspended, revoked). Use FindClient first when the answer must
// tell `invalid_client` from `unauthorized_client`.
std::optional<ApprovedClient> FindApprovedClient(store::Connection& connection, std::string_view client_id);

// True when SHA-256(presented_secret) equals the client's stored hash, compared in
// constant time. False for a client without a secret and for an empty secret.
bool VerifyClientSecret(const OidcClient& client, std::string_view presented_secret);

// The hash stored for a client secret or any other bearer secret of this module:
// lower-case hex SHA-256.
std::string HashSecret(std::string_view secret);

}  // namespace egovbox::integrations
