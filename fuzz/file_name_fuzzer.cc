// Fuzz target for documents::SanitiseFileName, which cleans the name of every
// upload, and ContentDisposition, which sends it back. Invariants: the name is
// valid UTF-8 of 1 to 200 bytes with no control character (C0, DEL, C1), no
// bidirectional control, no '/' or '\', and no leading or trailing dot or space;
// cleaning it again changes nothing; the header value is printable ASCII.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "documents/file_name.h"

namespace {

// Decodes strictly (no overlong forms, surrogates or values past U+10FFFF) and
// checks each character; false for anything invalid or forbidden.
bool ValidAndClean(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    int length = 0;
    char32_t c = 0;
    if (lead < 0x80) {
      length = 1;
      c = lead;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      c = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      c = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      c = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      c = (c << 6) | (next & 0x3F);
    }
    if ((length == 3 && c < 0x800) || (length == 4 && (c < 0x10000 || c > 0x10FFFF))) return false;
    if (c >= 0xD800 && c <= 0xDFFF) return false;
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return false;
    if (c == '/' || c == '\\') return false;
    if (c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
      return false;
    }
    i += static_cast<std::size_t>(length);
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using egovbox::documents::ContentDisposition;
  using egovbox::documents::SanitiseFileName;
  const std::string_view name(reinterpret_cast<const char*>(data), size);
  const std::string clean = SanitiseFileName(name);
  if (clean.empty() || clean.size() > 200 || !ValidAndClean(clean)) __builtin_trap();
  for (const char edge : {clean.front(), clean.back()}) {
    if (edge == '.' || edge == ' ') __builtin_trap();
  }
  if (SanitiseFileName(clean) != clean) __builtin_trap();

  const std::string header = ContentDisposition("attachment", clean);
  for (const char c : header) {
    if (c < 0x20 || c > 0x7E) __builtin_trap();
  }
  // The fallback is one quoted-string: exactly two quotes in the whole value.
  std::size_t quotes = 0;
  for (const char c : header) quotes += c == '"' ? 1 : 0;
  if (quotes != 2) __builtin_trap();
  return 0;
}
