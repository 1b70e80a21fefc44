// Which end of the DTLS handshake the server plays on one peer connection
// (RFC 5763 §5: `a=setup` in the SDP decides it).
#pragma once

#include <cstdint>

namespace egovbox::media {

enum class DtlsRole : std::uint8_t { kClient, kServer };

}  // namespace egovbox::media
