// ICE over TCP (RFC 6544, RFC 4571) end to end over loopback: a running SFU, a
// browser whose UDP is blocked (fake_tcp_browser.h) and one on UDP
// (fake_browser.h). Checks, DTLS and SRTP over the TCP connection; media from a
// TCP publisher to a UDP subscriber and from a UDP publisher to a TCP
// subscriber; the listener's bounds on what a connection may send.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "crypto/random.h"
#include "fake_browser.h"
#include "fake_tcp_browser.h"
#include "media/rtcp_packet.h"
#include "media/rtp_packet.h"
#include "media/sdp.h"
#include "media/sfu.h"
#include "sfu_fixture.h"

namespace egovbox::media {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using test::Bytes;
using test::FakeBrowser;
using test::FakeTcpBrowser;
using test::Metric;

constexpr auto kWait = std::chrono::seconds(2);
constexpr std::uint8_t kOpus = 111;
constexpr std::uint8_t kVp8 = 96;

Bytes AudioPacket(std::uint32_t ssrc, std::uint16_t index) {
  constexpr std::uint32_t kTicksPer20Ms = 960;
  return test::MakeRtpPacket(kOpus, false, static_cast<std::uint16_t>(100 + index), 5000 + index * kTicksPer20Ms, ssrc,
                             Bytes(40, static_cast<std::uint8_t>(index)));
}

// A VP8 key frame in one packet (RFC 7741 §4.2, §4.3): S bit, P bit 0, start code.
Bytes KeyFramePacket(std::uint32_t ssrc, std::uint16_t sequence_number) {
  Bytes payload = {0x10, 0x00, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00};
  payload.resize(900, 0x5A);
  return test::MakeRtpPacket(kVp8, true, sequence_number, 90000, ssrc, payload);
}

// The candidates of the first m-section of `sdp`.
std::vector<SdpCandidate> CandidatesOf(std::string_view sdp) {
  std::vector<SdpCandidate> candidates;
  const auto description = test::ParseOrFail(sdp);
  if (!description || description->media.empty()) return candidates;
  for (const std::string_view line : description->media.front().FindAll("candidate")) {
    if (auto candidate = ParseCandidate(line)) candidates.push_back(std::move(*candidate));
  }
  return candidates;
}

class SfuTcpTest : public test::SfuLoopbackFixture {
 protected:
  std::uint16_t port() const { return sfu_->ports().at(0); }

  // Joins `id` and publishes the captured offer under `identity`; the SFU's answer.
  std::string Publish(const std::string& id, const test::IceDtlsIdentity& identity) {
    sfu_->Join("r", id, {{"name", id}});
    observer_.WaitFor(id, "media.joined");
    sfu_->HandleMessage(id, test::PublishMessage(test::WithIdentity(offer_, identity)));
    return observer_.WaitFor(id, "media.publish.answer").value("sdp", "");
  }

  // Joins `id`, publishes under `browser`'s identity and connects, checks and
  // handshakes over TCP to the SFU's candidate.
  bool PublishOverTcp(const std::string& id, FakeTcpBrowser& browser) {
    const auto server = test::ServerTransportOf(Publish(id, browser.identity()));
    return server && browser.Connect(*server, port()) && browser.Check() && browser.Handshake();
  }

  // `id` (already joined) answers its subscribe offer under `identity`; the offer.
  json Subscribe(const std::string& id, const test::IceDtlsIdentity& identity) {
    json offer = observer_.WaitFor(id, "media.subscribe.offer");
    const std::string sdp = offer.value("sdp", "");
    sfu_->HandleMessage(id, test::SubscribeAnswerMessage(offer, test::SubscribeAnswerFor(sdp, identity)));
    return offer;
  }

  std::string Metrics() const { return sfu_->RenderMetrics(); }

