// The SFU's SDP rules as a command for capture.mjs, which compiles it with g++
// (src/media/sdp.cc and sdp_negotiation.cc only) to answer real Chromium offers
// and to build the subscribe offer fed to Chromium. Not part of the build.
//
//   negotiate_tool answer <session id> <version>   offer on stdin, answer on stdout
//   negotiate_tool subscribe-offer                 our subscribe offer (the fixed sections below)
//   negotiate_tool read-subscribe-answer           answer on stdin, "role mid mid ..." on stdout
//
// On an SdpError it prints "<code>: <detail>" to stderr and exits 1. The transport
// and sections here are the ones tests/unit/media/sdp_negotiation_test.cc uses.
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>
#include <variant>
#include <vector>

#include "media/sdp_negotiation.h"

namespace {

using egovbox::media::DtlsRole;
using egovbox::media::LocalTransport;
using egovbox::media::MediaKind;
using egovbox::media::SdpError;
using egovbox::media::SubscribedSection;

LocalTransport FixedTransport() {
  return LocalTransport{
      "egovbox1",
      "EgovBoxIcePasswordFor+Tests/1",
      "0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9",
      {{"127.0.0.1", 8443}}};
}

std::vector<SubscribedSection> FixedSubscribeSections() {
  return {{"0", MediaKind::kAudio, true, 1001, "alice", "alice", "alice-microphone"},
          {"1", MediaKind::kVideo, true, 1002, "alice", "alice", "alice-camera", 1003},
          {"2", MediaKind::kVideo, false, 0, "", "", ""}};
}

std::string ReadStdin() {
  return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
}

int Fail(const SdpError& error) {
  std::cerr << error.code << ": " << error.detail << '\n';
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "answer") {
    const auto result =
        egovbox::media::AnswerPublishOffer(ReadStdin(), FixedTransport(), std::stoull(args[1]), std::stoull(args[2]));
    if (const auto* error = std::get_if<SdpError>(&result)) return Fail(*error);
    std::cout << std::get<egovbox::media::PublishNegotiation>(result).answer_sdp;
    return 0;
  }
  if (args.size() == 1 && args[0] == "subscribe-offer") {
    std::cout << egovbox::media::BuildSubscribeOffer(FixedTransport(), 2000, 1, FixedSubscribeSections());
    return 0;
  }
  if (args.size() == 1 && args[0] == "read-subscribe-answer") {
    const auto result = egovbox::media::ReadSubscribeAnswer(ReadStdin(), FixedSubscribeSections());
    if (const auto* error = std::get_if<SdpError>(&result)) return Fail(*error);
    const auto& negotiation = std::get<egovbox::media::SubscribeNegotiation>(result);
    std::cout << (negotiation.local_role == DtlsRole::kServer ? "server" : "client");
    for (const std::string& mid : negotiation.accepted_mids) std::cout << ' ' << mid;
    std::cout << '\n';
    return 0;
  }
  std::cerr << "usage: negotiate_tool answer <session id> <version> | subscribe-offer | read-subscribe-answer\n";
  return 2;
}
