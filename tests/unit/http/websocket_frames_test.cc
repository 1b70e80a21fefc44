#include "http/websocket_frames.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace egovbox::http {
namespace {

using Kind = WebSocketEvent::Kind;

constexpr unsigned char kFin = 0x80;
constexpr std::array<unsigned char, 4> kMask = {0x37, 0xfa, 0x21, 0x3d};

// A frame as a browser sends it (RFC 6455 §5.2): masked unless told otherwise.
std::string ClientFrame(unsigned char first_byte, std::string_view payload, bool masked = true) {
  std::string frame(1, static_cast<char>(first_byte));
  const unsigned char mask_bit = masked ? 0x80 : 0x00;
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(mask_bit | payload.size()));
  } else if (payload.size() <= 0xffff) {
    frame.push_back(static_cast<char>(mask_bit | 126));
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size() & 0xff));
  } else {
    frame.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) frame.push_back(static_cast<char>((payload.size() >> shift) & 0xff));
  }
  if (!masked) return frame + std::string(payload);
  for (const unsigned char byte : kMask) frame.push_back(static_cast<char>(byte));
  for (std::size_t i = 0; i < payload.size(); ++i) frame.push_back(static_cast<char>(payload[i] ^ kMask[i % 4]));
  return frame;
}

// A server frame (unmasked) made into the client frame with the same content.
std::string Masked(std::string_view server_frame) {
  const auto second = static_cast<unsigned char>(server_frame[1]);
  std::size_t header = 2;
  if ((second & 0x7f) == 126) header = 4;
  if ((second & 0x7f) == 127) header = 10;
  std::string frame(server_frame.substr(0, header));
  frame[1] = static_cast<char>(second | 0x80);
  for (const unsigned char byte : kMask) frame.push_back(static_cast<char>(byte));
  const std::string_view payload = server_frame.substr(header);
  for (std::size_t i = 0; i < payload.size(); ++i) frame.push_back(static_cast<char>(payload[i] ^ kMask[i % 4]));
  return frame;
}

std::vector<WebSocketEvent> Drain(WebSocketFrameReader& reader) {
  std::vector<WebSocketEvent> events;
  while (auto event = reader.Next()) events.push_back(std::move(*event));
  return events;
}

std::vector<WebSocketEvent> Read(std::string_view bytes, std::size_t max_message_bytes = 1 << 20) {
  WebSocketFrameReader reader(max_message_bytes);
  reader.Append(bytes);
  return Drain(reader);
}

// The close code of the single error event `bytes` make, or 0.
std::uint16_t ErrorOf(std::string_view bytes, std::size_t max_message_bytes = 1 << 20) {
  const auto events = Read(bytes, max_message_bytes);
  if (events.empty() || events.back().kind != Kind::kError) return 0;
  return events.back().close_code;
}

TEST(WebSocketFramesTest, MaskedTextFrameIsAMessage) {
  const auto events = Read(ClientFrame(kFin | 0x1, "Здравей, свят"));
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].kind, Kind::kText);
  EXPECT_EQ(events[0].payload, "Здравей, свят");
}

TEST(WebSocketFramesTest, EmptyTextFrameIsAnEmptyMessage) {
  const auto events = Read(ClientFrame(kFin | 0x1, ""));
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].kind, Kind::kText);
  EXPECT_EQ(events[0].payload, "");
}

TEST(WebSocketFramesTest, ReadsThe16BitAnd64BitLengthForms) {
  for (const std::size_t size : {126, 1000, 65535, 65536, 100000}) {
    const std::string payload(size, static_cast<char>('a' + size % 26));
    const auto events = Read(ClientFrame(kFin | 0x1, payload));
    ASSERT_EQ(events.size(), 1U) << size;
    EXPECT_EQ(events[0].kind, Kind::kText);
    EXPECT_EQ(events[0].payload, payload) << size;
  }
}

TEST(WebSocketFramesTest, FragmentsAreJoinedAndControlFramesMayComeBetween) {
  const auto events =
      Read(ClientFrame(0x1, "Hel") + ClientFrame(0x0, "lo, ") + ClientFrame(kFin | 0x9, "are you there") +
           ClientFrame(kFin | 0x0, "world") + ClientFrame(kFin | 0x1, "again"));
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[0].kind, Kind::kPing);
  EXPECT_EQ(events[0].payload, "are you there");
  EXPECT_EQ(events[1].kind, Kind::kText);
  EXPECT_EQ(events[1].payload, "Hello, world");
  EXPECT_EQ(events[2].kind, Kind::kText);
  EXPECT_EQ(events[2].payload, "again");
}

