#include "identity/text_folding.h"

namespace egovbox::identity {
namespace {

// Decodes one code point at `at`; returns its length (1 for an invalid byte, with cp = 0xFFFD).
// RFC 3629 §3: overlong forms, UTF-16 surrogates and values above U+10FFFF are invalid.
std::size_t Decode(std::string_view text, std::size_t at, char32_t& cp) {
  const auto byte = static_cast<unsigned char>(text[at]);
  std::size_t length = 1;
  if (byte < 0x80) {
    cp = byte;
    return 1;
  }
  if ((byte & 0xE0) == 0xC0) {
    length = 2;
    cp = byte & 0x1F;
  } else if ((byte & 0xF0) == 0xE0) {
    length = 3;
    cp = byte & 0x0F;
  } else if ((byte & 0xF8) == 0xF0) {
    length = 4;
    cp = byte & 0x07;
  } else {
    cp = 0xFFFD;
    return 1;
  }
  if (at + length > text.size()) {
    cp = 0xFFFD;
    return 1;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[at + i]);
    if ((next & 0xC0) != 0x80) {
      cp = 0xFFFD;
      return 1;
    }
    cp = (cp << 6) | (next & 0x3F);
  }
  static constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kSmallest[length] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    cp = 0xFFFD;
    return 1;
  }
  return length;
}

void Encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

char32_t Fold(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0x0410 && cp <= 0x042F) return cp + 0x20;  // А..Я
  if (cp >= 0x0400 && cp <= 0x040F) return cp + 0x50;  // Ѐ..Џ
  return cp;
}

bool IsLetter(char32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0x0400 && cp <= 0x04FF) ||
         (cp >= 0x00C0 && cp <= 0x024F && cp != 0x00D7 && cp != 0x00F7);
}

}  // namespace

std::string FoldCase(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t at = 0; at < utf8.size();) {
    char32_t cp;
    at += Decode(utf8, at, cp);
    Encode(Fold(cp), out);
  }
  return out;
}

std::u32string DecodeUtf8(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  for (std::size_t at = 0; at < utf8.size();) {
    char32_t cp;
    at += Decode(utf8, at, cp);
    out.push_back(cp);
  }
  return out;
}

std::size_t CodePointCount(std::string_view utf8) {
  std::size_t count = 0;
  for (std::size_t at = 0; at < utf8.size(); ++count) {
    char32_t cp;
    at += Decode(utf8, at, cp);
  }
  return count;
}

std::vector<std::string> NameParts(std::string_view utf8) {
  std::vector<std::string> parts;
  std::string current;
  for (std::size_t at = 0; at < utf8.size();) {
    char32_t cp;
    at += Decode(utf8, at, cp);
    if (IsLetter(cp)) {
      Encode(Fold(cp), current);
    } else if (!current.empty()) {
      parts.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) parts.push_back(std::move(current));
  return parts;
}

bool IsCleanText(std::string_view utf8) {
  for (std::size_t at = 0; at < utf8.size();) {
    char32_t cp;
    const std::size_t length = Decode(utf8, at, cp);
    if (cp == 0xFFFD && length == 1) return false;
    // C0 controls but tab, DEL, and the C1 controls U+0080..U+009F.
    if ((cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F)) return false;
    at += length;
  }
  return true;
}

std::optional<std::size_t> FirstInvalidUtf8Line(std::string_view text) {
  std::size_t line = 1;
  for (std::size_t at = 0; at < text.size();) {
    char32_t cp;
    const std::size_t length = Decode(text, at, cp);
    if (cp == 0xFFFD && length == 1) return line;
    if (cp == '\n') ++line;
    at += length;
  }
  return std::nullopt;
}

}  // namespace egovbox::identity
