// application/x-www-form-urlencoded, as OAuth 2.0 sends its requests: the body of
// POST /oauth2/token and /oauth2/revoke, and the query of /oauth2/authorize
// (RFC 6749 §3.1, §3.2, Appendix B). Written here rather than taken from
// http::ParseTarget because OAuth needs what a query map loses: a parameter sent
// twice is an error (RFC 6749 §3.1 "MUST NOT be included more than once"), and a
// parameter sent empty counts as absent.
//
// Pure functions on strings; no allocation beyond the result; never throw.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace egovbox::integrations {

struct FormBody {
  std::map<std::string, std::string> values;  // decoded; empty values are left out
  std::string repeated;                       // the first name that came twice, "" when none

  // The value, or nullopt when absent (or sent empty).
  std::optional<std::string> Get(const std::string& name) const;
};

// Parses "a=1&b=x+y%21". nullopt for a malformed escape ("%4", "%zz") or a NUL
// byte. Pairs without '=' count as a name with an empty value.
std::optional<FormBody> ParseFormBody(std::string_view text);

// The percent-encoding of a form value or name (space as '+'), for building
// redirect URIs: unreserved characters (RFC 3986 §2.3) stay as they are.
std::string FormEncode(std::string_view text);

// Decodes one form-encoded component ('+' is a space), as in the user name and
// password of HTTP Basic client authentication (RFC 6749 §2.3.1). nullopt when malformed.
std::optional<std::string> FormDecode(std::string_view text);

}  // namespace egovbox::integrations
