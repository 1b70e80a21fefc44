#include "integrations/web_origin.h"

#include <algorithm>
#include <cstdint>

namespace egovbox::integrations {
namespace {

constexpr std::string_view kScheme = "https://";
constexpr std::string_view kDefaultPort = "443";
constexpr std::size_t kMaxUrlLength = 2000;
constexpr std::size_t kMaxHostLength = 253;  // RFC 1035 §2.3.4, as text
constexpr std::size_t kMaxLabelLength = 63;
constexpr std::uint32_t kMaxPort = 65535;
constexpr std::size_t kMaxPortDigits = 5;
constexpr std::uint32_t kDecimalBase = 10;

bool IsLowerAlpha(char c) {
  return c >= 'a' && c <= 'z';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 3986 §2: unreserved, reserved and '%' (followed by two hex digits, checked below).
bool IsUrlCharacter(char c) {
  if (IsLowerAlpha(c) || IsDigit(c) || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("-._~:/?#[]@!$&'()*+,;=%").find(c) != std::string_view::npos;
}

bool PercentEncodingValid(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') continue;
    if (i + 2 >= text.size()) return false;
    if (!IsHexDigit(text[i + 1]) || !IsHexDigit(text[i + 2])) return false;
    i += 2;
  }
  return true;
}

// A DNS name in lower case (letters, digits, inner hyphens), an IPv4 address
// (which has the same shape), or an IPv6 literal in brackets.
bool IsHost(std::string_view host) {
  if (host.empty() || host.size() > kMaxHostLength) return false;
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return false;
    const auto inner = host.substr(1, host.size() - 2);
    return std::all_of(inner.begin(), inner.end(), [](char c) { return IsHexDigit(c) || c == ':' || c == '.'; }) &&
           inner.find(':') != std::string_view::npos;
  }
  std::size_t start = 0;
  for (;;) {
    const auto dot = host.find('.', start);
    const auto label = host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > kMaxLabelLength) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    if (!std::all_of(label.begin(), label.end(), [](char c) { return IsLowerAlpha(c) || IsDigit(c) || c == '-'; })) {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// 1..65535, digits only, no leading zero.
bool IsPort(std::string_view port) {
  if (port.empty() || port.size() > kMaxPortDigits || port.front() == '0') return false;
  std::uint32_t value = 0;
  for (char c : port) {
    if (!IsDigit(c)) return false;
    value = value * kDecimalBase + static_cast<std::uint32_t>(c - '0');
  }
  return value <= kMaxPort;
}

struct Authority {
  std::string_view host;
  std::string_view port;  // empty when none
};

// Splits "host[:port]"; nullopt when either part is not valid.
std::optional<Authority> ParseAuthority(std::string_view authority) {
  Authority parts;
  std::size_t colon = std::string_view::npos;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      colon = close + 1;
    }
  } else {
    colon = authority.find(':');
  }
  parts.host = authority.substr(0, colon);
  if (colon != std::string_view::npos) {
    parts.port = authority.substr(colon + 1);
    if (!IsPort(parts.port)) return std::nullopt;
  }
  if (!IsHost(parts.host)) return std::nullopt;
  return parts;
}

// The authority of an https URL, or nullopt.
std::optional<Authority> UrlAuthority(std::string_view url) {
  if (url.size() > kMaxUrlLength || !url.starts_with(kScheme)) return std::nullopt;
  if (!std::all_of(url.begin(), url.end(), IsUrlCharacter) || !PercentEncodingValid(url)) return std::nullopt;
  const auto rest = url.substr(kScheme.size());
  const auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no user information
  return ParseAuthority(authority);
}

}  // namespace

bool IsHttpsUrl(std::string_view url) {
  return UrlAuthority(url).has_value();
}

bool IsRedirectUri(std::string_view url) {
  return IsHttpsUrl(url) && url.find('#') == std::string_view::npos;
}

bool IsExactOrigin(std::string_view origin) {
  if (!origin.starts_with(kScheme) || origin.size() > kMaxUrlLength) return false;
  const auto authority = origin.substr(kScheme.size());
  if (authority.find_first_of("/?#@") != std::string_view::npos) return false;
  const auto parts = ParseAuthority(authority);
  return parts && parts->port != kDefaultPort;
}

std::optional<std::string> OriginOf(std::string_view url) {
  const auto parts = UrlAuthority(url);
  if (!parts) return std::nullopt;
  std::string origin = std::string(kScheme) + std::string(parts->host);
  if (!parts->port.empty() && parts->port != kDefaultPort) origin += ":" + std::string(parts->port);
  return origin;
}

}  // namespace egovbox::integrations
