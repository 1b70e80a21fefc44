// https URLs and origins as an integration request names them, checked strictly
// enough that an approved origin can go into a Content-Security-Policy as it is
// and a redirect URI can be compared byte for byte (docs/integrations.md).
//
// Written here rather than taken from a library: the rules are a narrow subset
// of RFC 3986 (https only, lower-case host, no user information) that the CSP
// and exact matching need, and the standard parsers accept far more. Pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace egovbox::integrations {

// An absolute https URL: "https://" host [":" port] [path] ["?" query] ["#"
// fragment], host in lower case (a DNS name, IPv4 address or [IPv6] literal),
// no user information, no spaces or characters RFC 3986 does not allow.
bool IsHttpsUrl(std::string_view url);
// The same without a fragment (RFC 6749 §3.1.2: a redirection URI has none).
bool IsRedirectUri(std::string_view url);
// An origin as a browser serialises it (RFC 6454 §6.2): "https://" host
// [":" port], no path, no trailing slash, and no ":443" (the default port).
bool IsExactOrigin(std::string_view origin);
// The origin of an https URL (RFC 6454 §4), ":443" dropped; nullopt when the URL
// is not one IsHttpsUrl accepts.
std::optional<std::string> OriginOf(std::string_view url);

}  // namespace egovbox::integrations
