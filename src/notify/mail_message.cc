#include "notify/mail_message.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <vector>

#include "crypto/encoding.h"

namespace egovbox::notify {
namespace {

constexpr std::string_view kCrlf = "\r\n";
// Base64 only ever produces [A-Za-z0-9+/=], and "=_" cannot occur in it, so a
// fixed boundary that starts with "=_" never appears inside a base64 part.
constexpr std::string_view kMixedBoundary = "=_egovbox-mixed";
constexpr std::string_view kAlternativeBoundary = "=_egovbox-alternative";
// RFC 2047 §2: an encoded-word is at most 75 characters. 39 bytes make 52 base64
// characters, 64 with "=?UTF-8?B?" and "?=", so even "Subject: " plus one word
// stays within the 76 characters a line with encoded-words may have.
constexpr std::size_t kEncodedWordBytes = 39;
// RFC 2045 §6.8: base64 lines of at most 76 characters.
constexpr std::size_t kBase64LineLength = 76;
constexpr std::size_t kMaxPlainHeaderText = 60;
constexpr std::size_t kMaxFilenameBytes = 120;

bool IsPrintableAscii(std::string_view text) {
  for (const unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// Header values lose their control characters: a CR or LF could otherwise start a
// new header (header injection).
std::string WithoutControls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out += (byte < 0x20 || byte == 0x7f) ? ' ' : c;
  }
  return out;
}

// Only the characters an address may carry in a header and in the envelope.
std::string SafeAddress(std::string_view address) {
  std::string out;
  for (const char c : address) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) continue;
    if (std::string_view("<>()[]\\,;:\"").find(c) != std::string_view::npos) continue;
    out += c;
  }
  return out;
}

// Length of the UTF-8 sequence that starts with `lead` (1 for a stray byte).
std::size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0) return lead <= 0xef ? 3 : 1;
  if (lead >= 0xc2) return 2;
  return 1;
}

// The longest prefix of `text` of at most `max_bytes` that does not cut a character.
std::size_t Utf8Prefix(std::string_view text, std::size_t max_bytes) {
  std::size_t end = 0;
  while (end < text.size()) {
    const std::size_t next = end + Utf8Length(static_cast<unsigned char>(text[end]));
    if (next > max_bytes || next > text.size()) break;
    end = next;
  }
  // A single character longer than the limit (impossible for sane limits): take it whole.
  if (end == 0 && !text.empty()) end = std::min(text.size(), Utf8Length(static_cast<unsigned char>(text[0])));
  return end;
}

// RFC 2047 "B" encoded-words, folded onto continuation lines; characters are never
// split between two words (RFC 2047 §5).
std::string EncodedWords(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const std::size_t take = Utf8Prefix(text, kEncodedWordBytes);
    if (!out.empty()) out += "\r\n ";
    out += fmt::format("=?UTF-8?B?{}?=", crypto::Base64Encode(text.substr(0, take)));
    text.remove_prefix(take);
  }
  return out;
}

// RFC 5322 unstructured text (Subject): as it is when short printable ASCII that
// cannot be mistaken for an encoded-word, else encoded-words.
std::string UnstructuredText(std::string_view raw) {
  std::string text = WithoutControls(raw);
  if (IsPrintableAscii(text) && text.size() <= kMaxPlainHeaderText && text.find("=?") == std::string::npos) {
    return text;
  }
  return EncodedWords(text);
}

// RFC 5322 §3.4 display name (a phrase): a quoted-string for short ASCII, else
// encoded-words (RFC 2047 §5 (3)).
std::string DisplayName(std::string_view raw) {
  const std::string name = WithoutControls(raw);
  if (IsPrintableAscii(name) && name.size() <= kMaxPlainHeaderText && name.find("=?") == std::string::npos) {
    std::string quoted = "\"";
    for (const char c : name) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    return quoted + '"';
  }
  return EncodedWords(name);
}

// "Name <address>", or the bare address without a name.
std::string Mailbox(std::string_view name, std::string_view address) {
  std::string safe_address = SafeAddress(address);
  const std::string trimmed = WithoutControls(name);
  if (trimmed.find_first_not_of(' ') == std::string::npos) return safe_address;
  // A new line for the address keeps every line of encoded-words short.
  return fmt::format("{}\r\n <{}>", DisplayName(name), safe_address);
}

// RFC 5322 §3.3: "Tue, 01 Dec 2026 08:00:00 +0000", with English names whatever
// the locale.
std::string MailDate(std::int64_t unix_seconds) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t time = unix_seconds;
  std::tm utc{};
  gmtime_r(&time, &utc);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", kDays[utc.tm_wday], utc.tm_mday, kMonths[utc.tm_mon],
                     utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

