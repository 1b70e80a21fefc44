#include "integrations/integration_clients.h"

#include "crypto/digest.h"
#include "integrations/integration_repository.h"

namespace egovbox::integrations {

std::optional<OidcClient> FindClient(store::Connection& connection, std::string_view client_id) {
  if (client_id.empty()) return std::nullopt;
  auto integration = IntegrationRepository::FindByClientId(connection, std::string(client_id));
  if (!integration || !integration->client_id) return std::nullopt;
  return OidcClient{*integration->client_id,
                    integration->id,
                    integration->request.name,
                    integration->status,
                    integration->request.redirect_uris,
                    integration->request.scopes,
                    integration->client_secret_hash.value_or("")};
}

std::optional<ApprovedClient> FindApprovedClient(store::Connection& connection, std::string_view client_id) {
  auto client = FindClient(connection, client_id);
  if (!client || client->status != kStatusApproved || client->secret_hash.empty()) return std::nullopt;
  return client;
}

bool VerifyClientSecret(const OidcClient& client, std::string_view presented_secret) {
  if (client.secret_hash.empty() || presented_secret.empty()) return false;
  return crypto::ConstantTimeEquals(HashSecret(presented_secret), client.secret_hash);
}

std::string HashSecret(std::string_view secret) {
  return crypto::Sha256Hex(secret);
}

}  // namespace egovbox::integrations
