// The HTTP request as domain code sees it: no Beast, no Asio.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/language.h"

namespace egovbox::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view MethodName(Method method);
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

  bool HasRole(std::string_view role) const;
};

struct Request {
  Method method = Method::kGet;
  std::string method_name;                     // as sent, for logs and 405 answers
  std::string target;                          // path and query, as sent
  std::string path;                            // percent-decoded path, without the query
  std::map<std::string, std::string> query;    // decoded parameters; the last of repeated names wins
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
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
