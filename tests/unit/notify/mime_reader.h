// Just enough of a MIME reader to check what notify::BuildMimeMessage writes:
// header unfolding, RFC 2047 "B" decoding, base64 bodies and multipart splitting.
// Test code only; strict where the builder must be (CRLF, boundaries).
#pragma once

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace egovbox::notify::test {

inline std::string DecodeBase64(std::string_view text) {
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0;
  unsigned value = 0;
  for (const char c : text) {
    if (c == '\r' || c == '\n') continue;
    if (c == '=') break;
    const auto index = kAlphabet.find(c);
    if (index == std::string::npos) throw std::runtime_error("not base64");
    value = (value << 6) | static_cast<unsigned>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((value >> bits) & 0xff);
    }
  }
  return out;
}

// Decodes every "=?UTF-8?B?...?=" in a header value; the whitespace between two
// adjacent encoded-words is dropped (RFC 2047 §6.2).
inline std::string DecodeWords(std::string_view value) {
  std::string out;
  bool previous_was_word = false;
  std::string pending_space;
  while (!value.empty()) {
    if (value.substr(0, 10) == "=?UTF-8?B?") {
      const auto end = value.find("?=", 10);
      if (end == std::string_view::npos) throw std::runtime_error("unterminated encoded-word");
      if (!previous_was_word) out += pending_space;
      pending_space.clear();
      out += DecodeBase64(value.substr(10, end - 10));
      value.remove_prefix(end + 2);
      previous_was_word = true;
    } else if (value.front() == ' ') {
      pending_space += ' ';
      value.remove_prefix(1);
    } else {
      out += pending_space;
      pending_space.clear();
      out += value.front();
      value.remove_prefix(1);
      previous_was_word = false;
    }
  }
  return out + pending_space;
}

struct Entity {
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case name, unfolded value
  std::string body;

  std::string Header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) return value;
    }
    return {};
  }
  int Count(const std::string& name) const {
    return static_cast<int>(
        std::count_if(headers.begin(), headers.end(), [&](const auto& header) { return header.first == name; }));
  }
};

inline Entity ParseEntity(std::string_view text) {
  const auto split = text.find("\r\n\r\n");
  if (split == std::string_view::npos) throw std::runtime_error("no blank line after the headers");
  Entity entity;
  entity.body = std::string(text.substr(split + 4));
  std::string_view head = text.substr(0, split + 2);
  while (!head.empty()) {
    const auto end = head.find("\r\n");
    const std::string_view line = head.substr(0, end);
    head.remove_prefix(end + 2);
    if (line.front() == ' ' || line.front() == '\t') {
      // RFC 5322 §2.2.3: unfolding removes the CRLF, keeps the whitespace.
      entity.headers.back().second += std::string(line);
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) throw std::runtime_error("header line without a colon");
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value(line.substr(colon + 1));
    value.erase(0, value.find_first_not_of(' '));
    entity.headers.emplace_back(std::move(name), std::move(value));
  }
  return entity;
}

// The value of `name=` or `name="..."` in a structured header such as Content-Type.
inline std::string Parameter(const std::string& header, const std::string& name) {
  const auto at = header.find(name + "=");
  if (at == std::string::npos) return {};
  std::string_view rest = std::string_view(header).substr(at + name.size() + 1);
  if (!rest.empty() && rest.front() == '"') {
    std::string out;
    for (std::size_t i = 1; i < rest.size() && rest[i] != '"'; ++i) {
      if (rest[i] == '\\') ++i;
      out += rest[i];
    }
    return out;
  }
  return std::string(rest.substr(0, rest.find_first_of("; ")));
}

// The parts of a multipart body (RFC 2046 §5.1.1).
inline std::vector<Entity> SplitMultipart(const Entity& entity) {
  const std::string boundary = Parameter(entity.Header("content-type"), "boundary");
  if (boundary.empty()) throw std::runtime_error("no boundary");
  const std::string text = "\r\n" + entity.body;
  const std::string delimiter = "\r\n--" + boundary;
  std::vector<Entity> parts;
  std::size_t at = text.find(delimiter);
  if (at != 0) throw std::runtime_error("text before the first boundary");
  for (;;) {
    at += delimiter.size();
    if (text.compare(at, 2, "--") == 0) break;  // close-delimiter
    if (text.compare(at, 2, "\r\n") != 0) throw std::runtime_error("boundary not followed by CRLF");
    const auto next = text.find(delimiter, at + 2);
    if (next == std::string::npos) throw std::runtime_error("no close-delimiter");
    parts.push_back(ParseEntity(std::string_view(text).substr(at + 2, next - at - 2)));
    at = next;
  }
  return parts;
}

}  // namespace egovbox::notify::test
