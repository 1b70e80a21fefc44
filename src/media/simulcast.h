// Simulcast (docs/media.md "Simulcast"): the parts of it that are plain logic,
// kept apart from the worker so they are tested on their own.
//
// - LayerMeter: a published layer's bitrate over ~1 s windows, whether it is
//   being received, and the picture size of its last VP8 keyframe.
// - LayerSelector: per subscriber section, the layer to forward, from the
//   subscriber's bandwidth share (REMB), its reported loss and the size of the
//   tile that shows the video, with hysteresis: it starts on the largest layer
//   that fits the tile; goes down at once when the tile shrinks, when loss is
//   high, or when the estimate falls under the layer's rate; goes up one layer
//   at a time after a few seconds of headroom (no loss, and an estimate that
//   carries the next layer or is well above the current one's rate), waiting
//   longer after an attempt that brought loss.
// - Vp8PictureRewriter: per output stream, VP8 picture IDs (RFC 7741 §4.2, 7 or
//   15 bits) and TL0PICIDX kept continuous when the source behind it changes.
// - ParseLayoutTiles: the page's media.layout tiles, validated and bounded.
//
// Plain values; no allocation on the packet path (LayerMeter::Add,
// Vp8PictureRewriter::Rewrite), nothing throws. One object is used on one thread.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace egovbox::media {

// Three encodings at most per camera (docs/media.md).
inline constexpr std::size_t kMaxSimulcastLayers = 3;

class LayerMeter {
 public:
  using Clock = std::chrono::steady_clock;

  // One packet of the layer (`bytes` of RTP, header included); a VP8 payload
  // that begins a keyframe updates the picture size.
  void Add(std::size_t bytes, std::span<const std::uint8_t> vp8_payload, Clock::time_point now) noexcept;
  // Bits per second over the last complete window (0 before one).
  std::uint32_t bitrate() const { return bitrate_; }
  // A packet came within the last second.
  bool Active(Clock::time_point now) const { return received_ && now - last_packet_ < kWindow; }
  std::uint16_t width() const { return width_; }  // 0 before the first keyframe
  std::uint16_t height() const { return height_; }

 private:
  static constexpr Clock::duration kWindow = std::chrono::seconds(1);
  bool received_ = false;
  Clock::time_point window_start_{};
  Clock::time_point last_packet_{};
  std::uint64_t window_bytes_ = 0;
  std::uint32_t bitrate_ = 0;
  std::uint16_t width_ = 0;
  std::uint16_t height_ = 0;
};

// RFC 6386 §9.1: the picture size in a VP8 keyframe's uncompressed header;
// nullopt when `vp8_payload` (after the payload descriptor) does not start one.
struct PictureSize {
  std::uint16_t width = 0;
  std::uint16_t height = 0;
};
std::optional<PictureSize> Vp8KeyframeSize(std::span<const std::uint8_t> vp8_payload) noexcept;

// What the selector knows of one layer.
struct LayerInfo {
  bool active = false;        // being received now
  std::uint32_t bitrate = 0;  // bits per second
  std::uint16_t width = 0;    // 0: not known yet
  std::uint16_t height = 0;
};

struct SelectionInput {
  std::span<const LayerInfo> layers;       // lowest first
  std::optional<std::uint64_t> available;  // this section's share of the estimate; nullopt: none
  std::optional<double> loss;              // the subscriber's last reported fraction lost (0..1), recent only
  std::optional<PictureSize> tile;         // the tile's size in CSS pixels; nullopt: not reported
};

class LayerSelector {
 public:
  using Clock = std::chrono::steady_clock;

  // Loss above this is "high": down one layer at once; below kLowLoss it is headroom.
  static constexpr double kHighLoss = 0.10;
  static constexpr double kLowLoss = 0.02;
  // Headroom must last this long before going up a layer.
  static constexpr Clock::duration kUpDelay = std::chrono::seconds(3);
  // After going down, the wait before the next attempt up; doubled (up to the
  // maximum) when an attempt up was followed by going down again soon after.
  static constexpr Clock::duration kInitialHold = std::chrono::seconds(3);
  static constexpr Clock::duration kMaxHold = std::chrono::seconds(12);
  static constexpr Clock::duration kFailedUpWindow = std::chrono::seconds(8);
  // A layer fits a tile when its width or its height is at most this much larger.
  static constexpr double kTileSlack = 1.25;
  // Going up needs the next layer's rate under this share of the available rate,
  // or the available rate this many times the current layer's (the estimate is
  // at the receiver's ceiling, not limited by the link).
  static constexpr double kUpHeadroom = 0.9;
  static constexpr double kUnlimitedShare = 1.2;
  // An estimate under this share of the previous one is falling (congestion).
  static constexpr double kFallingShare = 0.95;

  // The layer to forward from now on (-1 when no layer is received); `current`
  // is the one being forwarded (-1 for none yet).
  int Select(const SelectionInput& input, int current, Clock::time_point now);
  int target() const { return target_; }

 private:
  int target_ = -1;
  Clock::time_point last_down_{};
  Clock::time_point last_up_{};
  Clock::time_point headroom_since_{};
  bool headroom_ = false;
  Clock::duration hold_ = kInitialHold;
  std::optional<std::uint64_t> last_available_;
};

// VP8 picture IDs and TL0PICIDX of one output stream. When the source SSRC
// changes (a layer switch, on a keyframe) the offsets are chosen so the output
// continues one past the last values sent; within one source the mapping is a
// fixed offset, so a retransmitted packet gets the same values again.
class Vp8PictureRewriter {
 public:
  // Rewrites the payload descriptor at the start of `payload` in place; a payload
  // without picture ID or TL0PICIDX keeps what it has.
  void Rewrite(std::span<std::uint8_t> payload, std::uint32_t source_ssrc) noexcept;

 private:
  bool started_ = false;
  std::uint32_t source_ssrc_ = 0;
  std::uint16_t picture_offset_ = 0;
  std::uint8_t tl0_offset_ = 0;
  std::uint16_t last_picture_ = 0;  // as sent, 15 bits
  std::uint8_t last_tl0_ = 0;
  bool has_picture_ = false;
  bool has_tl0_ = false;
};

// A subscriber section's simulcast state (SubscribeSection::simulcast).
struct SimulcastForwarding {
  int current = -1;  // the layer forwarded; -1: none yet
  LayerSelector selector;
  Vp8PictureRewriter pictures;
  std::optional<PictureSize> tile;  // from media.layout
  std::optional<double> loss;       // the subscriber's last report for this section
  std::chrono::steady_clock::time_point loss_at{};
};

// media.layout's tiles: [{mid, width, height}], at most kMaxLayoutTiles, mid an
// SDP token of at most 32 characters, width and height integers 0..16384. A
// tile of a mid named twice counts once (the last). nullopt when invalid.
inline constexpr std::size_t kMaxLayoutTiles = 64;
struct LayoutTile {
  std::string mid;
  PictureSize size;
};
std::optional<std::vector<LayoutTile>> ParseLayoutTiles(const nlohmann::json& tiles);

}  // namespace egovbox::media
