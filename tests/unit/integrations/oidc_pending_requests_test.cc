#include "integrations/oidc_pending_requests.h"

#include <gtest/gtest.h>

#include "crypto/digest.h"
#include "temporary_database.h"

namespace egovbox::integrations {
namespace {

constexpr std::int64_t kNow = 1'000'000;
constexpr std::string_view kCookie = "browser-cookie";

PendingRequest Request(std::int64_t expires_at = kNow + 600) {
  PendingRequest request;
  request.client_id = "client";
  request.redirect_uri = "https://portal.example/cb";
  request.scopes = {"openid"};
  request.expires_at = expires_at;
  request.browser_hash = crypto::Sha256(kCookie);
  return request;
}

class PendingRequestsTest : public ::testing::Test {
 protected:
  void SetUp() override { unit_test::InitializeLibrariesOnce(); }
  PendingRequests pending_;
};

TEST_F(PendingRequestsTest, TheFirstPersonToOpenARequestOwnsIt) {
  const auto id = pending_.Add(Request(), kNow);
  ASSERT_TRUE(id);
  EXPECT_GE(id->size(), 32U);
  const auto claimed = pending_.Claim(*id, "maria", kCookie, kNow);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->id, *id);
  EXPECT_EQ(claimed->employee_id, "maria");
  EXPECT_FALSE(pending_.Claim(*id, "ivan", kCookie, kNow));
  EXPECT_FALSE(pending_.Take(*id, "ivan", kCookie, kNow));
  EXPECT_TRUE(pending_.Claim(*id, "maria", kCookie, kNow));
}

TEST_F(PendingRequestsTest, OnlyTheBrowserWithTheCookieFindsARequest) {
  const auto id = pending_.Add(Request(), kNow);
  EXPECT_FALSE(pending_.Claim(*id, "ivan", "", kNow));
  EXPECT_FALSE(pending_.Claim(*id, "ivan", "another-cookie", kNow));
  EXPECT_FALSE(pending_.Take(*id, "ivan", "another-cookie", kNow));
  // Those attempts bound no one, and took nothing.
  const auto claimed = pending_.Claim(*id, "maria", kCookie, kNow);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->employee_id, "maria");
}

TEST_F(PendingRequestsTest, ARequestIsTakenOnce) {
  const auto id = pending_.Add(Request(), kNow);
  EXPECT_TRUE(pending_.Take(*id, "maria", kCookie, kNow));
  EXPECT_FALSE(pending_.Take(*id, "maria", kCookie, kNow));
  EXPECT_FALSE(pending_.Claim(*id, "maria", kCookie, kNow));
}

TEST_F(PendingRequestsTest, AnExpiredOrUnknownRequestIsNotFound) {
  const auto id = pending_.Add(Request(kNow + 10), kNow);
  EXPECT_FALSE(pending_.Claim(*id, "maria", kCookie, kNow + 10));
  EXPECT_FALSE(pending_.Claim("unknown", "maria", kCookie, kNow));
}

TEST_F(PendingRequestsTest, RefusesMoreThanTheLimitUntilSomeExpire) {
  for (std::size_t i = 0; i < PendingRequests::kMaxPendingRequests; ++i) {
    ASSERT_TRUE(pending_.Add(Request(kNow + 10), kNow));
  }
  EXPECT_FALSE(pending_.Add(Request(), kNow));
  EXPECT_TRUE(pending_.Add(Request(), kNow + 10)) << "the expired ones make room";
}

}  // namespace
}  // namespace egovbox::integrations
