#include "media/ice_lite.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace egovbox::media {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::string_view kLocalUfrag = "srvA";
constexpr std::string_view kLocalPwd = "server-password-0123456";
constexpr std::string_view kRemoteUfrag = "brws";
constexpr StunTransactionId kTransactionId = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

// RFC 5769 §2.1 (also in stun_test.cc): username "evtj:h6vY", carries ICE-CONTROLLED.
const Bytes kSampleRequest = {
    0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87,
    0xdf, 0xae, 0x80, 0x22, 0x00, 0x10, 0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x63, 0x6c,
    0x69, 0x65, 0x6e, 0x74, 0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff, 0x80, 0x29, 0x00, 0x08, 0x93, 0x2f,
    0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36, 0x00, 0x06, 0x00, 0x09, 0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76,
    0x59, 0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14, 0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e,
    0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5, 0x71, 0xa2, 0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf};
constexpr std::string_view kSamplePassword = "VOkJxbRl1RmTxUk/WvJxBt";

TransportAddress Address(std::uint8_t last, std::uint16_t port) {
  TransportAddress address;
  address.address = {192, 0, 2, last};
  address.port = port;
  return address;
}

TransportAddress Ipv6Address(std::uint16_t port) {
  TransportAddress address;
  address.family = TransportAddress::Family::kIpv6;
  address.address = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7};
  address.port = port;
  return address;
}

// What a browser sends: a Binding request with the attributes asked for.
struct RequestSpec {
  std::string username = std::string(kLocalUfrag) + ":" + std::string(kRemoteUfrag);
  std::string integrity_key = std::string(kLocalPwd);
  bool integrity = true;
  bool fingerprint = true;
  bool use_candidate = false;
  bool controlled = false;  // ICE-CONTROLLED instead of ICE-CONTROLLING
  StunClass message_class = StunClass::kRequest;
  StunTransactionId transaction_id = kTransactionId;
};

Bytes BuildRequest(const RequestSpec& spec) {
  Bytes buffer(256);
  StunWriter writer(buffer, spec.message_class, kStunBindingMethod, spec.transaction_id);
  writer.AddText(stun_attribute::kUsername, spec.username);
  writer.AddUint32(stun_attribute::kPriority, 1853824767);
  writer.AddUint64(spec.controlled ? stun_attribute::kIceControlled : stun_attribute::kIceControlling, 0x1234);
  if (spec.use_candidate) writer.AddFlag(stun_attribute::kUseCandidate);
  if (spec.integrity) writer.AddMessageIntegrity(spec.integrity_key);
  if (spec.fingerprint) writer.AddFingerprint();
  EXPECT_TRUE(writer.ok());
  buffer.resize(writer.size());
  return buffer;
}

class IceLiteAgentTest : public ::testing::Test {
 protected:
  IceLiteAgent::Outcome Handle(const Bytes& datagram, const TransportAddress& source, Clock::time_point now) {
    const auto message = StunMessage::Parse(datagram);
    EXPECT_TRUE(message);
    if (!message) return {};
    response_.fill(0);
    return agent_.HandleStun(*message, source, now, response_);
  }
  IceLiteAgent::Outcome Handle(const RequestSpec& spec, const TransportAddress& source,
                               Clock::time_point now = Clock::time_point{}) {
    return Handle(BuildRequest(spec), source, now);
  }
  std::span<const std::uint8_t> Response(const IceLiteAgent::Outcome& outcome) const {
    return std::span<const std::uint8_t>(response_).first(outcome.response_length);
  }

  IceLiteAgent agent_{std::string(kLocalUfrag), std::string(kLocalPwd)};
  std::array<std::uint8_t, kIceResponseCapacity> response_{};
  Clock::time_point start_ = Clock::time_point{} + seconds(1000);
};

