#include "identity/login_throttle.h"

#include <gtest/gtest.h>

namespace egovbox::identity {
namespace {

constexpr std::int64_t kStart = 1'700'000'000;

// A policy in which only the named rule ever applies.
LoginThrottle::Policy Only(const std::string& rule) {
  LoginThrottle::Policy policy;
  constexpr LoginThrottle::Rule kNever{1'000'000, 0};
  if (rule != "code_and_address") policy.code_and_address = kNever;
  if (rule != "address") policy.address = kNever;
  if (rule != "code") policy.code = kNever;
  return policy;
}

TEST(LoginThrottleTest, FirstFailuresCostNoWait) {
  LoginThrottle throttle;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(throttle.RecordFailure("K7M4QX2P", "10.0.0.1", kStart), 0) << i;
  }
  EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "10.0.0.1", kStart), 0);
}

TEST(LoginThrottleTest, WaitDoublesFromOneSecondAtTheThreshold) {
  LoginThrottle throttle;
  std::int64_t now = kStart;
  for (int i = 0; i < 4; ++i) ASSERT_EQ(throttle.RecordFailure("K7M4QX2P", "10.0.0.1", now), 0);
  // The fifth failure reaches the threshold; each later one doubles the wait. Each
  // attempt is made as soon as it is allowed.
  for (std::int64_t expected : {1, 2, 4, 8, 16, 32, 64, 128, 256, 512}) {
    const std::int64_t wait = throttle.RecordFailure("K7M4QX2P", "10.0.0.1", now);
    EXPECT_EQ(wait, expected);
    EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "10.0.0.1", now), wait);
    now += wait;
    EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "10.0.0.1", now), 0);
  }
}

TEST(LoginThrottleTest, WaitRunsDownWithTime) {
  LoginThrottle throttle;
  for (int i = 0; i < 10; ++i) throttle.RecordFailure("K7M4QX2P", "10.0.0.1", kStart);
  EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "10.0.0.1", kStart), 32);
  EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "10.0.0.1", kStart + 10), 22);
  EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "10.0.0.1", kStart + 32), 0);
  EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "10.0.0.1", kStart + 100), 0);
}

TEST(LoginThrottleTest, ThresholdIsTheRulesFreeFailures) {
  LoginThrottle::Policy policy = Only("code_and_address");
  policy.code_and_address = {2, 900};
  LoginThrottle throttle(policy);
  EXPECT_EQ(throttle.RecordFailure("C", "A", kStart), 0);
  EXPECT_EQ(throttle.RecordFailure("C", "A", kStart), 1);
  EXPECT_EQ(throttle.RecordFailure("C", "A", kStart), 2);
}

TEST(LoginThrottleTest, CodeAndAddressWaitStopsAtFifteenMinutes) {
  LoginThrottle throttle(Only("code_and_address"));
  for (int i = 0; i < 200; ++i) throttle.RecordFailure("K7M4QX2P", "10.0.0.1", kStart);
  EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "10.0.0.1", kStart), 900);
}

TEST(LoginThrottleTest, AddressWaitStopsAtAnHour) {
  // One address trying many codes, each only once.
  LoginThrottle throttle(Only("address"));
  for (int i = 0; i < 200; ++i) throttle.RecordFailure("CODE" + std::to_string(i), "10.0.0.1", kStart);
  EXPECT_EQ(throttle.WaitSeconds("ANOTHER1", "10.0.0.1", kStart), 3600);
  EXPECT_EQ(throttle.WaitSeconds("ANOTHER1", "10.0.0.2", kStart), 0);
}

TEST(LoginThrottleTest, CodeWaitStopsAtAMinute) {
  // Many addresses guessing at one code, each only once.
  LoginThrottle throttle(Only("code"));
  for (int i = 0; i < 200; ++i) throttle.RecordFailure("K7M4QX2P", "10.0." + std::to_string(i), kStart);
  EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "192.168.1.1", kStart), 60);
  EXPECT_EQ(throttle.WaitSeconds("OTHERCOD", "192.168.1.1", kStart), 0);
}

TEST(LoginThrottleTest, DefaultRulesTakeTheLongestWait) {
  LoginThrottle throttle;
  for (int i = 0; i < 200; ++i) throttle.RecordFailure("K7M4QX2P", "10.0.0.1", kStart);
  EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "10.0.0.1", kStart), 3600);  // the address rule
  EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "10.0.0.2", kStart), 60);    // the code rule
  EXPECT_EQ(throttle.WaitSeconds("OTHERCOD", "10.0.0.1", kStart), 3600);  // the address rule
  EXPECT_EQ(throttle.WaitSeconds("OTHERCOD", "10.0.0.2", kStart), 0);
}

