#include "integrations/oidc_jws.h"

#include <jwt.h>

#include <cstdlib>
#include <memory>

namespace egovbox::integrations {
namespace {

struct JwtDeleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
struct MallocDeleter {
  void operator()(char* text) const { std::free(text); }  // NOLINT(cppcoreguidelines-no-malloc): libjwt's allocation
};

}  // namespace

std::optional<std::string> SignJwt(const OidcSigningKey& key, const nlohmann::json& claims) {
  if (!claims.is_object()) return std::nullopt;
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return std::nullopt;
  const std::unique_ptr<jwt_t, JwtDeleter> jwt(raw);
  const std::string payload = claims.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (jwt_add_grants_json(jwt.get(), payload.c_str()) != 0) return std::nullopt;
  if (jwt_add_header(jwt.get(), "kid", key.kid.c_str()) != 0) return std::nullopt;
  if (jwt_set_alg(jwt.get(), JWT_ALG_ES256, reinterpret_cast<const unsigned char*>(key.private_key_pem.data()),
                  static_cast<int>(key.private_key_pem.size())) != 0) {
    return std::nullopt;
  }
  const std::unique_ptr<char, MallocDeleter> encoded(jwt_encode_str(jwt.get()));
  if (!encoded) return std::nullopt;
  return std::string(encoded.get());
}

}  // namespace egovbox::integrations