void ExpectBindingSuccess(std::span<const std::uint8_t> bytes, const TransportAddress& mapped,
                          std::string_view password, const StunTransactionId& transaction_id = kTransactionId) {
  const auto response = StunMessage::Parse(bytes);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->message_class(), StunClass::kSuccessResponse);
  EXPECT_EQ(response->method(), kStunBindingMethod);
  EXPECT_TRUE(std::equal(transaction_id.begin(), transaction_id.end(), response->transaction_id().begin()));
  EXPECT_EQ(response->XorMappedAddress(), mapped);
  EXPECT_TRUE(response->CheckMessageIntegrity(password));
  EXPECT_TRUE(response->CheckFingerprint());
}

TEST(IceLiteCredentialsTest, GeneratesRandomIceCharCredentials) {
  std::set<std::string> ufrags;
  for (int i = 0; i < 20; ++i) {
    const IceLiteAgent agent;
    EXPECT_EQ(agent.local_ufrag().size(), 8U);
    EXPECT_EQ(agent.local_pwd().size(), 24U);
    for (const std::string& text : {agent.local_ufrag(), agent.local_pwd()}) {
      for (const char c : text) {
        EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/') << text;
      }
    }
    EXPECT_NE(agent.local_ufrag(), agent.local_pwd().substr(0, 8));
    ufrags.insert(agent.local_ufrag());
  }
  EXPECT_EQ(ufrags.size(), 20U);
}

TEST_F(IceLiteAgentTest, AnswersAnAuthenticatedRequest) {
  const TransportAddress source = Address(10, 50000);
  const auto outcome = Handle(RequestSpec{}, source, start_);
  EXPECT_EQ(outcome.verdict, IceLiteAgent::Verdict::kAnswered);
  ASSERT_GT(outcome.response_length, 0U);
  ExpectBindingSuccess(Response(outcome), source, kLocalPwd);
  EXPECT_TRUE(outcome.selected_changed);  // provisional: the first valid source
  EXPECT_EQ(agent_.selected_address(), source);
  EXPECT_FALSE(agent_.nominated());
  EXPECT_EQ(agent_.bad_credential_count(), 0U);
}

TEST_F(IceLiteAgentTest, MapsAnIpv6Source) {
  const auto outcome = Handle(RequestSpec{}, Ipv6Address(40000));
  ASSERT_EQ(outcome.verdict, IceLiteAgent::Verdict::kAnswered);
  EXPECT_EQ(outcome.response_length, kIceResponseCapacity);  // the largest answer fits exactly
  ExpectBindingSuccess(Response(outcome), Ipv6Address(40000), kLocalPwd);
}

TEST_F(IceLiteAgentTest, AcceptsAnyRemoteUfragUntilItIsKnown) {
  RequestSpec other;
  other.username = std::string(kLocalUfrag) + ":someone";
  EXPECT_EQ(Handle(other, Address(1, 1)).verdict, IceLiteAgent::Verdict::kAnswered);

  agent_.SetRemoteCredentials(std::string(kRemoteUfrag), "remote-password-0123456789");
  EXPECT_EQ(agent_.remote_ufrag(), kRemoteUfrag);
  EXPECT_EQ(Handle(other, Address(1, 1)).verdict, IceLiteAgent::Verdict::kBadCredentials);
  EXPECT_EQ(Handle(RequestSpec{}, Address(1, 1)).verdict, IceLiteAgent::Verdict::kAnswered);

  // An ICE restart by the browser: its new ufrag is the only one accepted.
  agent_.SetRemoteCredentials("new1", "another-remote-password-0");
  EXPECT_EQ(Handle(RequestSpec{}, Address(1, 1)).verdict, IceLiteAgent::Verdict::kBadCredentials);
  RequestSpec restarted;
  restarted.username = std::string(kLocalUfrag) + ":new1";
  EXPECT_EQ(Handle(restarted, Address(1, 1)).verdict, IceLiteAgent::Verdict::kAnswered);
}

