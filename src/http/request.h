// The HTTP request as domain code sees it: no Beast, no Asio.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "http/language.h"

namespace egovbox::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

// The body of a route that streams it (Route::streamed_body_limit): handed over as
// it arrives, so a large upload is never held whole in memory. Used by one worker
// thread at a time.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Up to `out.size()` bytes, blocking until some arrive; 0 at the end of the body.
  // Throws BodyStreamError when the body passes the route's limit or the client
  // goes away or stalls.
  virtual std::size_t Read(std::span<char> out) = 0;
  // The Content-Length, when the client sent one (not for a chunked body).
  virtual std::optional<std::uint64_t> declared_length() const = 0;
};

class BodyStreamError : public std::runtime_error {
 public:
  enum class Kind { kTooLarge, kBroken };
  BodyStreamError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

std::string_view MethodName(Method method);

// RFC 3986 §2.1 percent-decoding (with '+' as a space for query strings and form
// bodies when `plus_is_space`); nullopt for a broken escape or a decoded NUL.
std::optional<std::string> DecodePercentEncoded(std::string_view text, bool plus_is_space);
// POST, PUT, PATCH and DELETE change state and need the CSRF header.
bool ChangesState(Method method);

// Who made the request, as the Authenticator established it.
struct Principal {
  std::string subject_id;  // employee id
  std::string session_id;
  std::string csrf_token;
  std::vector<std::string> roles;
  // Set while the person must do something before anything else (change a
  // one-time password, enrol a second factor): the problem slug to answer with.
  std::string pending_step;
  // Set when an integration's API token made the request (BearerAuthenticator)
  // rather than a session: no cookie, no CSRF token, no roles; the routes it may
  // call are those whose Route::scopes it holds one of.
  std::string integration_id;
  std::string integration_name;
  std::vector<std::string> scopes;

  bool HasRole(std::string_view role) const;
  bool ViaBearerToken() const { return !integration_id.empty(); }
};

struct Request {
  Method method = Method::kGet;
  std::string method_name;                     // as sent, for logs and 405 answers
  std::string target;                          // path and query, as sent
  std::string path;                            // percent-decoded path, without the query
  std::map<std::string, std::string> query;    // decoded parameters; the last of repeated names wins
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;                            // empty for a streamed body
  BodyStream* body_stream = nullptr;           // set only for a route that streams its body
  std::string client_address;
  Language language = Language::kBulgarian;

  // Filled by the router and the authenticator.
  std::map<std::string, std::string> path_params;
  std::optional<Principal> principal;

  std::string_view Header(const std::string& lower_case_name) const;
  std::optional<std::string> QueryParam(const std::string& name) const;
  std::optional<std::string> Cookie(std::string_view name) const;
  const std::string& PathParam(const std::string& name) const { return path_params.at(name); }
};

// Splits "/a%20b?x=1&y=%D0%B0" into a decoded path and decoded query parameters.
// Returns false for a target that is not origin-form or does not decode.
bool ParseTarget(std::string_view target, std::string& path, std::map<std::string, std::string>& query);

}  // namespace egovbox::http
