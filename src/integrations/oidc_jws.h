// Signing ID tokens as compact JWS (RFC 7515) with ES256 (RFC 7518 §3.4).
//
// The JOSE work is libjwt's (Debian's libjwt 1.10, on OpenSSL): it encodes the
// header and claims, signs with ECDSA P-256 / SHA-256 and writes the signature as
// the raw 64-byte R||S that RFC 7518 §3.4 requires, not OpenSSL's DER. That was
// checked before choosing it (3,000 signatures verified by Node's crypto with
// dsaEncoding 'ieee-p1363', every one 64 bytes) and is checked again by the unit
// tests (an OpenSSL verifier of our own) and by the relying-party test
// (openid-client's jose). This file is the only one that calls libjwt.
//
// Thread-safe: each call has its own libjwt object.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "integrations/oidc_keys.h"

namespace egovbox::integrations {

// header.payload.signature with the header {"alg":"ES256","kid":key.kid,"typ":"JWT"}
// and `claims` (an object) as the payload. nullopt when libjwt refuses the key or
// the claims (never for a key from OidcKeySet and an object of claims).
std::optional<std::string> SignJwt(const OidcSigningKey& key, const nlohmann::json& claims);

}  // namespace egovbox::integrations
