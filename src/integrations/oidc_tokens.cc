#include "integrations/oidc_tokens.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "crypto/digest.h"
#include "crypto/encoding.h"
#include "crypto/key_file.h"
#include "crypto/random.h"

namespace egovbox::integrations {
namespace {

constexpr std::size_t kPairwiseKeyBytes = 32;
constexpr std::size_t kS256ChallengeLength = 43;  // 32 bytes, unpadded base64url
constexpr std::size_t kMinVerifierLength = 43;
constexpr std::size_t kMaxVerifierLength = 128;

bool IsScopeCharacter(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte == 0x21 || (byte >= 0x23 && byte <= 0x5B) || (byte >= 0x5D && byte <= 0x7E);
}

bool IsBase64UrlCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// RFC 7636 §4.1: ALPHA / DIGIT / "-" / "." / "_" / "~".
bool IsVerifierCharacter(char c) {
  return IsBase64UrlCharacter(c) || c == '.' || c == '~';
}

}  // namespace

const std::vector<std::string>& OidcScopes() {
  static const std::vector<std::string> kScopes = {std::string(kScopeOpenIdConnect), std::string(kScopeProfile),
                                                   std::string(kScopeEmail), std::string(kScopeDepartment),
                                                   std::string(kScopeRoles)};
  return kScopes;
}

std::optional<std::vector<std::string>> ParseScope(std::string_view text) {
  std::vector<std::string> scopes;
  while (!text.empty()) {
    const auto space = text.find(' ');
    const std::string_view token = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
    if (token.empty()) continue;
    if (!std::all_of(token.begin(), token.end(), IsScopeCharacter)) return std::nullopt;
    if (!HasScope(scopes, token)) scopes.emplace_back(token);
  }
  return scopes;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string joined;
  for (const auto& scope : scopes) {
    if (!joined.empty()) joined += ' ';
    joined += scope;
  }
  return joined;
}

bool HasScope(const std::vector<std::string>& scopes, std::string_view scope) {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

bool ScopesWithin(const std::vector<std::string>& wanted, const std::vector<std::string>& granted) {
  return std::all_of(wanted.begin(), wanted.end(),
                     [&granted](const std::string& scope) { return HasScope(granted, scope); });
}

std::vector<std::string> MergeScopes(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> merged = a;
  for (const auto& scope : b) {
    if (!HasScope(merged, scope)) merged.push_back(scope);
  }
  return merged;
}

bool IsS256CodeChallenge(std::string_view challenge) {
  return challenge.size() == kS256ChallengeLength &&
         std::all_of(challenge.begin(), challenge.end(), IsBase64UrlCharacter);
}

bool VerifyCodeChallenge(std::string_view verifier, std::string_view challenge) {
  if (verifier.size() < kMinVerifierLength || verifier.size() > kMaxVerifierLength) return false;
  if (!std::all_of(verifier.begin(), verifier.end(), IsVerifierCharacter)) return false;
  // RFC 7636 §4.6: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge.
  return crypto::ConstantTimeEquals(crypto::Base64UrlEncode(crypto::Sha256(verifier)), challenge);
}

PairwiseSubjects::PairwiseSubjects(std::string key) : key_(std::move(key)) {
  if (key_.size() != kPairwiseKeyBytes) throw std::invalid_argument("the pairwise key must be 32 bytes");
}

PairwiseSubjects PairwiseSubjects::FromKeyFile(const std::filesystem::path& file) {
  return PairwiseSubjects(crypto::LoadOrCreateKey(file, kPairwiseKeyBytes, "the OIDC pairwise key"));
}

std::string PairwiseSubjects::Subject(std::string_view client_id, std::string_view employee_id) const {
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
  // The separator keeps ("ab", "c") and ("a", "bc") apart; neither id holds a newline.
  const std::string input = std::string(client_id) + "\n" + std::string(employee_id);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return crypto::Base64UrlEncode(mac);
}

nlohmann::json PersonClaims(const identity::Employee& employee, const std::vector<std::string>& scopes) {
  nlohmann::json claims = nlohmann::json::object();
  if (HasScope(scopes, kScopeProfile)) claims["name"] = employee.name;
  if (HasScope(scopes, kScopeEmail)) claims["email"] = employee.email;
  if (HasScope(scopes, kScopeDepartment)) {
    claims["department"] = employee.department ? nlohmann::json(employee.department->name) : nlohmann::json();
  }
  if (HasScope(scopes, kScopeRoles)) claims["roles"] = employee.roles;
  return claims;
}

nlohmann::json IdTokenClaims(const IdTokenInput& input, const identity::Employee& employee,
                             const std::vector<std::string>& scopes) {
  nlohmann::json claims = PersonClaims(employee, scopes);
  claims["iss"] = input.issuer;
  claims["sub"] = input.subject;
  claims["aud"] = input.client_id;
  claims["iat"] = input.issued_at;
  claims["exp"] = input.expires_at;
  claims["auth_time"] = input.auth_time;
  if (input.nonce) claims["nonce"] = *input.nonce;
  return claims;
}

}  // namespace egovbox::integrations
