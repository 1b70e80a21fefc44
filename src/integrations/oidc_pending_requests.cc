#include "integrations/oidc_pending_requests.h"

#include "crypto/digest.h"
#include "crypto/random.h"

namespace egovbox::integrations {
namespace {

constexpr std::size_t kIdBytes = 24;

}  // namespace

std::optional<std::string> PendingRequests::Add(PendingRequest request, std::int64_t now) {
  const std::lock_guard lock(mutex_);
  if (requests_.size() >= kMaxPendingRequests) DropExpiredLocked(now);
  if (requests_.size() >= kMaxPendingRequests) return std::nullopt;
  request.id = crypto::RandomToken(kIdBytes);
  const std::string id = request.id;
  requests_.emplace(id, std::move(request));
  return id;
}

std::optional<PendingRequest> PendingRequests::Claim(const std::string& id, const std::string& employee_id,
                                                     std::string_view browser_cookie, std::int64_t now) {
  const std::lock_guard lock(mutex_);
  const auto found = ClaimLocked(id, employee_id, browser_cookie, now);
  if (found == requests_.end()) return std::nullopt;
  return found->second;
}

std::optional<PendingRequest> PendingRequests::Take(const std::string& id, const std::string& employee_id,
                                                    std::string_view browser_cookie, std::int64_t now) {
  const std::lock_guard lock(mutex_);
  const auto found = ClaimLocked(id, employee_id, browser_cookie, now);
  if (found == requests_.end()) return std::nullopt;
  PendingRequest request = std::move(found->second);
  requests_.erase(found);
  return request;
}

std::map<std::string, PendingRequest>::iterator PendingRequests::ClaimLocked(const std::string& id,
                                                                             const std::string& employee_id,
                                                                             std::string_view browser_cookie,
                                                                             std::int64_t now) {
  const auto found = requests_.find(id);
  if (found == requests_.end()) return requests_.end();
  if (found->second.expires_at <= now) {
    requests_.erase(found);
    return requests_.end();
  }
  auto& request = found->second;
  // Before anything is bound: another browser's attempt changes nothing.
  if (!crypto::ConstantTimeEquals(crypto::Sha256(browser_cookie), request.browser_hash)) return requests_.end();
  if (request.employee_id && *request.employee_id != employee_id) return requests_.end();
  request.employee_id = employee_id;
  return found;
}

void PendingRequests::DropExpiredLocked(std::int64_t now) {
  for (auto it = requests_.begin(); it != requests_.end();) {
    it = it->second.expires_at <= now ? requests_.erase(it) : std::next(it);
  }
}

}  // namespace egovbox::integrations