TEST_F(IceLiteAgentTest, RenewedCredentialsAnswerOnlyTheNewUsernameAndKeepThePath) {
  agent_.SetRemoteCredentials(std::string(kRemoteUfrag), "remote-password-0123456789");
  RequestSpec nominating;
  nominating.use_candidate = true;
  ASSERT_EQ(Handle(nominating, Address(1, 1), start_).verdict, IceLiteAgent::Verdict::kAnswered);

  agent_.RenewLocalCredentials();
  EXPECT_NE(agent_.local_ufrag(), kLocalUfrag);
  EXPECT_NE(agent_.local_pwd(), kLocalPwd);
  EXPECT_TRUE(agent_.remote_ufrag().empty()) << "the restarting SDP brings the remote ones";
  EXPECT_EQ(agent_.selected_address(), Address(1, 1)) << "media keep their path until a new check";
  EXPECT_FALSE(agent_.ConsentExpired(start_ + seconds(5)));

  EXPECT_EQ(Handle(RequestSpec{}, Address(2, 2), start_).verdict, IceLiteAgent::Verdict::kBadCredentials);
  RequestSpec renewed;
  renewed.username = agent_.local_ufrag() + ":new1";
  renewed.integrity_key = agent_.local_pwd();
  renewed.use_candidate = true;
  const auto outcome = Handle(renewed, Address(2, 2), start_ + seconds(1));
  EXPECT_EQ(outcome.verdict, IceLiteAgent::Verdict::kAnswered);
  ExpectBindingSuccess(Response(outcome), Address(2, 2), agent_.local_pwd());
  EXPECT_TRUE(outcome.selected_changed);
  EXPECT_EQ(agent_.selected_address(), Address(2, 2));
}

TEST_F(IceLiteAgentTest, IgnoresAndCountsBadCredentials) {
  agent_.SetRemoteCredentials(std::string(kRemoteUfrag), "remote-password-0123456789");
  std::vector<RequestSpec> bad(6);
  bad[0].username = "srvB:brws";                     // another agent's ufrag
  bad[1].username = "brws:srvA";                     // the wrong way round
  bad[2].username = std::string(kLocalUfrag);        // no colon
  bad[3].username = "srvAx:brws";                    // a longer ufrag with ours as prefix
  bad[4].integrity_key = "server-password-0123457";  // the wrong password
  bad[5].integrity = false;                          // no MESSAGE-INTEGRITY
  std::uint64_t expected = 0;
  for (const RequestSpec& spec : bad) {
    const auto outcome = Handle(spec, Address(66, 6666));
    EXPECT_EQ(outcome.verdict, IceLiteAgent::Verdict::kBadCredentials) << spec.username;
    EXPECT_EQ(outcome.response_length, 0U);
    EXPECT_FALSE(outcome.selected_changed);
    EXPECT_EQ(agent_.bad_credential_count(), ++expected);
  }
  EXPECT_FALSE(agent_.selected_address());
  EXPECT_EQ(agent_.malformed_count(), 0U);
}

TEST_F(IceLiteAgentTest, IgnoresARequestWithoutUsername) {
  Bytes buffer(128);
  StunWriter writer(buffer, StunClass::kRequest, kStunBindingMethod, kTransactionId);
  writer.AddUint64(stun_attribute::kIceControlling, 1);
  writer.AddMessageIntegrity(kLocalPwd);
  writer.AddFingerprint();
  buffer.resize(writer.size());
  const auto outcome = Handle(buffer, Address(1, 2), start_);
  EXPECT_EQ(outcome.verdict, IceLiteAgent::Verdict::kBadCredentials);
  EXPECT_EQ(outcome.response_length, 0U);
  EXPECT_EQ(agent_.bad_credential_count(), 1U);
}

TEST_F(IceLiteAgentTest, IgnoresAndCountsAMissingOrBadFingerprint) {
  RequestSpec no_fingerprint;
  no_fingerprint.fingerprint = false;
  auto outcome = Handle(no_fingerprint, Address(1, 2));
  EXPECT_EQ(outcome.verdict, IceLiteAgent::Verdict::kMalformed);
  EXPECT_EQ(outcome.response_length, 0U);
  EXPECT_EQ(agent_.malformed_count(), 1U);

  Bytes bad_fingerprint = BuildRequest(RequestSpec{});
  bad_fingerprint.back() ^= 0x01;
  outcome = Handle(bad_fingerprint, Address(1, 2), start_);
  EXPECT_EQ(outcome.verdict, IceLiteAgent::Verdict::kMalformed);
  EXPECT_EQ(outcome.response_length, 0U);
  EXPECT_EQ(agent_.malformed_count(), 2U);
  EXPECT_FALSE(agent_.selected_address());
}

