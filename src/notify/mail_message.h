// An e-mail as the domain modules describe it, and the RFC 5322 + MIME text that
// is stored in the outbox and sent as it is.
//
// Written here rather than taken from a library: Debian has no small C/C++ library
// that builds MIME messages (vmime and gmime bring their own transports, parsers
// and much more), and what we need is a fixed shape — a UTF-8 text, optionally an
// iCalendar alternative and one attachment — which is a few pages of code.
//
// The message is 7-bit ASCII with CRLF line endings and no line over 78
// characters: every body part is base64, non-ASCII header text uses RFC 2047
// encoded-words, non-ASCII file names RFC 2231. Header values lose their control
// characters (CR and LF among them), so no input can add a header or a part.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace egovbox::notify {

struct MailAttachment {
  std::string filename;      // UTF-8; "invitation.ics"
  std::string content_type;  // "text/calendar; method=REQUEST; charset=utf-8"
  std::string content;       // the bytes
};

struct MailMessage {
  std::string to_address;  // "ivan@example.org"
  std::string to_name;     // UTF-8 display name; may be empty
  std::string subject;     // UTF-8
  std::string text;        // UTF-8 plain text; line breaks become CRLF
  std::optional<MailAttachment> attachment;
  // An iCalendar object (RFC 5545) sent as a text/calendar alternative to the
  // text, which calendar clients show as an invitation with buttons. Its METHOD
  // becomes the part's "method" parameter (RFC 6047 §2.4).
  std::optional<std::string> alternative_calendar;
};

// True for an address this server may send to: "local@domain", no spaces, no
// control characters, none of <>()[]\,;:" and at most 254 characters. A loose
// check by design (the SMTP server has the last word); it keeps out what could
// break the envelope or a header.
bool IsMailAddress(std::string_view address);

// The whole message, ready for SMTP DATA. `message_id` is "left@right" or just a
// unique "left" part, to which "@" and the domain of `from_address` are added.
// `now` (Unix seconds) becomes the Date header, in UTC.
std::string BuildMimeMessage(const MailMessage& message, const std::string& from_address, const std::string& from_name,
                             std::int64_t now, const std::string& message_id);

}  // namespace egovbox::notify