TEST(WebSocketFramesTest, BytesArrivingOneAtATimeGiveTheSameEvents) {
  const std::string bytes = ClientFrame(kFin | 0x1, "първо") + ClientFrame(kFin | 0x9, "p") +
                            ClientFrame(0x1, std::string(200, 'x')) + ClientFrame(kFin | 0x0, std::string(70000, 'y')) +
                            ClientFrame(kFin | 0xa, "") + ClientFrame(kFin | 0x8, "\x03\xe8");
  WebSocketFrameReader reader(1 << 20);
  std::vector<WebSocketEvent> events;
  for (const char byte : bytes) {
    reader.Append(std::string_view(&byte, 1));
    for (auto& event : Drain(reader)) events.push_back(std::move(event));
    reader.Trim();
  }
  ASSERT_EQ(events.size(), 5U);
  EXPECT_EQ(events[0].kind, Kind::kText);
  EXPECT_EQ(events[0].payload, "първо");
  EXPECT_EQ(events[1].kind, Kind::kPing);
  EXPECT_EQ(events[1].payload, "p");
  EXPECT_EQ(events[2].kind, Kind::kText);
  EXPECT_EQ(events[2].payload, std::string(200, 'x') + std::string(70000, 'y'));
  EXPECT_EQ(events[3].kind, Kind::kPong);
  EXPECT_EQ(events[4].kind, Kind::kClose);
  EXPECT_EQ(events[4].payload, "\x03\xe8");
}

TEST(WebSocketFramesTest, NothingUntilTheFrameIsComplete) {
  const std::string frame = ClientFrame(kFin | 0x1, std::string(300, 'z'));
  WebSocketFrameReader reader(1 << 20);
  reader.Append(std::string_view(frame).substr(0, frame.size() - 1));
  EXPECT_FALSE(reader.Next().has_value());
  reader.Trim();  // keeps the pending bytes
  reader.Append(std::string_view(frame).substr(frame.size() - 1));
  const auto event = reader.Next();
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->payload, std::string(300, 'z'));
  EXPECT_FALSE(reader.Next().has_value());
}

TEST(WebSocketFramesTest, UnmaskedFrameIsAProtocolError) {
  EXPECT_EQ(ErrorOf(ClientFrame(kFin | 0x1, "hello", false)), kCloseProtocolError);
  EXPECT_EQ(ErrorOf(ClientFrame(kFin | 0x9, "", false)), kCloseProtocolError);
}

TEST(WebSocketFramesTest, ReservedBitIsAProtocolError) {
  for (const unsigned char rsv : {0x40, 0x20, 0x10}) {
    EXPECT_EQ(ErrorOf(ClientFrame(kFin | rsv | 0x1, "hello")), kCloseProtocolError) << int{rsv};
  }
}

TEST(WebSocketFramesTest, BinaryMessageIsUnsupported) {
  EXPECT_EQ(ErrorOf(ClientFrame(kFin | 0x2, "\x01\x02")), kCloseUnsupportedData);
}

TEST(WebSocketFramesTest, UnknownOpcodeIsAProtocolError) {
  for (const unsigned char opcode : {0x3, 0x7, 0xb, 0xf}) {
    EXPECT_EQ(ErrorOf(ClientFrame(kFin | opcode, "")), kCloseProtocolError) << int{opcode};
  }
}

TEST(WebSocketFramesTest, MessageOverTheLimitIsTooBig) {
  EXPECT_EQ(Read(ClientFrame(kFin | 0x1, std::string(100, 'a')), 100).at(0).kind, Kind::kText);
  EXPECT_EQ(ErrorOf(ClientFrame(kFin | 0x1, std::string(101, 'a')), 100), kCloseTooBig);
  // Known from the header alone: the reader does not wait for (or buffer) the payload.
  const std::string huge = ClientFrame(kFin | 0x1, std::string(70000, 'a'));
  EXPECT_EQ(ErrorOf(std::string_view(huge).substr(0, 10), 1000), kCloseTooBig);
}

TEST(WebSocketFramesTest, FragmentedMessageOverTheLimitIsTooBig) {
  EXPECT_EQ(Read(ClientFrame(0x1, std::string(50, 'a')) + ClientFrame(kFin | 0x0, std::string(50, 'b')), 100)
                .at(0)
                .payload.size(),
            100U);
  const auto events = Read(
      ClientFrame(0x1, std::string(60, 'a')) + ClientFrame(0x0, std::string(40, 'b')) + ClientFrame(kFin, "c"), 100);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].kind, Kind::kError);
  EXPECT_EQ(events[0].close_code, kCloseTooBig);
}

TEST(WebSocketFramesTest, ControlFrameInsideAMessageDoesNotCountTowardsItsSize) {
  // RFC 6455 §5.4: control frames may come between fragments; they are not part of the message.
  const auto events = Read(ClientFrame(0x1, std::string(95, 'a')) + ClientFrame(kFin | 0x9, std::string(20, 'p')) +
                               ClientFrame(kFin | 0x0, std::string(5, 'b')),
                           100);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].kind, Kind::kPing);
  EXPECT_EQ(events[1].kind, Kind::kText);
  EXPECT_EQ(events[1].payload, std::string(95, 'a') + std::string(5, 'b'));
}

