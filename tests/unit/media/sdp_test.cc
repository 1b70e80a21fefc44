#include "media/sdp.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "media/captured_sdp.h"

namespace egovbox::media {
namespace {

using test::ReadSdpFile;

const std::vector<std::string_view> kCapturedFiles = {
    "publish_audio_video.offer.sdp", "publish_with_screen.offer.sdp",  "publish_screen_removed.offer.sdp",
    "publish_simulcast.offer.sdp",   "publish_data_channel.offer.sdp", "subscribe.offer.sdp",
    "subscribe.answer.sdp"};

SessionDescription Parsed(std::string_view text) {
  auto result = ParseSdp(text);
  if (const auto* error = std::get_if<SdpParseError>(&result)) {
    ADD_FAILURE() << "line " << error->line << ": " << error->reason;
    return {};
  }
  return std::get<SessionDescription>(std::move(result));
}

std::string ParseError(std::string_view text) {
  const auto result = ParseSdp(text);
  const auto* error = std::get_if<SdpParseError>(&result);
  return error == nullptr ? std::string("parsed") : error->reason;
}

constexpr std::string_view kMinimal = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";

TEST(SdpTest, ParsesChromiumOfferIntoSessionAndSections) {
  const std::string text = ReadSdpFile("publish_audio_video.offer.sdp");
  ASSERT_FALSE(text.empty()) << "tests/data/sdp/publish_audio_video.offer.sdp";
  const SessionDescription description = Parsed(text);
  EXPECT_EQ(description.session.FindLine('v'), "0");
  EXPECT_EQ(description.session.FindLine('t'), "0 0");
  EXPECT_TRUE(description.session.Has("extmap-allow-mixed"));
  ASSERT_EQ(description.media.size(), 2U);

  const SdpMediaSection& audio = description.media[0];
  EXPECT_EQ(audio.media, "audio");
  EXPECT_EQ(audio.proto, "UDP/TLS/RTP/SAVPF");
  ASSERT_FALSE(audio.formats.empty());
  EXPECT_EQ(audio.formats.front(), "111");
  EXPECT_EQ(audio.Find("mid"), "0");
  EXPECT_EQ(audio.Find("setup"), "actpass");
  EXPECT_EQ(audio.Find("rtcp-mux"), "");  // a property: present, no value
  EXPECT_FALSE(audio.Has("rid"));
  EXPECT_EQ(FindDirection(audio), SdpDirection::kSendOnly);
  EXPECT_FALSE(audio.FindAll("candidate").empty());

  const SdpMediaSection& video = description.media[1];
  EXPECT_EQ(video.media, "video");
  EXPECT_EQ(video.Find("mid"), "1");
  EXPECT_GT(video.FindAll("rtpmap").size(), 5U);
}

TEST(SdpTest, WritesEveryCapturedDescriptionBackByteForByte) {
  for (const std::string_view name : kCapturedFiles) {
    const std::string text = ReadSdpFile(name);
    ASSERT_FALSE(text.empty()) << name;
    EXPECT_EQ(WriteSdp(Parsed(text)), text) << name;
  }
}

TEST(SdpTest, ParseWriteParseGivesTheSameDescription) {
  const std::string text =
      "v=0\no=- 7 2 IN IP4 127.0.0.1\ns=-\nt=0 0\na=group:BUNDLE a b\n"
      "m=audio  9 UDP/TLS/RTP/SAVPF  111 0 \nc=IN IP4 0.0.0.0\na=mid:a\na=rtcp-mux\na=empty:\n"
      "m=video 9/2 RTP/AVP 96\nb=AS:500\na=mid:b";
  const SessionDescription first = Parsed(text);
  const std::string written = WriteSdp(first);
  EXPECT_EQ(Parsed(written), first);
  EXPECT_NE(written.find("m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\n"), std::string::npos);
  EXPECT_NE(written.find("m=video 9/2 RTP/AVP 96\r\nb=AS:500\r\n"), std::string::npos);
  EXPECT_NE(written.find("a=empty:\r\n"), std::string::npos);
  EXPECT_NE(written.find("a=rtcp-mux\r\n"), std::string::npos);
  ASSERT_EQ(first.media.size(), 2U);
  EXPECT_EQ(first.media[1].port, 9);
  EXPECT_EQ(first.media[1].port_count, 2);
  EXPECT_EQ(first.media[1].FindLine('b'), "AS:500");
}

TEST(SdpTest, BuildsAndWritesADescription) {
  SessionDescription description;
  description.session.AddLine('v', "0");
  description.session.AddLine('o', "- 1 2 IN IP4 0.0.0.0");
  description.session.AddLine('s', "-");
  description.session.AddLine('t', "0 0");
  description.session.AddProperty("ice-lite");
  SdpMediaSection section;
  section.media = "audio";
  section.port = 9;
  section.proto = "UDP/TLS/RTP/SAVPF";
  section.formats = {"111"};
  section.AddAttribute("mid", "0");
  description.media.push_back(section);
  EXPECT_EQ(WriteSdp(description),
            "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-lite\r\n"
            "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n");
}

TEST(SdpTest, TakesBareLineFeedsEmptyLinesAndNoFinalNewline) {
  const SessionDescription description = Parsed("v=0\no=- 1 1 IN IP4 0.0.0.0\n\ns=-\r\nt=0 0\n\na=ice-lite");
  EXPECT_TRUE(description.session.Has("ice-lite"));
  EXPECT_EQ(description.session.lines.size(), 5U);
}

TEST(SdpTest, RejectsWhatIsNotSdp) {
  EXPECT_EQ(ParseError(""), "empty");
  EXPECT_EQ(ParseError("\r\n\r\n"), "empty");
  EXPECT_EQ(ParseError("hello"), "not a <type>=<value> line");
  EXPECT_EQ(ParseError("v=1\r\n"), "does not start with v=0");
  EXPECT_EQ(ParseError("o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n"), "does not start with v=0");
  EXPECT_EQ(ParseError("v=0\r\ns=-\r\nt=0 0\r\n"), "no o= line in the session part");
  EXPECT_EQ(ParseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nt=0 0\r\n"), "no s= line in the session part");
  EXPECT_EQ(ParseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n"), "no t= line in the session part");
  const std::string minimal(kMinimal);
  EXPECT_EQ(ParseError(minimal), "parsed");
  EXPECT_EQ(ParseError(minimal + "A=x\r\n"), "not a <type>=<value> line");
  EXPECT_EQ(ParseError(minimal + "a x\r\n"), "not a <type>=<value> line");
  EXPECT_EQ(ParseError(minimal + std::string("a=x\0y\r\n", 7)), "NUL or CR inside a line");
  EXPECT_EQ(ParseError(minimal + "a=x\ry\r\n"), "NUL or CR inside a line");
  EXPECT_EQ(ParseError(minimal + "a=:value\r\n"), "malformed attribute name");
  EXPECT_EQ(ParseError(minimal + "a=bad name:value\r\n"), "malformed attribute name");
}

TEST(SdpTest, RejectsMalformedMediaLines) {
  const std::string minimal(kMinimal);
  for (const std::string_view line : {"m=audio 9 UDP/TLS/RTP/SAVPF", "m=audio 65536 RTP/AVP 0", "m=audio x RTP/AVP 0",
                                      "m=audio 9/0 RTP/AVP 0", "m=audio -9 RTP/AVP 0", "m= 9 RTP/AVP 0", "m="}) {
    EXPECT_EQ(ParseError(minimal + std::string(line) + "\r\n"), "malformed m= line") << line;
  }
  EXPECT_EQ(ParseError(minimal + "m=audio 65535 RTP/AVP 0\r\n"), "parsed");
}

TEST(SdpTest, BoundsSizes) {
  const std::string minimal(kMinimal);
  const std::string long_value(kMaxSdpLineSize - 2, 'x');
  EXPECT_EQ(ParseError(minimal + "i=" + long_value + "\r\n"), "parsed");
  EXPECT_EQ(ParseError(minimal + "i=" + long_value + "x\r\n"), "line longer than 4 KiB");

  std::string sections = minimal;
  for (std::size_t index = 0; index < kMaxSdpMediaSections; ++index) sections += "m=audio 9 RTP/AVP 0\r\n";
  EXPECT_EQ(ParseError(sections), "parsed");
  EXPECT_EQ(ParseError(sections + "m=audio 9 RTP/AVP 0\r\n"), "over 64 m-sections");

  std::string big = minimal;
  while (big.size() <= kMaxSdpSize) big += "a=padding:" + std::string(100, 'p') + "\r\n";
  EXPECT_EQ(ParseError(big), "larger than 64 KiB");
}

TEST(SdpTest, ReadsRtpMapAndFmtp) {
  EXPECT_EQ(ParseRtpMap("111 opus/48000/2"), (SdpRtpMap{111, "opus", 48000, 2}));
  EXPECT_EQ(ParseRtpMap("96 VP8/90000"), (SdpRtpMap{96, "VP8", 90000, 0}));
  EXPECT_EQ(FormatRtpMap(SdpRtpMap{111, "opus", 48000, 2}), "111 opus/48000/2");
  EXPECT_EQ(FormatRtpMap(SdpRtpMap{96, "VP8", 90000, 0}), "96 VP8/90000");
  for (const std::string_view bad : {"128 opus/48000", "111 opus", "111 /48000", "111 opus/0", "111 opus/48000/0",
                                     "x opus/48000", "111 opus/48000/2 extra", ""}) {
    EXPECT_FALSE(ParseRtpMap(bad)) << bad;
  }

  EXPECT_EQ(ParseFmtp("111 minptime=10;useinbandfec=1"), (SdpFmtp{111, "minptime=10;useinbandfec=1"}));
  EXPECT_FALSE(ParseFmtp("111"));
  EXPECT_FALSE(ParseFmtp("abc x=1"));
  const auto parameters = SplitFmtpParameters(" minptime=10; useinbandfec = 1;;flag");
  ASSERT_EQ(parameters.size(), 3U);
  EXPECT_EQ(parameters[0], (std::pair<std::string, std::string>{"minptime", "10"}));
  EXPECT_EQ(parameters[1], (std::pair<std::string, std::string>{"useinbandfec", "1"}));
  EXPECT_EQ(parameters[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(JoinFmtpParameters(parameters), "minptime=10;useinbandfec=1;flag");
}

TEST(SdpTest, ReadsRtcpFbAndDirection) {
  EXPECT_EQ(ParseRtcpFb("96 nack pli"), (SdpRtcpFb{96, "nack pli"}));
  EXPECT_EQ(ParseRtcpFb("* ccm fir"), (SdpRtcpFb{std::nullopt, "ccm fir"}));
  EXPECT_EQ(FormatRtcpFb(SdpRtcpFb{std::nullopt, "nack"}), "* nack");
  EXPECT_FALSE(ParseRtcpFb("96"));
  EXPECT_FALSE(ParseRtcpFb("200 nack"));

  SdpLines lines;
  EXPECT_EQ(FindDirection(lines), std::nullopt);
  lines.AddProperty("sendrecv");
  lines.AddAttribute("inactive", "not a direction");  // has a value: not the property
  EXPECT_EQ(FindDirection(lines), SdpDirection::kSendRecv);
  lines.AddProperty("recvonly");
  EXPECT_EQ(FindDirection(lines), SdpDirection::kRecvOnly);
  for (const auto direction :
       {SdpDirection::kSendRecv, SdpDirection::kSendOnly, SdpDirection::kRecvOnly, SdpDirection::kInactive}) {
    EXPECT_EQ(SdpDirectionFromName(SdpDirectionName(direction)), direction);
  }
}

TEST(SdpTest, ReadsExtmap) {
  EXPECT_EQ(ParseExtmap("1 urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
            (SdpExtmap{1, std::nullopt, "urn:ietf:params:rtp-hdrext:ssrc-audio-level", ""}));
  const SdpExtmap with_direction{7, SdpDirection::kSendOnly, "urn:x", "vad=on"};
  EXPECT_EQ(ParseExtmap("7/sendonly urn:x vad=on"), with_direction);
  EXPECT_EQ(FormatExtmap(with_direction), "7/sendonly urn:x vad=on");
  EXPECT_TRUE(ParseExtmap("255 urn:x"));
  EXPECT_TRUE(ParseExtmap("4096 urn:x"));
  for (const std::string_view bad : {"0 urn:x", "256 urn:x", "4352 urn:x", "1/sideways urn:x", "1", "x urn:x"}) {
    EXPECT_FALSE(ParseExtmap(bad)) << bad;
  }
}

TEST(SdpTest, ReadsSsrcGroupsAndMsid) {
  EXPECT_EQ(ParseSsrc("522465274 cname:cn/jOZRh+Y3q7Ot6"), (SdpSsrc{522465274, "cname", "cn/jOZRh+Y3q7Ot6"}));
  EXPECT_EQ(ParseSsrc("1 msid:stream track"), (SdpSsrc{1, "msid", "stream track"}));
  EXPECT_EQ(ParseSsrc("4294967295 x-flag"), (SdpSsrc{4294967295U, "x-flag", ""}));
  EXPECT_EQ(FormatSsrc(SdpSsrc{1, "msid", "stream track"}), "1 msid:stream track");
  EXPECT_FALSE(ParseSsrc("4294967296 cname:x"));
  EXPECT_FALSE(ParseSsrc("1"));

  EXPECT_EQ(ParseSsrcGroup("FID 1 2"), (SdpSsrcGroup{"FID", {1, 2}}));
  EXPECT_FALSE(ParseSsrcGroup("FID"));
  EXPECT_FALSE(ParseSsrcGroup("FID 1 x"));

  EXPECT_EQ(ParseMsid("stream track"), (SdpMsid{"stream", "track"}));
  EXPECT_EQ(ParseMsid("stream"), (SdpMsid{"stream", ""}));
  EXPECT_EQ(FormatMsid(SdpMsid{"stream", "track"}), "stream track");
  EXPECT_FALSE(ParseMsid("a b c"));
  EXPECT_FALSE(ParseMsid(""));
}

TEST(SdpTest, ReadsGroupsAndFindsBundle) {
  EXPECT_EQ(ParseGroup("BUNDLE 0 1 2"), (SdpGroup{"BUNDLE", {"0", "1", "2"}}));
  EXPECT_EQ(ParseGroup("BUNDLE"), (SdpGroup{"BUNDLE", {}}));
  EXPECT_EQ(FormatGroup(SdpGroup{"BUNDLE", {"a", "b"}}), "BUNDLE a b");
  EXPECT_FALSE(ParseGroup(""));

  SessionDescription description = Parsed(std::string(kMinimal) + "a=group:LS 0 1\r\na=group:BUNDLE 1\r\n");
  EXPECT_EQ(FindBundleGroup(description), (SdpGroup{"BUNDLE", {"1"}}));
  description = Parsed(std::string(kMinimal) + "a=group:LS 0 1\r\n");
  EXPECT_EQ(FindBundleGroup(description), std::nullopt);
}

TEST(SdpTest, ReadsSetupFingerprintAndIceCredentials) {
  EXPECT_EQ(ParseSetup("actpass"), SdpSetup::kActpass);
  EXPECT_EQ(ParseSetup("active"), SdpSetup::kActive);
  EXPECT_EQ(ParseSetup("passive"), SdpSetup::kPassive);
  EXPECT_EQ(ParseSetup("holdconn"), SdpSetup::kHoldconn);
  EXPECT_EQ(ParseSetup("Active"), std::nullopt);
  EXPECT_EQ(SdpSetupName(SdpSetup::kPassive), "passive");

  const std::string sha256 =
      "77:1e:28:89:1A:B7:51:DB:86:10:66:2F:FA:32:65:B6:99:8A:A5:BE:A7:F5:FC:AF:8F:FA:DE:A3:2A:D2:75:6D";
  const auto fingerprint = ParseFingerprint("SHA-256 " + sha256);
  ASSERT_TRUE(fingerprint);
  EXPECT_EQ(fingerprint->hash_function, "sha-256");
  EXPECT_EQ(fingerprint->value,
            "77:1E:28:89:1A:B7:51:DB:86:10:66:2F:FA:32:65:B6:99:8A:A5:BE:A7:F5:FC:AF:8F:FA:DE:A3:2A:D2:75:6D");
  EXPECT_FALSE(ParseFingerprint("sha-256 " + sha256.substr(3)));  // 31 bytes
  EXPECT_FALSE(ParseFingerprint("sha-256 " + sha256 + ":00"));    // 33 bytes
  EXPECT_FALSE(ParseFingerprint("sha-256 7G" + sha256.substr(2)));
  EXPECT_FALSE(ParseFingerprint("sha-256 77-1E"));
  EXPECT_FALSE(ParseFingerprint("sha-256"));
  EXPECT_TRUE(ParseFingerprint("sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33"));

  EXPECT_TRUE(IsValidIceUfrag("Ulh3"));
  EXPECT_FALSE(IsValidIceUfrag("Ulh"));
  EXPECT_FALSE(IsValidIceUfrag("Ul h3"));
  EXPECT_TRUE(IsValidIcePwd("aFTNkMFONApWuljxpyNWNDIi"));
  EXPECT_TRUE(IsValidIcePwd("+/aaaaaaaaaaaaaaaaaaaa"));
  EXPECT_FALSE(IsValidIcePwd("aFTNkMFONApWuljxpyNWN"));     // 21 characters
  EXPECT_FALSE(IsValidIcePwd("aFTNkMFONApWuljxpyNWNDI="));  // '=' is no ice-char
  EXPECT_FALSE(IsValidIcePwd(std::string(257, 'a')));
}

TEST(SdpTest, ReadsAndWritesCandidates) {
  const auto candidate =
      ParseCandidate("759223927 1 udp 2122260223 127.0.0.1 33450 typ host generation 0 network-id 1 network-cost 50");
  ASSERT_TRUE(candidate);
  EXPECT_EQ(candidate->foundation, "759223927");
  EXPECT_EQ(candidate->component, 1);
  EXPECT_EQ(candidate->transport, "udp");
  EXPECT_EQ(candidate->priority, 2122260223U);
  EXPECT_EQ(candidate->address, "127.0.0.1");
  EXPECT_EQ(candidate->port, 33450);
  EXPECT_EQ(candidate->type, "host");
  EXPECT_EQ(candidate->extensions, "generation 0 network-id 1 network-cost 50");
  EXPECT_EQ(ParseCandidate(FormatCandidate(*candidate)), candidate);

  const SdpCandidate ours{"1", 1, "udp", 2130706431, "2001:db8::1", 8443, "host", ""};
  EXPECT_EQ(FormatCandidate(ours), "1 1 udp 2130706431 2001:db8::1 8443 typ host");
  EXPECT_EQ(ParseCandidate(FormatCandidate(ours)), ours);
  for (const std::string_view bad :
       {"1 1 udp 1 127.0.0.1 9 host", "1 0 udp 1 127.0.0.1 9 typ host", "1 1 udp 1 127.0.0.1 70000 typ host",
        "1 1 udp 1 127.0.0.1 9 typ", "f=x 1 udp 1 a 9 typ host"}) {
    EXPECT_FALSE(ParseCandidate(bad)) << bad;
  }
}

TEST(SdpTest, ReadsRidAndSimulcast) {
  EXPECT_EQ(ParseRid("q send"), (SdpRid{"q", true, ""}));
  EXPECT_EQ(ParseRid("hi-1 recv max-width=1280;max-height=720"),
            (SdpRid{"hi-1", false, "max-width=1280;max-height=720"}));
  EXPECT_FALSE(ParseRid("q sideways"));
  EXPECT_FALSE(ParseRid("q.1 send"));

  const auto simple = ParseSimulcast("send q;h;f");
  ASSERT_TRUE(simple);
  ASSERT_EQ(simple->send.size(), 3U);
  EXPECT_EQ(simple->send[0], (std::vector<SdpSimulcastRid>{{"q", false}}));
  EXPECT_EQ(simple->send[2], (std::vector<SdpSimulcastRid>{{"f", false}}));
  EXPECT_TRUE(simple->recv.empty());

  const auto rich = ParseSimulcast("recv 1,~2;3 send 4");
  ASSERT_TRUE(rich);
  ASSERT_EQ(rich->recv.size(), 2U);
  EXPECT_EQ(rich->recv[0], (std::vector<SdpSimulcastRid>{{"1", false}, {"2", true}}));
  EXPECT_EQ(rich->send, (std::vector<std::vector<SdpSimulcastRid>>{{{"4", false}}}));
  for (const std::string_view bad : {"", "send", "send q;;f", "send q send h", "both q", "send q,"}) {
    EXPECT_FALSE(ParseSimulcast(bad)) << bad;
  }
}

TEST(SdpTest, ReadsTheCapturedSimulcastOffer) {
  const SessionDescription description = Parsed(ReadSdpFile("publish_simulcast.offer.sdp"));
  ASSERT_EQ(description.media.size(), 2U);
  const SdpMediaSection& video = description.media[1];
  std::vector<std::string> rids;
  for (const std::string_view value : video.FindAll("rid")) {
    const auto rid = ParseRid(value);
    ASSERT_TRUE(rid) << value;
    EXPECT_TRUE(rid->send);
    rids.push_back(rid->id);
  }
  EXPECT_EQ(rids, (std::vector<std::string>{"q", "h", "f"}));
  const auto simulcast = ParseSimulcast(video.Find("simulcast").value_or(""));
  ASSERT_TRUE(simulcast);
  EXPECT_EQ(simulcast->send.size(), 3U);
}

}  // namespace
}  // namespace egovbox::media