// Text with every line break (CRLF, CR or LF) as CRLF: the canonical form of text
// that RFC 2045 §6.8 asks for before base64.
std::string CanonicalLines(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += kCrlf;
    } else if (text[i] == '\n') {
      out += kCrlf;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Base64 in lines of 76 characters joined by CRLF, without a final CRLF.
std::string Base64Lines(std::string_view bytes) {
  const std::string encoded = crypto::Base64Encode(bytes);
  std::string out;
  out.reserve(encoded.size() + encoded.size() / kBase64LineLength * 2);
  for (std::size_t at = 0; at < encoded.size(); at += kBase64LineLength) {
    if (at > 0) out += kCrlf;
    out += std::string_view(encoded).substr(at, kBase64LineLength);
  }
  return out;
}

// A MIME parameter: name="value" for short printable ASCII; else RFC 2231
// "name*=UTF-8''percent-encoded", cut into numbered continuations (§3) so that no
// line grows long, and each piece ending on a whole %XX.
std::string Parameter(std::string_view name, std::string_view raw) {
  constexpr std::size_t kPiece = 50;
  const std::string value = WithoutControls(raw.substr(0, Utf8Prefix(raw, kMaxFilenameBytes)));
  if (IsPrintableAscii(value) && value.size() <= kPiece && value.find_first_of("\\\"") == std::string::npos) {
    return fmt::format("{}=\"{}\"", name, value);
  }
  std::vector<std::string> pieces(1);
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    const bool plain = (byte >= '0' && byte <= '9') || (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                       byte == '-' || byte == '.' || byte == '_';
    const std::string encoded = plain ? std::string(1, c) : fmt::format("%{:02X}", byte);
    if (pieces.back().size() + encoded.size() > kPiece) pieces.emplace_back();
    pieces.back() += encoded;
  }
  if (pieces.size() == 1) return fmt::format("{}*=UTF-8''{}", name, pieces.front());
  std::string out;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) out += ";\r\n ";
    out += fmt::format("{}*{}*={}{}", name, i, i == 0 ? "UTF-8''" : "", pieces[i]);
  }
  return out;
}

// A MIME entity: its header lines (each ending in CRLF) and its body (no final CRLF).
struct Entity {
  std::string headers;
  std::string body;
};

std::string Serialise(const Entity& entity) {
  return fmt::format("{}\r\n{}", entity.headers, entity.body);
}

Entity Base64Entity(std::string_view content_type, std::string_view bytes, std::string extra_headers = {}) {
  return {fmt::format("Content-Type: {}\r\nContent-Transfer-Encoding: base64\r\n{}", content_type, extra_headers),
          Base64Lines(bytes)};
}

// RFC 2046 §5.1.1: each part is preceded by "--boundary" and the last one followed
// by "--boundary--"; the CRLF before a delimiter belongs to the delimiter.
Entity Multipart(std::string_view subtype, std::string_view boundary, const std::vector<Entity>& parts) {
  Entity entity{fmt::format("Content-Type: multipart/{}; boundary=\"{}\"\r\n", subtype, boundary), {}};
  for (const auto& part : parts) entity.body += fmt::format("--{}\r\n{}\r\n", boundary, Serialise(part));
  entity.body += fmt::format("--{}--", boundary);
  return entity;
}

// The METHOD property of an iCalendar object ("REQUEST", "CANCEL"), or "".
std::string CalendarMethod(std::string_view calendar) {
  std::size_t at = 0;
  while (at < calendar.size()) {
    std::size_t end = calendar.find('\n', at);
    if (end == std::string_view::npos) end = calendar.size();
    std::string_view line = calendar.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, 7) == "METHOD:") {
      std::string method;
      for (const char c : line.substr(7)) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-') method += c;
      }
      return method;
    }
    at = end + 1;
  }
  return {};
}

std::string MessageIdDomain(std::string_view from_address) {
  const std::string address = SafeAddress(from_address);
  const auto at = address.rfind('@');
  if (at == std::string::npos || at + 1 == address.size()) return "egovbox.invalid";
  return address.substr(at + 1);
}

}  // namespace

bool IsMailAddress(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  if (address.find('@') != at) return false;
  return SafeAddress(address) == address;
}

std::string BuildMimeMessage(const MailMessage& message, const std::string& from_address, const std::string& from_name,
                             std::int64_t now, const std::string& message_id) {
  Entity body = Base64Entity("text/plain; charset=utf-8", CanonicalLines(message.text));
  if (message.alternative_calendar) {
    const std::string method = CalendarMethod(*message.alternative_calendar);
    const std::string type = method.empty() ? "text/calendar; charset=utf-8"
                                            : fmt::format("text/calendar; charset=utf-8; method={}", method);
    body = Multipart("alternative", kAlternativeBoundary,
                     {body, Base64Entity(type, CanonicalLines(*message.alternative_calendar))});
  }
  if (message.attachment) {
    const MailAttachment& attachment = *message.attachment;
    std::string type = WithoutControls(attachment.content_type);
    if (type.find_first_not_of(' ') == std::string::npos) type = "application/octet-stream";
    body = Multipart(
        "mixed", kMixedBoundary,
        {body, Base64Entity(fmt::format("{};\r\n {}", type, Parameter("name", attachment.filename)), attachment.content,
                            fmt::format("Content-Disposition: attachment;\r\n {}\r\n",
                                        Parameter("filename", attachment.filename)))});
  }

  std::string id = SafeAddress(message_id);
  if (id.find('@') == std::string::npos) id = fmt::format("{}@{}", id, MessageIdDomain(from_address));

  std::string out;
  out += fmt::format("Date: {}\r\n", MailDate(now));
  out += fmt::format("From: {}\r\n", Mailbox(from_name, from_address));
  out += fmt::format("To: {}\r\n", Mailbox(message.to_name, message.to_address));
  out += fmt::format("Subject: {}\r\n", UnstructuredText(message.subject));
  out += fmt::format("Message-ID: <{}>\r\n", id);
  out += "MIME-Version: 1.0\r\n";
  // RFC 3834 §5: tells auto-responders not to answer.
  out += "Auto-Submitted: auto-generated\r\n";
  out += Serialise(body);
  out += kCrlf;
  return out;
}

}  // namespace egovbox::notify
