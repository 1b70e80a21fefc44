#include "documents/file_name.h"

#include <cstdint>

namespace egovbox::documents {
namespace {

constexpr std::size_t kMaxNameBytes = 200;
// A longer "extension" is just part of the name, cut like the rest.
constexpr std::size_t kMaxExtensionBytes = 20;
constexpr char32_t kReplacement = 0xFFFD;
constexpr std::string_view kFallbackName = "document";

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Decodes one character at `text[i]` and advances `i`. An ill-formed sequence gives
// U+FFFD for its maximal subpart (Unicode §3.9, as the WHATWG decoder does): no
// overlong forms, no surrogates, nothing above U+10FFFF.
char32_t DecodeUtf8(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i++]);
  if (lead < 0x80) return lead;
  int needed = 0;
  char32_t c = 0;
  unsigned char lower = 0x80;
  unsigned char upper = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    needed = 1;
    c = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    needed = 2;
    c = lead & 0x0F;
    if (lead == 0xE0) lower = 0xA0;
    if (lead == 0xED) upper = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    needed = 3;
    c = lead & 0x07;
    if (lead == 0xF0) lower = 0x90;
    if (lead == 0xF4) upper = 0x8F;
  } else {
    return kReplacement;
  }
  for (; needed > 0; --needed) {
    if (i >= text.size()) return kReplacement;
    const auto next = static_cast<unsigned char>(text[i]);
    if (next < lower || next > upper) return kReplacement;  // `next` starts the next character
    lower = 0x80;
    upper = 0xBF;
    c = (c << 6) | (next & 0x3F);
    ++i;
  }
  return c;
}

bool Dropped(char32_t c) {
  // C0, DEL and C1 controls.
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return true;
  // Unicode's Bidi_Control characters (marks, embeddings, overrides, isolates): an
  // override such as U+202E makes "exe.pdf" show as "fdp.exe".
  if (c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
    return true;
  }
  // The line and paragraph separators break a name over lines, as LF would.
  return c == 0x2028 || c == 0x2029;
}

bool Trimmed(char c) {
  return c == '.' || c == ' ';
}

void TrimEnd(std::string& text) {
  while (!text.empty() && Trimmed(text.back())) text.pop_back();
}

// The longest prefix of `text` of at most `limit` bytes that ends on a character boundary.
std::string_view CutOnBoundary(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// RFC 8187 §3.2.1 attr-char: what filename* may carry without percent-encoding.
bool IsAttrChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '&':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
  }
}

}  // namespace

std::string SanitiseFileName(std::string_view name) {
  const auto separator = name.find_last_of("/\\");
  if (separator != std::string_view::npos) name.remove_prefix(separator + 1);

  std::string clean;
  clean.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    const char32_t c = DecodeUtf8(name, i);
    if (!Dropped(c)) AppendUtf8(clean, c);
  }

  // Leading dots would make a hidden file of a download; "." and ".." end up empty.
  std::size_t start = 0;
  while (start < clean.size() && Trimmed(clean[start])) ++start;
  clean.erase(0, start);
  TrimEnd(clean);

  if (clean.size() > kMaxNameBytes) {
    std::string_view extension;
    const auto dot = clean.rfind('.');
    if (dot != std::string::npos && dot > 0 && clean.size() - dot <= kMaxExtensionBytes) {
      extension = std::string_view(clean).substr(dot);
    }
    const std::string_view stem = CutOnBoundary(std::string_view(clean).substr(0, clean.size() - extension.size()),
                                                kMaxNameBytes - extension.size());
    std::string cut(stem);
    if (extension.empty()) TrimEnd(cut);
    cut += extension;
    clean = std::move(cut);
  }
  if (clean.empty()) return std::string(kFallbackName);
  return clean;
}

std::string ContentDisposition(std::string_view disposition, const std::string& sanitised_name) {
  const std::string_view name = sanitised_name.empty() ? kFallbackName : std::string_view(sanitised_name);

  // The quoted-string fallback for clients without RFC 8187: one '_' per non-ASCII
  // character, and none of the characters that could end or escape the string or the
  // parameter. '%' too, which some clients would percent-decode (RFC 6266 Appendix D).
  std::string fallback;
  for (std::size_t i = 0; i < name.size();) {
    const char32_t c = DecodeUtf8(name, i);
    const bool unsafe = c >= 0x7F || c < 0x20 || c == '"' || c == '\\' || c == ';' || c == '%';
    fallback += unsafe ? '_' : static_cast<char>(c);
  }

  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char byte : name) {
    const auto c = static_cast<unsigned char>(byte);
    if (IsAttrChar(c)) {
      encoded += byte;
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0x0F];
    }
  }

  std::string value(disposition);
  value += "; filename=\"";
  value += fallback;
  value += "\"; filename*=UTF-8''";
  value += encoded;
  return value;
}

}  // namespace egovbox::documents
