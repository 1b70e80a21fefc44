#include "integrations/integration_request.h"

#include <algorithm>

#include "identity/employee.h"
#include "identity/text_folding.h"
#include "integrations/web_origin.h"

namespace egovbox::integrations {
namespace {

using http::MakeProblem;
using http::Problem;

std::string Trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// Valid UTF-8 without control characters; line breaks allowed where `multiline`.
bool IsClean(const std::string& text, bool multiline) {
  if (!multiline) return identity::IsCleanText(text);
  std::string flattened = text;
  std::replace_if(
      flattened.begin(), flattened.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return identity::IsCleanText(flattened);
}

std::optional<Problem> CheckText(std::string& text, const char* field, std::size_t max_bytes, bool multiline) {
  text = Trimmed(text);
  if (text.empty()) return MakeProblem(400, "integration-field-required", {{"field", field}});
  if (text.size() > max_bytes || !IsClean(text, multiline)) return http::InvalidField(field);
  return std::nullopt;
}

void RemoveDuplicates(std::vector<std::string>& list) {
  std::vector<std::string> unique;
  for (auto& item : list) {
    if (std::find(unique.begin(), unique.end(), item) == unique.end()) unique.push_back(std::move(item));
  }
  list = std::move(unique);
}

Problem NotForLevel(const char* field, const std::string& level) {
  return MakeProblem(400, "integration-field-not-for-level", {{"field", field}, {"level", level}});
}

std::optional<Problem> CheckLaunchUrl(IntegrationInput& input) {
  input.launch_url = Trimmed(input.launch_url);
  if (input.level == kLevelApi) {
    // An API client has nothing to open: no tile, no frame.
    if (!input.launch_url.empty()) return NotForLevel("launch_url", input.level);
    return std::nullopt;
  }
  if (input.launch_url.empty()) return MakeProblem(400, "integration-field-required", {{"field", "launch_url"}});
  if (input.launch_url.size() > kMaxUrlBytes || !IsHttpsUrl(input.launch_url)) {
    return MakeProblem(400, "integration-url-invalid", {{"field", "launch_url"}, {"value", input.launch_url}});
  }
  return std::nullopt;
}

std::optional<Problem> CheckOrigins(IntegrationInput& input) {
  RemoveDuplicates(input.origins);
  if (input.origins.size() > kMaxListItems) return http::InvalidField("origins");
  for (const auto& origin : input.origins) {
    if (!IsExactOrigin(origin)) {
      return MakeProblem(400, "integration-origin-invalid", {{"field", "origins"}, {"value", origin}});
    }
  }
  if (input.level == kLevelEmbed) {
    // The frame shows launch_url: without its origin in frame-src it would be blocked.
    const auto launch_origin = OriginOf(input.launch_url);
    if (std::find(input.origins.begin(), input.origins.end(), launch_origin.value_or("")) == input.origins.end()) {
      return MakeProblem(400, "integration-launch-origin-unlisted",
                         {{"field", "origins"}, {"origin", launch_origin.value_or("")}});
    }
  }
  return std::nullopt;
}

std::optional<Problem> CheckRedirectUris(IntegrationInput& input) {
  RemoveDuplicates(input.redirect_uris);
  if (input.level != kLevelSso) {
    if (!input.redirect_uris.empty()) return NotForLevel("redirect_uris", input.level);
    return std::nullopt;
  }
  if (input.redirect_uris.empty()) return MakeProblem(400, "integration-field-required", {{"field", "redirect_uris"}});
  if (input.redirect_uris.size() > kMaxListItems) return http::InvalidField("redirect_uris");
  for (const auto& uri : input.redirect_uris) {
    if (uri.size() > kMaxUrlBytes || !IsRedirectUri(uri)) {
      return MakeProblem(400, "integration-url-invalid", {{"field", "redirect_uris"}, {"value", uri}});
    }
  }
  return std::nullopt;
}

std::optional<Problem> CheckScopes(IntegrationInput& input) {
  RemoveDuplicates(input.scopes);
  const auto& allowed = AllowedScopes(input.level);
  for (const auto& scope : input.scopes) {
    if (std::find(allowed.begin(), allowed.end(), scope) == allowed.end()) {
      return MakeProblem(400, "integration-scope-not-allowed",
                         {{"field", "scopes"}, {"scope", scope}, {"level", input.level}});
    }
  }
  if (input.level == kLevelSso &&
      std::find(input.scopes.begin(), input.scopes.end(), kScopeOpenId) == input.scopes.end()) {
    return MakeProblem(400, "integration-openid-required", {{"field", "scopes"}});
  }
  if (input.level == kLevelApi && input.scopes.empty()) {
    return MakeProblem(400, "integration-field-required", {{"field", "scopes"}});
  }
  return std::nullopt;
}

std::optional<Problem> CheckVisibility(IntegrationInput& input,
                                       const std::function<bool(const std::string&)>& department_exists) {
  RemoveDuplicates(input.visible_roles);
  RemoveDuplicates(input.visible_departments);
  if (input.visible_roles.size() > kMaxListItems) return http::InvalidField("visible_roles");
  if (input.visible_departments.size() > kMaxListItems) return http::InvalidField("visible_departments");
  for (const auto& role : input.visible_roles) {
    if (!identity::IsKnownRole(role)) {
      return MakeProblem(400, "integration-role-unknown", {{"field", "visible_roles"}, {"role", role}});
    }
  }
  for (const auto& department : input.visible_departments) {
    if (!department_exists(department)) {
      return MakeProblem(400, "integration-department-unknown",
                         {{"field", "visible_departments"}, {"department", department}});
    }
  }
  return std::nullopt;
}

}  // namespace

http::Result<IntegrationInput> ValidateRequest(IntegrationInput input,
                                               const std::function<bool(const std::string&)>& department_exists) {
  if (auto problem = CheckText(input.name, "name", kMaxNameBytes, false)) return *problem;
  input.level = Trimmed(input.level);
  if (input.level.empty()) return MakeProblem(400, "integration-field-required", {{"field", "level"}});
  if (!IsLevel(input.level)) {
    return MakeProblem(400, "integration-level-unknown", {{"field", "level"}, {"level", input.level}});
  }
  if (auto problem = CheckText(input.owner, "owner", kMaxOwnerBytes, false)) return *problem;
  if (auto problem = CheckText(input.purpose, "purpose", kMaxPurposeBytes, true)) return *problem;
  if (auto problem = CheckLaunchUrl(input)) return *problem;
  if (auto problem = CheckOrigins(input)) return *problem;
  if (auto problem = CheckRedirectUris(input)) return *problem;
  if (auto problem = CheckScopes(input)) return *problem;
  if (auto problem = CheckVisibility(input, department_exists)) return *problem;
  return input;
}

}  // namespace egovbox::integrations