TEST_F(IceLiteAgentTest, LeavesOtherStunMessagesAlone) {
  for (const StunClass message_class :
       {StunClass::kIndication, StunClass::kSuccessResponse, StunClass::kErrorResponse}) {
    RequestSpec spec;
    spec.message_class = message_class;
    const auto outcome = Handle(spec, Address(1, 2));
    EXPECT_EQ(outcome.verdict, IceLiteAgent::Verdict::kNotForUs);
    EXPECT_EQ(outcome.response_length, 0U);
  }
  EXPECT_EQ(agent_.bad_credential_count(), 0U);
  EXPECT_EQ(agent_.malformed_count(), 0U);
  EXPECT_FALSE(agent_.selected_address());
}

TEST_F(IceLiteAgentTest, UseCandidateSwitchesTheSelectedAddress) {
  const TransportAddress first = Address(1, 1000);
  const TransportAddress second = Address(2, 2000);
  const TransportAddress third = Address(3, 3000);
  EXPECT_TRUE(Handle(RequestSpec{}, first).selected_changed);
  EXPECT_EQ(agent_.selected_address(), first);

  // Checks from elsewhere are answered but do not move the selection.
  auto outcome = Handle(RequestSpec{}, second);
  EXPECT_EQ(outcome.verdict, IceLiteAgent::Verdict::kAnswered);
  ExpectBindingSuccess(Response(outcome), second, kLocalPwd);
  EXPECT_FALSE(outcome.selected_changed);
  EXPECT_EQ(agent_.selected_address(), first);

  RequestSpec nominate;
  nominate.use_candidate = true;
  outcome = Handle(nominate, second);
  EXPECT_EQ(outcome.verdict, IceLiteAgent::Verdict::kAnswered);
  EXPECT_TRUE(outcome.selected_changed);
  EXPECT_TRUE(agent_.nominated());
  EXPECT_EQ(agent_.selected_address(), second);

  // The same nomination again changes nothing.
  EXPECT_FALSE(Handle(nominate, second).selected_changed);

  // A later request from another address without USE-CANDIDATE does not switch.
  outcome = Handle(RequestSpec{}, third);
  EXPECT_EQ(outcome.verdict, IceLiteAgent::Verdict::kAnswered);
  EXPECT_FALSE(outcome.selected_changed);
  EXPECT_EQ(agent_.selected_address(), second);

  // A renomination does.
  outcome = Handle(nominate, third);
  EXPECT_TRUE(outcome.selected_changed);
  EXPECT_EQ(agent_.selected_address(), third);
}

TEST_F(IceLiteAgentTest, FirstRequestWithUseCandidateSelectsAtOnce) {
  RequestSpec nominate;
  nominate.use_candidate = true;
  const auto outcome = Handle(nominate, Address(9, 9));
  EXPECT_TRUE(outcome.selected_changed);
  EXPECT_TRUE(agent_.nominated());
  EXPECT_EQ(agent_.selected_address(), Address(9, 9));
}

TEST_F(IceLiteAgentTest, AnswersIceControlledWithRoleConflict) {
  RequestSpec controlled;
  controlled.controlled = true;
  controlled.use_candidate = true;
  const auto outcome = Handle(controlled, Address(1, 1), start_);
  EXPECT_EQ(outcome.verdict, IceLiteAgent::Verdict::kRoleConflict);
  ASSERT_GT(outcome.response_length, 0U);
  const auto response = StunMessage::Parse(Response(outcome));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->message_class(), StunClass::kErrorResponse);
  ASSERT_TRUE(response->ErrorCode());
  EXPECT_EQ(response->ErrorCode()->code, 487);
  EXPECT_TRUE(response->CheckMessageIntegrity(kLocalPwd));
  EXPECT_TRUE(response->CheckFingerprint());
  // Not a check: nothing selected, no consent, not a credential failure.
  EXPECT_FALSE(outcome.selected_changed);
  EXPECT_FALSE(agent_.selected_address());
  EXPECT_FALSE(agent_.nominated());
  EXPECT_EQ(agent_.bad_credential_count(), 0U);

  // Authentication comes first: a bad ICE-CONTROLLED request is only counted.
  controlled.integrity_key = "wrong";
  EXPECT_EQ(Handle(controlled, Address(1, 1)).verdict, IceLiteAgent::Verdict::kBadCredentials);
}

