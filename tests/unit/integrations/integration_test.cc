#include "integrations/integration.h"

#include <gtest/gtest.h>

#include <array>
#include <map>

namespace egovbox::integrations {
namespace {

constexpr std::array kStatuses = {kStatusPending, kStatusApproved, kStatusRejected, kStatusSuspended, kStatusRevoked};
constexpr std::array kDecisions = {Decision::kRequested, Decision::kApproved,   Decision::kRejected,
                                   Decision::kSuspended, Decision::kReinstated, Decision::kRevoked};

TEST(IntegrationStateTest, FollowsTheDocumentedStateMachineAndNothingElse) {
  const std::map<std::pair<std::string_view, Decision>, std::string_view> allowed = {
      {{kStatusPending, Decision::kApproved}, kStatusApproved},
      {{kStatusPending, Decision::kRejected}, kStatusRejected},
      {{kStatusApproved, Decision::kSuspended}, kStatusSuspended},
      {{kStatusApproved, Decision::kRevoked}, kStatusRevoked},
      {{kStatusSuspended, Decision::kReinstated}, kStatusApproved},
      {{kStatusSuspended, Decision::kRevoked}, kStatusRevoked},
  };
  for (const auto status : kStatuses) {
    for (const auto decision : kDecisions) {
      const auto found = allowed.find({status, decision});
      const auto next = NextStatus(status, decision);
      if (found == allowed.end()) {
        EXPECT_FALSE(next.has_value()) << status << " + " << DecisionName(decision);
      } else {
        EXPECT_EQ(next, found->second) << status << " + " << DecisionName(decision);
      }
    }
  }
}

TEST(IntegrationStateTest, RejectedAndRevokedAreFinal) {
  for (const auto decision : kDecisions) {
    EXPECT_FALSE(NextStatus(kStatusRejected, decision));
    EXPECT_FALSE(NextStatus(kStatusRevoked, decision));
  }
}

TEST(IntegrationStateTest, OnlyApprovalAndReinstatementGrantAccessAndOnlyRejectionAndRevocationNeedAReason) {
  for (const auto decision : kDecisions) {
    EXPECT_EQ(GrantsAccess(decision), decision == Decision::kApproved || decision == Decision::kReinstated);
    EXPECT_EQ(NeedsReason(decision), decision == Decision::kRejected || decision == Decision::kRevoked);
  }
}

TEST(IntegrationStateTest, DecisionNamesRoundTrip) {
  for (const auto decision : kDecisions) EXPECT_EQ(ParseDecision(DecisionName(decision)), decision);
  EXPECT_FALSE(ParseDecision("approve"));
}

TEST(IntegrationScopesTest, EachLevelHasItsOwnScopes) {
  EXPECT_TRUE(AllowedScopes(kLevelLink).empty());
  EXPECT_TRUE(AllowedScopes(kLevelEmbed).empty());
  EXPECT_EQ(AllowedScopes(kLevelSso), (std::vector<std::string>{"openid", "profile", "email", "department", "roles"}));
  EXPECT_EQ(AllowedScopes(kLevelApi), (std::vector<std::string>{"directory:read", "meetings:read", "meetings:write"}));
  EXPECT_TRUE(AllowedScopes("other").empty());
}

}  // namespace
}  // namespace egovbox::integrations
