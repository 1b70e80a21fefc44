#include "media/simulcast.h"

#include <algorithm>

#include "media/rtp_packet.h"
#include "media/sdp.h"

namespace egovbox::media {

namespace {

constexpr std::uint64_t kBitsPerByte = 8;
constexpr std::uint64_t kMicrosPerSecond = 1'000'000;

}  // namespace

// ---------------------------------------------------------------------------
// LayerMeter

std::optional<PictureSize> Vp8KeyframeSize(std::span<const std::uint8_t> vp8_payload) noexcept {
  // RFC 6386 §9.1: a 3-byte frame tag whose bit 0 is 0 for a key frame, then the
  // start code 9d 01 2a, then 14 bits of width and 14 of height (little-endian,
  // each with 2 scaling bits above).
  constexpr std::size_t kHeaderSize = 10;
  constexpr std::array<std::uint8_t, 3> kStartCode = {0x9D, 0x01, 0x2A};
  constexpr unsigned kSizeMask = 0x3FFF;
  if (vp8_payload.size() < kHeaderSize || (vp8_payload[0] & 0x01U) != 0) return std::nullopt;
  if (!std::equal(kStartCode.begin(), kStartCode.end(), vp8_payload.begin() + 3)) return std::nullopt;
  PictureSize size;
  size.width = static_cast<std::uint16_t>((vp8_payload[6] | (unsigned{vp8_payload[7]} << 8U)) & kSizeMask);
  size.height = static_cast<std::uint16_t>((vp8_payload[8] | (unsigned{vp8_payload[9]} << 8U)) & kSizeMask);
  return size;
}

void LayerMeter::Add(std::size_t bytes, std::span<const std::uint8_t> vp8_payload, Clock::time_point now) noexcept {
  if (!received_) {
    received_ = true;
    window_start_ = now;
  }
  last_packet_ = now;
  const auto elapsed = now - window_start_;
  if (elapsed >= kWindow) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
    bitrate_ = static_cast<std::uint32_t>(window_bytes_ * kBitsPerByte * kMicrosPerSecond /
                                          static_cast<std::uint64_t>(micros));
    window_start_ = now;
    window_bytes_ = 0;
  }
  window_bytes_ += bytes;
  const auto descriptor = ParseVp8Descriptor(vp8_payload);
  if (descriptor && descriptor->is_keyframe) {
    if (const auto size = Vp8KeyframeSize(vp8_payload.subspan(descriptor->size))) {
      width_ = size->width;
      height_ = size->height;
    }
  }
}

// ---------------------------------------------------------------------------
// LayerSelector

