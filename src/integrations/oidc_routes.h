// The OpenID Connect provider's HTTP endpoints (docs/integrations.md):
//
//   GET  /.well-known/openid-configuration   discovery
//   GET  /oauth2/jwks                        the public keys
//   GET  /oauth2/authorize                   → 302 to the portal, or to the consent page
//   POST /oauth2/token                       form body; JSON answer, Cache-Control: no-store
//   GET|POST /oauth2/userinfo                Authorization: Bearer <access token>
//   POST /oauth2/revoke                      RFC 7009
//   GET  /api/v1/oauth2/requests/{id}        the consent page's request (signed in)
//   POST /api/v1/oauth2/requests/{id}        {"decision": "allow"|"deny"} → {"redirect_to"} (CSRF)
//
// The consent page itself is the web app's /oauth2/consent/{id} (web/src/oidc/):
// no server route has that path, so the web app's index.html answers it.
#pragma once

#include "http/dispatcher.h"
#include "http/router.h"
#include "integrations/oidc_provider.h"

namespace egovbox::integrations {

// `authenticator` tells /oauth2/authorize who is signed in when the browser sent
// the session cookie. Both must outlive the router.
void AddOidcRoutes(http::Router& router, OidcProvider& provider, http::Authenticator& authenticator);
// The texts of the consent API's problems; call once at start.
void RegisterOidcProblems();

}  // namespace egovbox::integrations
