#include "media/packet_kind.h"

namespace egovbox::media {

std::string_view PacketKindName(PacketKind kind) noexcept {
  switch (kind) {
    case PacketKind::kStun: return "stun";
    case PacketKind::kDtls: return "dtls";
    case PacketKind::kRtp: return "rtp";
    case PacketKind::kRtcp: return "rtcp";
    case PacketKind::kUnknown: break;
  }
  return "unknown";
}

}  // namespace egovbox::media
