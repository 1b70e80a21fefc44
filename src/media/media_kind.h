// What a track carries and where it comes from, as the SDP and the signaling name them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace egovbox::media {

enum class MediaKind : std::uint8_t { kAudio, kVideo };

constexpr std::string_view MediaKindName(MediaKind kind) {
  return kind == MediaKind::kAudio ? "audio" : "video";
}

constexpr std::optional<MediaKind> MediaKindFromName(std::string_view name) {
  if (name == "audio") return MediaKind::kAudio;
  if (name == "video") return MediaKind::kVideo;
  return std::nullopt;
}

// The device behind a published track.
enum class TrackSource : std::uint8_t { kMicrophone, kCamera, kScreen };
inline constexpr std::size_t kTrackSourceCount = 3;

constexpr std::string_view TrackSourceName(TrackSource source) {
  switch (source) {
    case TrackSource::kMicrophone: return "microphone";
    case TrackSource::kCamera: return "camera";
    case TrackSource::kScreen: return "screen";
  }
  return "camera";
}

constexpr std::optional<TrackSource> TrackSourceFromName(std::string_view name) {
  if (name == "microphone") return TrackSource::kMicrophone;
  if (name == "camera") return TrackSource::kCamera;
  if (name == "screen") return TrackSource::kScreen;
  return std::nullopt;
}

constexpr MediaKind KindOfSource(TrackSource source) {
  return source == TrackSource::kMicrophone ? MediaKind::kAudio : MediaKind::kVideo;
}

}  // namespace egovbox::media