TEST_F(IceLiteAgentTest, ConsentExpiresAfterThirtySecondsOfSilence) {
  EXPECT_FALSE(agent_.ConsentExpired(start_ + seconds(3600)));  // never granted, nothing expires
  const TransportAddress selected = Address(1, 1);
  RequestSpec nominate;
  nominate.use_candidate = true;
  Handle(nominate, selected, start_);
  EXPECT_FALSE(agent_.ConsentExpired(start_));
  EXPECT_FALSE(agent_.ConsentExpired(start_ + seconds(29)));
  EXPECT_TRUE(agent_.ConsentExpired(start_ + seconds(30)));

  // Each valid request from the selected address refreshes it, with or without USE-CANDIDATE.
  Handle(RequestSpec{}, selected, start_ + seconds(20));
  EXPECT_FALSE(agent_.ConsentExpired(start_ + seconds(49)));
  EXPECT_TRUE(agent_.ConsentExpired(start_ + seconds(50)));
  Handle(nominate, selected, start_ + seconds(45));
  EXPECT_FALSE(agent_.ConsentExpired(start_ + seconds(74)));

  // Requests from elsewhere, or bad ones from the selected address, do not.
  Handle(RequestSpec{}, Address(2, 2), start_ + seconds(70));
  RequestSpec bad;
  bad.integrity_key = "wrong";
  Handle(bad, selected, start_ + seconds(70));
  RequestSpec no_fingerprint;
  no_fingerprint.fingerprint = false;
  Handle(no_fingerprint, selected, start_ + seconds(70));
  EXPECT_TRUE(agent_.ConsentExpired(start_ + seconds(75)));

  // Consent comes back with the next valid check.
  Handle(RequestSpec{}, selected, start_ + seconds(80));
  EXPECT_FALSE(agent_.ConsentExpired(start_ + seconds(80) + milliseconds(29999)));
}

TEST_F(IceLiteAgentTest, NominationOfANewAddressCarriesConsent) {
  RequestSpec nominate;
  nominate.use_candidate = true;
  Handle(nominate, Address(1, 1), start_);
  Handle(nominate, Address(2, 2), start_ + seconds(25));
  EXPECT_FALSE(agent_.ConsentExpired(start_ + seconds(54)));
  EXPECT_TRUE(agent_.ConsentExpired(start_ + seconds(55)));
}

TEST_F(IceLiteAgentTest, ResponseBufferTooSmallWritesNothing) {
  std::array<std::uint8_t, 40> small{};
  const Bytes request = BuildRequest(RequestSpec{});
  const auto parsed = StunMessage::Parse(request);
  ASSERT_TRUE(parsed);
  const auto outcome = agent_.HandleStun(*parsed, Address(1, 1), start_, small);
  EXPECT_EQ(outcome.verdict, IceLiteAgent::Verdict::kAnswered);
  EXPECT_EQ(outcome.response_length, 0U);
  EXPECT_EQ(agent_.selected_address(), Address(1, 1));
}

