#include "meetings/turn_credentials.h"

#include <gtest/gtest.h>

#include <chrono>

namespace egovbox::meetings {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

const system_clock::time_point kNow{seconds(1'700'000'000)};

TurnOptions Configured() {
  TurnOptions options;
  options.urls = {"turns:turn.example.bg:443?transport=tcp"};
  options.secret = "north";
  return options;
}

// The value coturn computes for use-auth-secret (checked independently with
// Python's hmac: base64(HMAC-SHA1("north", "1700043200:pAbC_1"))).
TEST(TurnCredentialsTest, FollowsTheTurnRestApiConvention) {
  const TurnCredentials credentials = MakeTurnCredentials(Configured(), "pAbC:1", kNow);
  EXPECT_EQ(credentials.username, "1700043200:pAbC_1");  // expiry 12 h on; ':' in the label replaced
  EXPECT_EQ(credentials.credential, "3/eMlgY6xkuG2PHcPkCp63O/+qs=");
}

TEST(TurnCredentialsTest, TheLifetimeSetsTheExpiry) {
  TurnOptions options = Configured();
  options.lifetime = std::chrono::minutes(5);
  EXPECT_EQ(MakeTurnCredentials(options, "p", kNow).username, "1700000300:p");
}

TEST(TurnCredentialsTest, IceServersForThePage) {
  const nlohmann::json servers = IceServers(Configured(), "pAbC:1", kNow);
  ASSERT_EQ(servers.size(), 1U);
  EXPECT_EQ(servers[0]["urls"], nlohmann::json::array({"turns:turn.example.bg:443?transport=tcp"}));
  EXPECT_EQ(servers[0]["username"], "1700043200:pAbC_1");
  EXPECT_EQ(servers[0]["credential"], "3/eMlgY6xkuG2PHcPkCp63O/+qs=");
}

TEST(TurnCredentialsTest, NoServersWithoutUrlsOrSecret) {
  TurnOptions no_secret = Configured();
  no_secret.secret.clear();
  EXPECT_EQ(IceServers(no_secret, "p", kNow), nlohmann::json::array());
  EXPECT_EQ(IceServers(TurnOptions{}, "p", kNow), nlohmann::json::array());
}

}  // namespace
}  // namespace egovbox::meetings
