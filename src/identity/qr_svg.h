// A QR code as an SVG image, through libqrencode (the only place that calls it):
// how the TOTP secret reaches a phone's authenticator app.
#pragma once

#include <string>
#include <string_view>

namespace egovbox::identity {

// Throws std::runtime_error if the text does not fit a QR code.
std::string QrCodeSvg(std::string_view text);

}  // namespace egovbox::identity
