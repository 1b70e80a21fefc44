// Text encodings of binary data: base64url (tokens), base32 (RFC 4648, for TOTP
// secrets that authenticator apps read) and hex (digests).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace egovbox::crypto {

std::string Base64UrlEncode(std::string_view bytes);  // unpadded
std::string Base64Encode(std::string_view bytes);     // padded, standard alphabet
// Unpadded base64url; nullopt on any other character.
std::optional<std::string> Base64UrlDecode(std::string_view text);
std::string Base32Encode(std::string_view bytes);  // RFC 4648, upper case, unpadded
// Accepts upper or lower case, ignores spaces and padding; nullopt on other characters.
std::optional<std::string> Base32Decode(std::string_view text);
std::string HexEncode(std::string_view bytes);

}  // namespace egovbox::crypto