int LayerSelector::Select(const SelectionInput& input, int current, Clock::time_point now) {
  const auto& layers = input.layers;
  const int count = static_cast<int>(layers.size());
  const auto active = [&](int index) {
    return index >= 0 && index < count && layers[static_cast<std::size_t>(index)].active;
  };
  int lowest = -1;
  for (int i = 0; i < count && lowest < 0; ++i) {
    if (active(i)) lowest = i;
  }
  // Nothing is received (the publisher paused every layer): keep the choice.
  if (lowest < 0) return target_;

  // (b) The tile: no layer larger than about its size; the lowest always fits.
  const auto fits_tile = [&](int index) {
    const LayerInfo& layer = layers[static_cast<std::size_t>(index)];
    if (!input.tile || layer.width == 0) return true;
    return layer.width <= input.tile->width * kTileSlack || layer.height <= input.tile->height * kTileSlack;
  };
  int cap = lowest;
  for (int i = lowest + 1; i < count; ++i) {
    if (active(i) && fits_tile(i)) cap = i;
  }
  // (a) The bandwidth share: the highest layer under the cap whose rate it carries.
  const auto fits_bandwidth = [&](int index, double share) {
    return !input.available ||
           layers[static_cast<std::size_t>(index)].bitrate <= share * static_cast<double>(*input.available);
  };
  int best = lowest;
  for (int i = lowest + 1; i <= cap; ++i) {
    if (active(i) && fits_bandwidth(i, 1.0)) best = i;
  }

  const auto go_down = [&](int to) {
    // An attempt up that ended in going down again soon: wait longer next time.
    hold_ = now - last_up_ < kFailedUpWindow ? std::min<Clock::duration>(hold_ * 2, kMaxHold) : kInitialHold;
    last_down_ = now;
    headroom_ = false;
    target_ = to;
    return target_;
  };

  // A pending switch counts as made: decisions start from the target.
  const int from = active(target_) ? target_ : (active(current) ? current : -1);
  // A receiver's estimate (REMB) only ever ramps up towards 1.5 times what it
  // receives; it falls when it sees the link congested. So a falling estimate
  // under the layer's rate means "too much", and one well above the layer's rate
  // means "not limited by the link" (the next layer is tried, carefully).
  const bool falling = input.available && last_available_ &&
                       static_cast<double>(*input.available) < kFallingShare * static_cast<double>(*last_available_);
  last_available_ = input.available;
  // Nothing forwarded yet (a new receiver's estimate is still ramping up and
  // says nothing yet), or its layer stopped, or neither estimate nor loss report
  // to be careful about: the layer that fits the tile, at once.
  if (from < 0 || (!input.available && !input.loss)) {
    headroom_ = false;
    target_ = cap;
    return target_;
  }
  if (from > cap) return go_down(cap);
  const bool loss_high = input.loss && *input.loss > kHighLoss;
  // After going down, the next loss report still covers the old layer.
  constexpr Clock::duration kLossSettle = std::chrono::seconds(2);
  if (loss_high && now - last_down_ >= kLossSettle) {
    int lower = from - 1;
    while (lower >= 0 && !active(lower)) --lower;
    if (lower >= 0) return go_down(std::min(lower, best));
  }
  if (falling && !fits_bandwidth(from, 1.0)) return go_down(std::min(best, from));
  int next = from + 1;
  while (next <= cap && !active(next)) ++next;
  const bool loss_low = !input.loss || *input.loss < kLowLoss;
  const bool unlimited =
      !input.available || static_cast<double>(*input.available) >=
                              kUnlimitedShare * static_cast<double>(layers[static_cast<std::size_t>(from)].bitrate);
  if (next <= cap && loss_low && (fits_bandwidth(next, kUpHeadroom) || unlimited)) {
    if (!headroom_) {
      headroom_ = true;
      headroom_since_ = now;
    }
    if (now - headroom_since_ >= kUpDelay && now - last_down_ >= hold_) {
      headroom_ = false;
      last_up_ = now;
      target_ = next;
      return target_;
    }
  } else {
    headroom_ = false;
  }
  target_ = from;
  return target_;
}

// ---------------------------------------------------------------------------
// Vp8PictureRewriter