  // The worker publishes nothing for TCP counts per loop: polls until `name` reads `value`.
  bool MetricBecomes(const std::string& name, std::uint64_t value) {
    const auto deadline = test::Clock::now() + kWait;
    while (test::Clock::now() < deadline) {
      if (Metric(Metrics(), name) == value) return true;
      std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
  }
};

TEST_F(SfuTcpTest, OffersAPassiveTcpCandidateBesideEachUdpOneRankedBelow) {
  FakeBrowser a("A");
  ASSERT_TRUE(a.ok());
  const auto candidates = CandidatesOf(Publish("pA", a.identity()));
  ASSERT_EQ(candidates.size(), 2U);
  const SdpCandidate& udp = candidates[0];
  const SdpCandidate& tcp = candidates[1];
  EXPECT_EQ(udp.transport, "udp");
  EXPECT_EQ(tcp.transport, "tcp");
  EXPECT_EQ(tcp.extensions, "tcptype passive");  // RFC 6544 §4.5
  EXPECT_EQ(tcp.type, "host");
  EXPECT_EQ(tcp.address, udp.address);
  EXPECT_EQ(tcp.port, udp.port);
  EXPECT_EQ(tcp.port, port());
  EXPECT_NE(tcp.foundation, udp.foundation);
  EXPECT_LT(tcp.priority, udp.priority) << "a browser that has UDP must prefer it";

  // The subscribe offer carries the same pair.
  sfu_->Join("r", "pB", {{"name", "pB"}});
  const json offer = observer_.WaitFor("pB", "media.subscribe.offer");
  const auto offered = CandidatesOf(offer.value("sdp", ""));
  ASSERT_EQ(offered.size(), 2U);
  EXPECT_EQ(offered[1].transport, "tcp");
  EXPECT_EQ(offered[1].extensions, "tcptype passive");
}

TEST_F(SfuTcpTest, ForwardsFromATcpPublisherToAUdpSubscriberAndFeedbackBack) {
  FakeTcpBrowser a("A");
  ASSERT_TRUE(PublishOverTcp("pA", a));
  EXPECT_TRUE(MetricBecomes("egovbox_media_tcp_connections", 1));

  FakeBrowser b("B");
  ASSERT_TRUE(b.ok());
  sfu_->Join("r", "pB", {{"name", "pB"}});
  observer_.WaitFor("pB", "media.joined");
  ASSERT_TRUE(test::ConnectToSfu(b, Subscribe("pB", b.identity()).value("sdp", "")));

  // B's video starting makes the SFU ask A for a keyframe: RTCP into the TCP connection.
  const std::uint32_t a_video = ssrcs_.at("1");
  const auto plis_for_a = [&] {
    std::size_t count = 0;
    for (Bytes& datagram : a.rtcp()) {
      const auto compound = RtcpCompound::Parse(datagram);
      if (!compound) continue;
      for (const RtcpPacketView packet : *compound) {
        const auto pli = RtcpPli::Parse(packet);
        if (pli && pli->media_ssrc() == a_video) ++count;
      }
    }
    return count;
  };
  ASSERT_TRUE(a.ReceiveUntil([&] { return plis_for_a() >= 1; }, kWait)) << "no PLI over TCP";

  // A's audio and a key frame (SRTP over TCP) reach B over UDP, in order.
  constexpr std::uint16_t kAudioPackets = 20;
  for (std::uint16_t i = 0; i < kAudioPackets; ++i) a.SendRtp(AudioPacket(ssrcs_.at("0"), i));
  a.SendRtp(KeyFramePacket(a_video, 7000));
  const std::size_t expected = kAudioPackets + 1;
  ASSERT_TRUE(b.ReceiveUntil([&] { return b.rtp().size() >= expected; }, kWait))
      << "B received " << b.rtp().size() << " of " << expected;
  EXPECT_EQ(b.unprotect_failures(), 0U);
  std::optional<std::uint16_t> first_audio;
  std::size_t audio = 0;
  for (Bytes& datagram : b.rtp()) {
    const auto packet = RtpPacket::Parse(datagram);
    ASSERT_TRUE(packet);
    if (packet->payload_type() != kOpus) continue;
    if (!first_audio) first_audio = packet->sequence_number();
    EXPECT_EQ(packet->sequence_number(), static_cast<std::uint16_t>(*first_audio + audio));
    EXPECT_EQ(packet->payload()[0], static_cast<std::uint8_t>(audio));
    ++audio;
  }
  EXPECT_EQ(audio, kAudioPackets);

  const std::string metrics = Metrics();
  EXPECT_GE(Metric(metrics, "egovbox_media_tcp_frames_received_total"), expected + 2);  // + check, DTLS
  EXPECT_GE(Metric(metrics, "egovbox_media_tcp_frames_sent_total"), 3U);                // answer, DTLS, PLI
  EXPECT_EQ(Metric(metrics, "egovbox_media_tcp_dropped_backpressure_total"), 0U);
  EXPECT_EQ(Metric(metrics, "egovbox_media_rtp_forwarded_total"), expected);
}

TEST_F(SfuTcpTest, ForwardsFromAUdpPublisherToATcpSubscriber) {
  FakeBrowser a("A");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(test::ConnectToSfu(a, Publish("pA", a.identity())));

  FakeTcpBrowser b("B");
  sfu_->Join("r", "pB", {{"name", "pB"}});
  observer_.WaitFor("pB", "media.joined");
  const json offer = Subscribe("pB", b.identity());
  const auto server_b = test::ServerTransportOf(offer.value("sdp", ""));
  ASSERT_TRUE(server_b);
  ASSERT_TRUE(b.Connect(*server_b, port()));
  ASSERT_TRUE(b.Check());
  ASSERT_TRUE(b.Handshake());

  constexpr std::uint16_t kAudioPackets = 50;
  for (std::uint16_t i = 0; i < kAudioPackets; ++i) a.SendRtp(AudioPacket(ssrcs_.at("0"), i));
  a.SendRtp(KeyFramePacket(ssrcs_.at("1"), 9000));
  ASSERT_TRUE(b.ReceiveUntil([&] { return b.rtp().size() >= kAudioPackets + 1; }, kWait))
      << "B received " << b.rtp().size() << " over TCP";
  EXPECT_EQ(b.unprotect_failures(), 0U);
  std::size_t audio = 0;
  for (Bytes& datagram : b.rtp()) {
    const auto packet = RtpPacket::Parse(datagram);
    ASSERT_TRUE(packet);
    if (packet->payload_type() != kOpus) continue;
    EXPECT_EQ(packet->payload()[0], static_cast<std::uint8_t>(audio));
    ++audio;
  }
  EXPECT_EQ(audio, kAudioPackets);
  EXPECT_EQ(Metric(Metrics(), "egovbox_media_tcp_dropped_backpressure_total"), 0U);

  // B's PLI for its video, over TCP, reaches A over UDP as a PLI for A's camera.
  std::string video_mid;
  for (const json& track : offer["tracks"]) {
    if (track.value("kind", "") == "video") video_mid = track.value("mid", "");
  }
  const auto subscribed = test::SsrcsByMid(offer.value("sdp", ""));
  ASSERT_TRUE(subscribed.contains(video_mid));
  std::this_thread::sleep_for(milliseconds(550));  // past the throttle of the SFU's own request
  a.ReceiveFor(milliseconds(10));
  a.rtcp().clear();
  Bytes pli(64);
  pli.resize(WritePli(pli, 0x5EED, subscribed.at(video_mid)));
  b.SendRtcp(pli);
  const auto pli_reached_a = [&] {
    for (Bytes& datagram : a.rtcp()) {
      const auto compound = RtcpCompound::Parse(datagram);
      if (!compound) continue;
      for (const RtcpPacketView packet : *compound) {
        const auto parsed = RtcpPli::Parse(packet);
        if (parsed && parsed->media_ssrc() == ssrcs_.at("1")) return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(a.ReceiveUntil(pli_reached_a, kWait)) << "B's PLI over TCP did not reach A";

  // The subscriber leaves its TCP connection: the SFU forgets it, and forwards
  // (protects, queues) nothing more to it, though B's consent has not expired.
  b.Close();
  EXPECT_TRUE(MetricBecomes("egovbox_media_tcp_connections", 0));
  const std::uint64_t forwarded = Metric(Metrics(), "egovbox_media_rtp_forwarded_total");
  for (std::uint16_t i = 0; i < 10; ++i) a.SendRtp(AudioPacket(ssrcs_.at("0"), kAudioPackets + i));
  EXPECT_FALSE(MetricBecomes("egovbox_media_rtp_forwarded_total", forwarded + 10));
  EXPECT_EQ(Metric(Metrics(), "egovbox_media_rtp_forwarded_total"), forwarded);
  EXPECT_EQ(Metric(Metrics(), "egovbox_media_tcp_dropped_closed_total"), 0U);
}

TEST_F(SfuTcpTest, ClosesTheTcpConnectionOfAParticipantWhoLeaves) {
  FakeTcpBrowser a("A");
  ASSERT_TRUE(PublishOverTcp("pA", a));
  ASSERT_TRUE(MetricBecomes("egovbox_media_tcp_connections", 1));
  // Removed (or left): its slot is freed at once, not when the tablet sends FIN.
  sfu_->Leave("pA", "removed");
  EXPECT_TRUE(a.ReceiveUntil([&] { return a.closed_by_server(); }, kWait)) << "the connection stayed open";
  EXPECT_TRUE(MetricBecomes("egovbox_media_tcp_connections", 0));
}

TEST_F(SfuTcpTest, ReassemblesSplitFramesAndAnswersSeveralChecksInOneWrite) {
  FakeTcpBrowser a("A");
  const auto server = test::ServerTransportOf(Publish("pA", a.identity()));
  ASSERT_TRUE(server);
  ASSERT_TRUE(a.Connect(*server, port()));

  // One check written a byte at a time.
  StunTransactionId first{};
  first.fill(0x11);
  const Bytes framed = FakeTcpBrowser::Frame(a.BindingRequest(true, first));
  for (const std::uint8_t byte : framed) {
    a.SendRaw(std::span(&byte, 1));
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ASSERT_TRUE(a.ReceiveUntil([&] { return a.frames_received() >= 1; }, kWait)) << "a split check went unanswered";

  // Three checks in one write, answered in order.
  Bytes three;
  for (std::uint8_t i = 0; i < 3; ++i) {
    StunTransactionId id{};
    id.fill(static_cast<std::uint8_t>(0x20 + i));
    const Bytes one = FakeTcpBrowser::Frame(a.BindingRequest(false, id));
    three.insert(three.end(), one.begin(), one.end());
  }
  a.SendRaw(three);
  ASSERT_TRUE(a.ReceiveUntil([&] { return a.frames_received() >= 4; }, kWait));
  EXPECT_EQ(Metric(Metrics(), "egovbox_media_stun_answered_total"), 4U);
  EXPECT_TRUE(a.connected());
}

TEST_F(SfuTcpTest, ClosesAConnectionThatBreaksTheRules) {
  FakeBrowser owner("A");
  ASSERT_TRUE(owner.ok());
  const auto server = test::ServerTransportOf(Publish("pA", owner.identity()));
  ASSERT_TRUE(server);

  // A first frame that is not STUN (RFC 6544: a connection starts with a check).
  FakeTcpBrowser not_stun("X");
  ASSERT_TRUE(not_stun.Connect(*server, port()));
  not_stun.Send(test::MakeRtpPacket(kOpus, false, 1, 1, 1, Bytes(20, 0)));
  EXPECT_TRUE(not_stun.ReceiveUntil([&] { return not_stun.closed_by_server(); }, kWait));

  // A frame longer than any datagram we take.
  FakeTcpBrowser oversized("Y");
  ASSERT_TRUE(oversized.Connect(*server, port()));
  oversized.SendRaw(Bytes{0x06, 0x00});  // 1536 bytes announced
  oversized.SendRaw(Bytes(1536, 0x01));
  EXPECT_TRUE(oversized.ReceiveUntil([&] { return oversized.closed_by_server(); }, kWait));

  // A check the SFU cannot authenticate gets no answer (the connection is closed
  // 10 s later if nothing valid comes).
  FakeTcpBrowser stranger("Z");
  ASSERT_TRUE(stranger.Connect(*server, port()));
  StunTransactionId id{};
  id.fill(0x33);
  stranger.Send(stranger.BindingRequest(true, id));  // Z's ufrag is not in A's SDP
  EXPECT_FALSE(stranger.ReceiveUntil([&] { return stranger.frames_received() > 0; }, milliseconds(300)));

  const std::string metrics = Metrics();
  EXPECT_EQ(Metric(metrics, "egovbox_media_tcp_closed_invalid_total"), 2U);
  EXPECT_EQ(Metric(metrics, "egovbox_media_stun_answered_total"), 0U);
  EXPECT_EQ(Metric(metrics, "egovbox_media_tcp_connections"), 1U);  // the stranger, for now
}

}  // namespace
}  // namespace egovbox::media