TEST(IceLiteRfc5769Test, AnswersTheSampleRequestUnderItsCredentials) {
  IceLiteAgent agent("evtj", std::string(kSamplePassword));
  const TransportAddress source = Address(1, 32853);
  std::array<std::uint8_t, kIceResponseCapacity> response{};
  const auto request = StunMessage::Parse(kSampleRequest);
  ASSERT_TRUE(request);
  // The vector carries ICE-CONTROLLED: a lite agent answers 487, authenticated.
  const auto outcome = agent.HandleStun(*request, source, Clock::time_point{}, response);
  EXPECT_EQ(outcome.verdict, IceLiteAgent::Verdict::kRoleConflict);
  const auto parsed = StunMessage::Parse(std::span(response).first(outcome.response_length));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->message_class(), StunClass::kErrorResponse);
  EXPECT_TRUE(
      std::equal(request->transaction_id().begin(), request->transaction_id().end(), parsed->transaction_id().begin()));
  ASSERT_TRUE(parsed->ErrorCode());
  EXPECT_EQ(parsed->ErrorCode()->code, 487);
  EXPECT_EQ(parsed->ErrorCode()->reason, "Role Conflict");
  EXPECT_TRUE(parsed->CheckMessageIntegrity(kSamplePassword));
  EXPECT_TRUE(parsed->CheckFingerprint());
  EXPECT_EQ(agent.bad_credential_count(), 0U);
  EXPECT_EQ(agent.malformed_count(), 0U);

  // With the remote ufrag known it still authenticates; under another password it does not.
  agent.SetRemoteCredentials("h6vY", "whatever-the-remote-pwd");
  EXPECT_EQ(agent.HandleStun(*request, source, Clock::time_point{}, response).verdict,
            IceLiteAgent::Verdict::kRoleConflict);
  IceLiteAgent other("evtj", "VOkJxbRl1RmTxUk/WvJxBT");
  EXPECT_EQ(other.HandleStun(*request, source, Clock::time_point{}, response).verdict,
            IceLiteAgent::Verdict::kBadCredentials);
  IceLiteAgent wrong_ufrag("h6vY", std::string(kSamplePassword));
  EXPECT_EQ(wrong_ufrag.HandleStun(*request, source, Clock::time_point{}, response).verdict,
            IceLiteAgent::Verdict::kBadCredentials);

  // The same credentials in a controlling request (what a browser sends) get a success.
  RequestSpec spec;
  spec.username = "evtj:h6vY";
  spec.integrity_key = std::string(kSamplePassword);
  spec.transaction_id = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
  const Bytes controlling = BuildRequest(spec);
  const auto controlling_request = StunMessage::Parse(controlling);
  ASSERT_TRUE(controlling_request);
  const auto answered = agent.HandleStun(*controlling_request, source, Clock::time_point{}, response);
  EXPECT_EQ(answered.verdict, IceLiteAgent::Verdict::kAnswered);
  ExpectBindingSuccess(std::span(response).first(answered.response_length), source, kSamplePassword,
                       spec.transaction_id);
}

TEST(LocalUfragOfTest, ReadsTheLocalPartOfABindingRequestsUsername) {
  const auto sample = StunMessage::Parse(kSampleRequest);
  ASSERT_TRUE(sample);
  EXPECT_EQ(LocalUfragOf(*sample), "evtj");

  RequestSpec spec;
  const Bytes request = BuildRequest(spec);
  EXPECT_EQ(LocalUfragOf(*StunMessage::Parse(request)), kLocalUfrag);

  // Integrity is not checked here.
  spec.integrity = false;
  spec.fingerprint = false;
  const Bytes unchecked = BuildRequest(spec);
  EXPECT_EQ(LocalUfragOf(*StunMessage::Parse(unchecked)), kLocalUfrag);

  spec.username = "nocolon";
  const Bytes no_colon = BuildRequest(spec);
  EXPECT_FALSE(LocalUfragOf(*StunMessage::Parse(no_colon)));
  spec.username = ":brws";
  const Bytes empty_local = BuildRequest(spec);
  EXPECT_FALSE(LocalUfragOf(*StunMessage::Parse(empty_local)));

  spec.username = "srvA:brws";
  spec.message_class = StunClass::kIndication;
  const Bytes indication = BuildRequest(spec);
  EXPECT_FALSE(LocalUfragOf(*StunMessage::Parse(indication)));
}

}  // namespace
}  // namespace egovbox::media