void Vp8PictureRewriter::Rewrite(std::span<std::uint8_t> payload, std::uint32_t source_ssrc) noexcept {
  // RFC 7741 §4.2: X|R|N|S|R|PID, then with X: I|L|T|K|RSV, then with I the
  // picture ID (M bit: 15 bits in two bytes, else 7), then with L the TL0PICIDX.
  constexpr std::uint8_t kExtended = 0x80;
  constexpr std::uint8_t kPictureIdPresent = 0x80;
  constexpr std::uint8_t kTl0PresentBit = 0x40;
  constexpr std::uint8_t kLongPictureId = 0x80;
  constexpr std::uint16_t kPictureMask15 = 0x7FFF;
  constexpr std::uint16_t kPictureMask7 = 0x7F;
  constexpr std::uint8_t kHalfTl0Space = 0x80;
  if (payload.size() < 2 || (payload[0] & kExtended) == 0) return;
  const std::uint8_t flags = payload[1];
  std::size_t at = 2;
  std::optional<std::size_t> picture_at;
  bool long_picture = false;
  if ((flags & kPictureIdPresent) != 0) {
    if (at >= payload.size()) return;
    long_picture = (payload[at] & kLongPictureId) != 0;
    picture_at = at;
    at += long_picture ? 2 : 1;
  }
  std::optional<std::size_t> tl0_at;
  if ((flags & kTl0PresentBit) != 0) {
    tl0_at = at;
    ++at;
  }
  if (at > payload.size()) return;

  std::uint16_t picture = 0;
  if (picture_at) {
    picture = long_picture
                  ? static_cast<std::uint16_t>(((payload[*picture_at] & 0x7FU) << 8U) | payload[*picture_at + 1])
                  : static_cast<std::uint16_t>(payload[*picture_at] & 0x7FU);
  }
  const std::uint8_t tl0 = tl0_at ? payload[*tl0_at] : 0;
  if (!started_ || source_ssrc != source_ssrc_) {
    // A new source: continue one past what was sent (or keep the values at the start).
    picture_offset_ = started_ && has_picture_ ? static_cast<std::uint16_t>(last_picture_ + 1 - picture) : 0;
    tl0_offset_ = started_ && has_tl0_ ? static_cast<std::uint8_t>(last_tl0_ + 1 - tl0) : 0;
    started_ = true;
    source_ssrc_ = source_ssrc;
  }
  if (picture_at) {
    const std::uint16_t mask = long_picture ? kPictureMask15 : kPictureMask7;
    const auto out = static_cast<std::uint16_t>((picture + picture_offset_) & mask);
    if (long_picture) {
      payload[*picture_at] = static_cast<std::uint8_t>(kLongPictureId | (out >> 8U));
      payload[*picture_at + 1] = static_cast<std::uint8_t>(out);
    } else {
      payload[*picture_at] = static_cast<std::uint8_t>(out);
    }
    // Newer: a forward distance under half the space of the ID's own width (7 or 15 bits).
    const auto half = static_cast<std::uint16_t>((mask + 1U) / 2U);
    if (!has_picture_ || ((out - last_picture_) & mask) < half) last_picture_ = out;
    has_picture_ = true;
  }
  if (tl0_at) {
    const auto out = static_cast<std::uint8_t>(tl0 + tl0_offset_);
    payload[*tl0_at] = out;
    if (!has_tl0_ || static_cast<std::uint8_t>(out - last_tl0_) < kHalfTl0Space) last_tl0_ = out;
    has_tl0_ = true;
  }
}

// ---------------------------------------------------------------------------
// media.layout

std::optional<std::vector<LayoutTile>> ParseLayoutTiles(const nlohmann::json& tiles) {
  constexpr std::size_t kMaxMidSize = 32;
  constexpr std::int64_t kMaxTileSide = 16384;
  if (!tiles.is_array() || tiles.size() > kMaxLayoutTiles) return std::nullopt;
  std::vector<LayoutTile> parsed;
  for (const auto& entry : tiles) {
    if (!entry.is_object()) return std::nullopt;
    const auto mid = entry.find("mid");
    const auto width = entry.find("width");
    const auto height = entry.find("height");
    if (mid == entry.end() || !mid->is_string() || width == entry.end() || !width->is_number_integer() ||
        height == entry.end() || !height->is_number_integer()) {
      return std::nullopt;
    }
    const auto& mid_text = mid->get_ref<const std::string&>();
    const auto w = width->get<std::int64_t>();
    const auto h = height->get<std::int64_t>();
    if (mid_text.size() > kMaxMidSize || !IsSdpToken(mid_text) || w < 0 || h < 0 || w > kMaxTileSide ||
        h > kMaxTileSide) {
      return std::nullopt;
    }
    std::erase_if(parsed, [&](const LayoutTile& tile) { return tile.mid == mid_text; });
    parsed.push_back({mid_text, {static_cast<std::uint16_t>(w), static_cast<std::uint16_t>(h)}});
  }
  return parsed;
}

}  // namespace egovbox::media
