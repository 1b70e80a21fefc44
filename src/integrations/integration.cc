#include "integrations/integration.h"

#include <algorithm>
#include <array>
#include <utility>

namespace egovbox::integrations {
namespace {

constexpr std::array<std::pair<Decision, std::string_view>, 6> kDecisionNames = {{
    {Decision::kRequested, "requested"},
    {Decision::kApproved, "approved"},
    {Decision::kRejected, "rejected"},
    {Decision::kSuspended, "suspended"},
    {Decision::kReinstated, "reinstated"},
    {Decision::kRevoked, "revoked"},
}};

struct Transition {
  std::string_view from;
  Decision decision;
  std::string_view to;
};

// docs/integrations.md, "Approval".
constexpr std::array<Transition, 6> kTransitions = {{
    {kStatusPending, Decision::kApproved, kStatusApproved},
    {kStatusPending, Decision::kRejected, kStatusRejected},
    {kStatusApproved, Decision::kSuspended, kStatusSuspended},
    {kStatusApproved, Decision::kRevoked, kStatusRevoked},
    {kStatusSuspended, Decision::kReinstated, kStatusApproved},
    {kStatusSuspended, Decision::kRevoked, kStatusRevoked},
}};

}  // namespace

bool IsLevel(std::string_view level) {
  return level == kLevelLink || level == kLevelEmbed || level == kLevelSso || level == kLevelApi;
}

std::string_view DecisionName(Decision decision) {
  for (const auto& [value, name] : kDecisionNames) {
    if (value == decision) return name;
  }
  return "";
}

std::optional<Decision> ParseDecision(std::string_view name) {
  for (const auto& [value, known] : kDecisionNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::optional<std::string_view> NextStatus(std::string_view status, Decision decision) {
  const auto found = std::find_if(kTransitions.begin(), kTransitions.end(), [&](const Transition& transition) {
    return transition.from == status && transition.decision == decision;
  });
  if (found == kTransitions.end()) return std::nullopt;
  return found->to;
}

bool GrantsAccess(Decision decision) {
  return decision == Decision::kApproved || decision == Decision::kReinstated;
}

bool NeedsReason(Decision decision) {
  return decision == Decision::kRejected || decision == Decision::kRevoked;
}

const std::vector<std::string>& AllowedScopes(std::string_view level) {
  static const std::vector<std::string> kNone;
  static const std::vector<std::string> kSso = {std::string(kScopeOpenId), "profile", "email", "department", "roles"};
  static const std::vector<std::string> kApi = {std::string(kScopeDirectoryRead), std::string(kScopeMeetingsRead),
                                                std::string(kScopeMeetingsWrite)};
  if (level == kLevelSso) return kSso;
  if (level == kLevelApi) return kApi;
  return kNone;
}

}  // namespace egovbox::integrations