TEST(WebSocketFramesTest, ControlFrameOver125BytesOrFragmentedIsAProtocolError) {
  EXPECT_EQ(Read(ClientFrame(kFin | 0x9, std::string(125, 'p'))).at(0).kind, Kind::kPing);
  EXPECT_EQ(ErrorOf(ClientFrame(kFin | 0x9, std::string(126, 'p'))), kCloseProtocolError);
  EXPECT_EQ(ErrorOf(ClientFrame(kFin | 0x8, std::string(200, 'c'))), kCloseProtocolError);
  EXPECT_EQ(ErrorOf(ClientFrame(0x9, "p")), kCloseProtocolError);
  EXPECT_EQ(ErrorOf(ClientFrame(0xa, "p")), kCloseProtocolError);
  EXPECT_EQ(ErrorOf(ClientFrame(0x8, "")), kCloseProtocolError);
}

TEST(WebSocketFramesTest, ContinuationWithoutAStartIsAProtocolError) {
  EXPECT_EQ(ErrorOf(ClientFrame(kFin | 0x0, "orphan")), kCloseProtocolError);
  EXPECT_EQ(ErrorOf(ClientFrame(0x0, "orphan")), kCloseProtocolError);
  // And a new message before the last one ended.
  EXPECT_EQ(ErrorOf(ClientFrame(0x1, "first") + ClientFrame(kFin | 0x1, "second")), kCloseProtocolError);
}

TEST(WebSocketFramesTest, PingPongAndCloseAreEvents) {
  const auto events = Read(ClientFrame(kFin | 0x9, "ping-data") + ClientFrame(kFin | 0xa, "pong-data") +
                           ClientFrame(kFin | 0x8, std::string("\x03\xe9", 2) + "going"));
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[0].kind, Kind::kPing);
  EXPECT_EQ(events[0].payload, "ping-data");
  EXPECT_EQ(events[1].kind, Kind::kPong);
  EXPECT_EQ(events[1].payload, "pong-data");
  EXPECT_EQ(events[2].kind, Kind::kClose);
  EXPECT_EQ(events[2].payload, std::string("\x03\xe9", 2) + "going");
  EXPECT_EQ(events[2].close_code, 0);
}

TEST(WebSocketFramesTest, NothingMoreAfterClose) {
  WebSocketFrameReader reader(1 << 20);
  reader.Append(ClientFrame(kFin | 0x8, "") + ClientFrame(kFin | 0x1, "after"));
  ASSERT_EQ(reader.Next()->kind, Kind::kClose);
  EXPECT_FALSE(reader.Next().has_value());
  reader.Append(ClientFrame(kFin | 0x1, "still after"));
  EXPECT_FALSE(reader.Next().has_value());
}

TEST(WebSocketFramesTest, NothingMoreAfterAnError) {
  WebSocketFrameReader reader(1 << 20);
  reader.Append(ClientFrame(kFin | 0x2, "binary") + ClientFrame(kFin | 0x1, "after"));
  const auto error = reader.Next();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, Kind::kError);
  EXPECT_FALSE(reader.Next().has_value());
  reader.Append(ClientFrame(kFin | 0x1, "still after"));
  EXPECT_FALSE(reader.Next().has_value());
}

TEST(WebSocketFramesTest, FrameOfUsesTheShortestLengthForm) {
  struct Case {
    std::size_t size;
    std::string header;
  };
  const std::vector<Case> cases = {
      {0, std::string("\x81\x00", 2)},
      {125, "\x81\x7d"},
      {126, std::string("\x81\x7e\x00\x7e", 4)},
      {65535, "\x81\x7e\xff\xff"},
      {65536, std::string("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10)},
  };
  for (const auto& [size, header] : cases) {
    const std::string payload(size, 'q');
    const std::string frame = WebSocketFrameOf(WebSocketOpcode::kText, payload);
    ASSERT_EQ(frame.size(), header.size() + size) << size;
    EXPECT_EQ(frame.substr(0, header.size()), header) << size;
    EXPECT_EQ(frame.substr(header.size()), payload) << size;
  }
}

TEST(WebSocketFramesTest, FrameOfSetsFinAndTheOpcode) {
  EXPECT_EQ(WebSocketFrameOf(WebSocketOpcode::kClose, "\x03\xe9"), "\x88\x02\x03\xe9");
  EXPECT_EQ(WebSocketFrameOf(WebSocketOpcode::kPing, "x"), "\x89\x01x");
  EXPECT_EQ(WebSocketFrameOf(WebSocketOpcode::kPong, "x"), "\x8a\x01x");
}

TEST(WebSocketFramesTest, WhatTheServerFramesReadsBackOnceMasked) {
  for (const std::size_t size : {0, 1, 125, 126, 127, 65535, 65536, 70001}) {
    std::string payload(size, '\0');
    for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<char>('0' + i % 75);
    const auto events = Read(Masked(WebSocketFrameOf(WebSocketOpcode::kText, payload)));
    ASSERT_EQ(events.size(), 1U) << size;
    EXPECT_EQ(events[0].kind, Kind::kText);
    EXPECT_EQ(events[0].payload, payload) << size;
  }
  const auto pong = Read(Masked(WebSocketFrameOf(WebSocketOpcode::kPong, "back")));
  ASSERT_EQ(pong.size(), 1U);
  EXPECT_EQ(pong[0].kind, Kind::kPong);
  EXPECT_EQ(pong[0].payload, "back");
}

}  // namespace
}  // namespace egovbox::http
