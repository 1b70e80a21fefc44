#include "media/tcp_framing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace egovbox::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

// RFC 4571 §2: a 16-bit big-endian length, then the packet.
Bytes Framed(const Bytes& packet) {
  Bytes framed = {static_cast<std::uint8_t>(packet.size() >> 8U), static_cast<std::uint8_t>(packet.size())};
  framed.insert(framed.end(), packet.begin(), packet.end());
  return framed;
}

Bytes Packet(std::size_t size, std::uint8_t first) {
  Bytes packet(size);
  for (std::size_t i = 0; i < size; ++i) packet[i] = static_cast<std::uint8_t>(first + i);
  return packet;
}

// Feeds `bytes` to `reader` in pieces of at most `piece` bytes and collects every frame.
std::vector<Bytes> Feed(TcpFrameReader& reader, const Bytes& bytes, std::size_t piece,
                        TcpFrameReader::Status* last = nullptr) {
  std::vector<Bytes> frames;
  TcpFrameReader::Status status = TcpFrameReader::Status::kNeedMore;
  for (std::size_t at = 0; at < bytes.size();) {
    const auto space = reader.Space();
    const std::size_t count = std::min({piece, space.size(), bytes.size() - at});
    EXPECT_GT(count, 0U) << "the reader has no room although frames were taken";
    if (count == 0) break;
    std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(at), count, space.begin());
    reader.Commit(count);
    at += count;
    std::span<const std::uint8_t> frame;
    while ((status = reader.Next(frame)) == TcpFrameReader::Status::kFrame)
      frames.emplace_back(frame.begin(), frame.end());
    if (status == TcpFrameReader::Status::kBroken) break;
  }
  if (last != nullptr) *last = status;
  return frames;
}

TEST(TcpFrameReaderTest, ReadsSeveralFramesFromOneRead) {
  const Bytes a = Packet(20, 0);
  const Bytes b = Packet(100, 0x80);
  const Bytes c = Packet(kMaxTcpFrameSize, 7);
  Bytes stream = Framed(a);
  for (const Bytes& more : {Framed(b), Framed(c)}) stream.insert(stream.end(), more.begin(), more.end());
  TcpFrameReader reader;
  TcpFrameReader::Status last{};
  const auto frames = Feed(reader, stream, stream.size(), &last);
  ASSERT_EQ(frames.size(), 3U);
  EXPECT_EQ(frames[0], a);
  EXPECT_EQ(frames[1], b);
  EXPECT_EQ(frames[2], c);
  EXPECT_EQ(last, TcpFrameReader::Status::kNeedMore);
  EXPECT_EQ(reader.pending(), 0U);
}

TEST(TcpFrameReaderTest, ReassemblesFramesSplitAcrossReads) {
  Bytes stream;
  std::vector<Bytes> sent;
  for (std::size_t i = 0; i < 40; ++i) {
    sent.push_back(Packet(1 + (i * 211) % kMaxTcpFrameSize, static_cast<std::uint8_t>(i)));
    const Bytes framed = Framed(sent.back());
    stream.insert(stream.end(), framed.begin(), framed.end());
  }
  // Pieces of every size that splits headers and bodies in every way.
  for (const std::size_t piece : {1U, 2U, 3U, 7U, 1000U, 1503U, 4096U}) {
    TcpFrameReader reader;
    EXPECT_EQ(Feed(reader, stream, piece), sent) << "pieces of " << piece;
    EXPECT_EQ(reader.pending(), 0U);
  }
}

TEST(TcpFrameReaderTest, WaitsForTheSecondByteOfTheLength) {
  TcpFrameReader reader;
  const Bytes framed = Framed(Packet(300, 1));
  reader.Space()[0] = framed[0];
  reader.Commit(1);
  std::span<const std::uint8_t> frame;
  EXPECT_EQ(reader.Next(frame), TcpFrameReader::Status::kNeedMore);
  EXPECT_EQ(reader.pending(), 1U);
  const Bytes rest(framed.begin() + 1, framed.end());
  EXPECT_EQ(Feed(reader, rest, rest.size()), std::vector<Bytes>{Packet(300, 1)});
}

