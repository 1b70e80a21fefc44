// Fuzz target for media::RtcpCompound and the RTCP readers, which see every RTCP
// datagram a browser sends once SRTCP has decrypted it. Invariants: a compound
// that parses is tiled exactly by its packets, as many as size() says, with
// padding only at the end; every reader either refuses a packet or answers from
// inside it; and what the writers make of a reader's answers reads back the same
// (sender and receiver reports, PLI, FIR, REMB's bitrate, the set of NACKed
// sequence numbers).
#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "media/packet_kind.h"
#include "media/rtcp_packet.h"

namespace {

using egovbox::media::ClassifyPacket;
using egovbox::media::kRtcpHeaderSize;
using egovbox::media::kRtcpMaxReportBlocks;
using egovbox::media::RtcpBye;
using egovbox::media::RtcpCompound;
using egovbox::media::RtcpFeedback;
using egovbox::media::RtcpFir;
using egovbox::media::RtcpNack;
using egovbox::media::RtcpPacketView;
using egovbox::media::RtcpPli;
using egovbox::media::RtcpReceiverReport;
using egovbox::media::RtcpRemb;
using egovbox::media::RtcpReportBlock;
using egovbox::media::RtcpSdes;
using egovbox::media::RtcpSenderReport;
using egovbox::media::RtcpTransportCc;
using egovbox::media::WriteFir;
using egovbox::media::WriteNack;
using egovbox::media::WritePli;
using egovbox::media::WriteReceiverReport;
using egovbox::media::WriteRemb;
using egovbox::media::WriteSenderReport;

bool SameBlock(const RtcpReportBlock& a, const RtcpReportBlock& b) {
  return a.ssrc == b.ssrc && a.fraction_lost == b.fraction_lost && a.cumulative_lost == b.cumulative_lost &&
         a.highest_sequence == b.highest_sequence && a.jitter == b.jitter && a.last_sr == b.last_sr &&
         a.delay_since_last_sr == b.delay_since_last_sr;
}

std::optional<RtcpPacketView> Single(std::span<std::uint8_t> bytes) {
  const auto compound = RtcpCompound::Parse(bytes);
  if (!compound || compound->size() != 1) return std::nullopt;
  return *compound->begin();
}

// The writers' answers for this packet read back as the reader saw it.
void CheckRoundTrips(const RtcpPacketView& packet) {
  std::array<std::uint8_t, 2048> buffer{};  // the largest: REMB with 255 SSRCs, 1040 bytes
  if (const auto report = RtcpSenderReport::Parse(packet)) {
    const std::size_t size = WriteSenderReport(buffer, report->ssrc(), report->ntp_timestamp(), report->rtp_timestamp(),
                                               report->packet_count(), report->octet_count());
    const auto view = Single(std::span(buffer).first(size));
    const auto back = view ? RtcpSenderReport::Parse(*view) : std::nullopt;
    if (!back || back->ssrc() != report->ssrc() || back->ntp_timestamp() != report->ntp_timestamp() ||
        back->rtp_timestamp() != report->rtp_timestamp() || back->packet_count() != report->packet_count() ||
        back->octet_count() != report->octet_count()) {
      __builtin_trap();
    }
  }
  if (const auto report = RtcpReceiverReport::Parse(packet)) {
    std::array<RtcpReportBlock, kRtcpMaxReportBlocks> blocks{};
    for (std::size_t i = 0; i < report->report_count(); ++i) blocks[i] = report->report_block(i);
    const auto written = std::span(blocks).first(report->report_count());
    const std::size_t size = WriteReceiverReport(buffer, report->sender_ssrc(), written);
    const auto view = Single(std::span(buffer).first(size));
    const auto back = view ? RtcpReceiverReport::Parse(*view) : std::nullopt;
    if (!back || back->sender_ssrc() != report->sender_ssrc() || back->report_count() != report->report_count()) {
      __builtin_trap();
    }
    for (std::size_t i = 0; i < written.size(); ++i) {
      if (!SameBlock(back->report_block(i), written[i])) __builtin_trap();
    }
  }
  if (const auto pli = RtcpPli::Parse(packet)) {
    const auto view = Single(std::span(buffer).first(WritePli(buffer, pli->sender_ssrc(), pli->media_ssrc())));
    const auto back = view ? RtcpPli::Parse(*view) : std::nullopt;
    if (!back || back->sender_ssrc() != pli->sender_ssrc() || back->media_ssrc() != pli->media_ssrc()) __builtin_trap();
  }
  if (const auto fir = RtcpFir::Parse(packet)) {
    if (fir->entry_count() == 0) __builtin_trap();
    const RtcpFir::Entry entry = fir->entry(0);
    const std::size_t size = WriteFir(buffer, fir->sender_ssrc(), entry.ssrc, entry.sequence_number);
    const auto view = Single(std::span(buffer).first(size));
    const auto back = view ? RtcpFir::Parse(*view) : std::nullopt;
    if (!back || back->entry_count() != 1 || back->entry(0).ssrc != entry.ssrc ||
        back->entry(0).sequence_number != entry.sequence_number) {
      __builtin_trap();
    }
  }
  if (const auto remb = RtcpRemb::Parse(packet)) {
    std::array<std::uint32_t, 255> ssrcs{};
    for (std::size_t i = 0; i < remb->ssrc_count(); ++i) ssrcs[i] = remb->ssrc(i);
    const std::uint64_t bitrate = remb->bitrate_bps();
    const std::size_t size =
        WriteRemb(buffer, remb->sender_ssrc(), bitrate, std::span(ssrcs).first(remb->ssrc_count()));
    const auto view = Single(std::span(buffer).first(size));
    const auto back = view ? RtcpRemb::Parse(*view) : std::nullopt;
    if (!back || back->ssrc_count() != remb->ssrc_count()) __builtin_trap();
    // A bitrate read from 18 bits of mantissa is written back exactly, unless it saturated.
    if (bitrate != std::numeric_limits<std::uint64_t>::max() && back->bitrate_bps() != bitrate) __builtin_trap();
    for (std::size_t i = 0; i < remb->ssrc_count(); ++i) {
      if (back->ssrc(i) != ssrcs[i]) __builtin_trap();
    }
  }
  if (const auto nack = RtcpNack::Parse(packet)) {
    std::vector<std::uint16_t> lost;
    std::bitset<65536> wanted;
    nack->ForEachLostSequenceNumber([&](std::uint16_t sequence_number) {
      lost.push_back(sequence_number);
      wanted.set(sequence_number);
    });
    if (lost.size() < nack->item_count() || lost.size() != nack->lost_count()) __builtin_trap();
    std::vector<std::uint8_t> out(16 + lost.size() * 4);
    const auto view = Single(std::span(out).first(WriteNack(out, nack->sender_ssrc(), nack->media_ssrc(), lost)));
    const auto back = view ? RtcpNack::Parse(*view) : std::nullopt;
    if (!back) __builtin_trap();
    std::bitset<65536> got;
    back->ForEachLostSequenceNumber([&](std::uint16_t sequence_number) { got.set(sequence_number); });
    if (got != wanted) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  (void)ClassifyPacket(bytes);
  const auto compound = RtcpCompound::Parse(bytes);
  if (!compound) return 0;
  const std::uint8_t* const begin = bytes.data();
  const std::uint8_t* const end = begin + bytes.size();

  std::size_t count = 0;
  const std::uint8_t* expected = begin;
  for (const RtcpPacketView& packet : *compound) {
    const auto whole = packet.bytes();
    if (whole.data() != expected || whole.size() < kRtcpHeaderSize || whole.size() % 4 != 0) __builtin_trap();
    expected = whole.data() + whole.size();
    if (expected > end) __builtin_trap();
    if (packet.padding_size() != 0 && expected != end) __builtin_trap();
    const auto body = packet.body();
    if (body.data() != whole.data() + kRtcpHeaderSize ||
        body.size() + packet.padding_size() + kRtcpHeaderSize != whole.size()) {
      __builtin_trap();
    }
    ++count;

    // Every reader; the accessors of whichever accept.
    if (const auto report = RtcpSenderReport::Parse(packet)) {
      (void)report->ssrc();
      (void)report->ntp_timestamp();
      for (std::size_t i = 0; i < report->report_count(); ++i) (void)report->report_block(i);
    }
    if (const auto report = RtcpReceiverReport::Parse(packet)) {
      for (std::size_t i = 0; i < report->report_count(); ++i) {
        const RtcpReportBlock block = report->report_block(i);
        if (block.cumulative_lost < -0x800000 || block.cumulative_lost > 0x7FFFFF) __builtin_trap();
      }
    }
    (void)RtcpSdes::Parse(packet);
    if (const auto bye = RtcpBye::Parse(packet)) {
      for (std::size_t i = 0; i < bye->ssrc_count(); ++i) (void)bye->ssrc(i);
      const auto* reason = reinterpret_cast<const std::uint8_t*>(bye->reason().data());
      if (!bye->reason().empty() && (reason < body.data() || reason + bye->reason().size() > end)) __builtin_trap();
    }
    if (const auto feedback = RtcpFeedback::Parse(packet)) {
      (void)feedback->sender_ssrc();
      (void)feedback->media_ssrc();
      if (feedback->fci().data() + feedback->fci().size() > body.data() + body.size()) __builtin_trap();
    }
    if (const auto fir = RtcpFir::Parse(packet)) {
      for (std::size_t i = 0; i < fir->entry_count(); ++i) (void)fir->entry(i);
    }
    if (const auto remb = RtcpRemb::Parse(packet)) {
      for (std::size_t i = 0; i < remb->ssrc_count(); ++i) (void)remb->ssrc(i);
    }
    if (const auto transport = RtcpTransportCc::Parse(packet)) {
      (void)transport->base_sequence_number();
      (void)transport->packet_status_count();
      (void)transport->reference_time();
      (void)transport->feedback_packet_count();
    }
    CheckRoundTrips(packet);

    // The forwarder's rewrites stay inside the packet and leave the compound whole.
    if (auto report = RtcpSenderReport::Parse(packet)) {
      report->SetSsrc(1);
      report->SetRtpTimestamp(2);
    }
    if (auto feedback = RtcpFeedback::Parse(packet)) feedback->SetMediaSsrc(3);
    if (auto fir = RtcpFir::Parse(packet)) fir->SetEntrySsrc(fir->entry_count() - 1, 4);
  }
  if (count != compound->size() || expected != end) __builtin_trap();
  const auto again = RtcpCompound::Parse(bytes);
  if (!again || again->size() != count) __builtin_trap();
  return 0;
}