TEST(LoginThrottleTest, ForgetsFailuresFifteenMinutesAfterTheLast) {
  LoginThrottle remembered;
  LoginThrottle forgotten;
  for (int i = 0; i < 10; ++i) {
    remembered.RecordFailure("K7M4QX2P", "10.0.0.1", kStart);
    forgotten.RecordFailure("K7M4QX2P", "10.0.0.1", kStart);
  }
  // The eleventh failure, just before and just at the fifteen minutes.
  EXPECT_EQ(remembered.RecordFailure("K7M4QX2P", "10.0.0.1", kStart + 899), 64);
  EXPECT_EQ(forgotten.RecordFailure("K7M4QX2P", "10.0.0.1", kStart + 900), 0);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(forgotten.RecordFailure("K7M4QX2P", "10.0.0.1", kStart + 900), 0);
  EXPECT_EQ(forgotten.RecordFailure("K7M4QX2P", "10.0.0.1", kStart + 900), 1);  // counted afresh
}

TEST(LoginThrottleTest, SweepOfOldCountersKeepsRecentOnes) {
  LoginThrottle throttle;
  for (int i = 0; i < 10; ++i) throttle.RecordFailure("OLDCODE1", "10.0.0.1", kStart);
  for (int i = 0; i < 10; ++i) throttle.RecordFailure("NEWCODE1", "10.0.0.2", kStart + 800);
  // A failure long after the first batch sweeps it, but not the second.
  throttle.RecordFailure("THIRD001", "10.0.0.3", kStart + 1000);
  EXPECT_EQ(throttle.WaitSeconds("NEWCODE1", "10.0.0.2", kStart + 800), 32);
  EXPECT_EQ(throttle.WaitSeconds("OLDCODE1", "10.0.0.1", kStart + 1000), 0);
}

TEST(LoginThrottleTest, SuccessResetsTheCodeCountersButNotTheAddressOne) {
  LoginThrottle throttle;
  // From one address: ten failures at the person's code, 21 at other codes.
  for (int i = 0; i < 10; ++i) throttle.RecordFailure("K7M4QX2P", "10.0.0.1", kStart);
  for (int i = 0; i < 21; ++i) throttle.RecordFailure("CODE" + std::to_string(i), "10.0.0.1", kStart);
  // From elsewhere: 15 failures at the person's code.
  for (int i = 0; i < 15; ++i) throttle.RecordFailure("K7M4QX2P", "172.16.0." + std::to_string(i), kStart);
  ASSERT_EQ(throttle.WaitSeconds("K7M4QX2P", "10.0.0.1", kStart), 32);     // code and address: 10 failures
  ASSERT_EQ(throttle.WaitSeconds("K7M4QX2P", "192.168.0.1", kStart), 32);  // code: 25 failures
  ASSERT_EQ(throttle.WaitSeconds("SOMECODE", "10.0.0.1", kStart), 2);      // address: 31 failures

  throttle.RecordSuccess("K7M4QX2P", "10.0.0.1");
  EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "192.168.0.1", kStart), 0);
  EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "10.0.0.1", kStart), 2);  // the address counter stays
  EXPECT_EQ(throttle.WaitSeconds("SOMECODE", "10.0.0.1", kStart), 2);
  // Another address's own counter for the code stays too.
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("K7M4QX2P", "172.16.0.1", kStart);
  EXPECT_EQ(throttle.WaitSeconds("K7M4QX2P", "172.16.0.1", kStart), 1);
}

TEST(LoginThrottleTest, AttackerElsewhereDelaysThePersonAtMostAMinute) {
  // For two hours, fifty addresses guess at one code, each as often as it may. The
  // person, at an address of their own, never has to wait more than the code rule's
  // ceiling, while the guessing slows to about one try a minute.
  LoginThrottle throttle;
  const std::string code = "K7M4QX2P";
  int guesses = 0;
  std::int64_t longest_wait = 0;
  for (std::int64_t now = kStart; now < kStart + 2 * 3600; ++now) {
    for (int a = 0; a < 50; ++a) {
      const std::string address = "203.0.113." + std::to_string(a);
      if (throttle.WaitSeconds(code, address, now) == 0) {
        throttle.RecordFailure(code, address, now);
        ++guesses;
      }
    }
    longest_wait = std::max(longest_wait, throttle.WaitSeconds(code, "10.0.0.1", now));
  }
  EXPECT_EQ(longest_wait, 60);
  EXPECT_LT(guesses, 20 + 2 * 60 + 50);  // the free ones, then one a minute (and a few at the edges)
}

}  // namespace
}  // namespace egovbox::identity