TEST(TcpFrameReaderTest, AnOversizedFrameBreaksTheConnection) {
  TcpFrameReader reader;
  Bytes stream = Framed(Packet(10, 0));
  const Bytes oversized = Framed(Packet(kMaxTcpFrameSize + 1, 0));
  stream.insert(stream.end(), oversized.begin(), oversized.end());
  TcpFrameReader::Status last{};
  const auto frames = Feed(reader, stream, stream.size(), &last);
  EXPECT_EQ(frames.size(), 1U);  // the one before it still counts
  EXPECT_EQ(last, TcpFrameReader::Status::kBroken);
  EXPECT_TRUE(reader.broken());
  std::span<const std::uint8_t> frame;
  EXPECT_EQ(reader.Next(frame), TcpFrameReader::Status::kBroken);  // for good
  reader.Reset();
  EXPECT_FALSE(reader.broken());
  EXPECT_EQ(reader.pending(), 0U);
}

TEST(TcpFrameReaderTest, AnEmptyFrameBreaksTheConnection) {
  TcpFrameReader reader;
  TcpFrameReader::Status last{};
  EXPECT_TRUE(Feed(reader, Bytes{0, 0, 1, 2}, 4, &last).empty());
  EXPECT_EQ(last, TcpFrameReader::Status::kBroken);
}

TEST(TcpFrameWriterTest, FramesPacketsAndHandsThemOutInOrder) {
  TcpFrameWriter writer(4096, 2048);
  const Bytes a = Packet(5, 1);
  const Bytes b = Packet(kMaxTcpFrameSize, 2);
  EXPECT_TRUE(writer.Push(a, false));
  EXPECT_TRUE(writer.Push(b, true));
  Bytes expected = Framed(a);
  const Bytes framed_b = Framed(b);
  expected.insert(expected.end(), framed_b.begin(), framed_b.end());
  const auto pending = writer.Pending();
  EXPECT_EQ(Bytes(pending.begin(), pending.end()), expected);
  // A partial write leaves the rest, in order.
  writer.Consume(3);
  const auto rest = writer.Pending();
  EXPECT_EQ(Bytes(rest.begin(), rest.end()), Bytes(expected.begin() + 3, expected.end()));
  writer.Consume(rest.size());
  EXPECT_TRUE(writer.empty());
}

TEST(TcpFrameWriterTest, RefusesEmptyAndOversizedPackets) {
  TcpFrameWriter writer(4096, 4096);
  EXPECT_FALSE(writer.Push(Bytes{}, false));
  EXPECT_FALSE(writer.Push(Packet(kMaxTcpFrameSize + 1, 0), false));
  EXPECT_TRUE(writer.empty());
}

TEST(TcpFrameWriterTest, DropsMediaAboveTheMediaLimitButKeepsRoomForControl) {
  constexpr std::size_t kCapacity = 8192;
  constexpr std::size_t kMediaLimit = 4096;
  TcpFrameWriter writer(kCapacity, kMediaLimit);
  const Bytes media = Packet(1000, 0x80);
  std::size_t queued = 0;
  while (writer.Push(media, true)) ++queued;
  EXPECT_EQ(queued, kMediaLimit / (media.size() + kTcpFrameHeaderSize));
  EXPECT_LE(writer.size(), kMediaLimit);
  // STUN and DTLS still go in, up to the capacity.
  const Bytes control = Packet(1000, 0x16);
  std::size_t control_queued = 0;
  while (writer.Push(control, false)) ++control_queued;
  EXPECT_GT(control_queued, 0U);
  EXPECT_LE(writer.size(), kCapacity);
  EXPECT_GT(writer.size() + control.size() + kTcpFrameHeaderSize, kCapacity);
}

TEST(TcpFrameWriterTest, ReusesItsBufferAfterPartialWrites) {
  // Write a little less than is queued, again and again: the queue moves to the
  // front of its buffer instead of growing.
  TcpFrameWriter writer(4096, 4096);
  Bytes written;
  Bytes expected;
  for (std::size_t i = 0; i < 200; ++i) {
    const Bytes packet = Packet(300 + i, static_cast<std::uint8_t>(i));
    ASSERT_TRUE(writer.Push(packet, true)) << i;
    const Bytes framed = Framed(packet);
    expected.insert(expected.end(), framed.begin(), framed.end());
    const auto pending = writer.Pending();
    const std::size_t count = pending.size() > 200 ? pending.size() - 200 : 0;
    written.insert(written.end(), pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(count));
    writer.Consume(count);
  }
  const auto pending = writer.Pending();
  written.insert(written.end(), pending.begin(), pending.end());
  EXPECT_EQ(written, expected);
}

}  // namespace
}  // namespace egovbox::media
