// The rules an integration request must meet before it is stored
// (docs/integrations.md): which fields each level needs, which it must leave
// empty, https URLs and exact origins, the scopes a level may ask for, known
// roles and existing departments. Pure apart from the department check the
// caller passes in; thread-safe.
#pragma once

#include <functional>
#include <string>

#include "http/problem.h"
#include "integrations/integration.h"

namespace egovbox::integrations {

inline constexpr std::size_t kMaxNameBytes = 200;
inline constexpr std::size_t kMaxOwnerBytes = 300;
inline constexpr std::size_t kMaxPurposeBytes = 4000;
inline constexpr std::size_t kMaxUrlBytes = 2000;
inline constexpr std::size_t kMaxListItems = 20;
inline constexpr std::size_t kMaxReasonBytes = 2000;

// The request with its text trimmed and its lists freed of duplicates (first
// occurrence kept), or the first rule it breaks as a 400 problem whose "field"
// names the JSON member: invalid-field (wrong type, too long, control
// characters), integration-field-required, integration-level-unknown,
// integration-url-invalid, integration-origin-invalid,
// integration-launch-origin-unlisted, integration-field-not-for-level,
// integration-scope-not-allowed, integration-openid-required,
// integration-role-unknown, integration-department-unknown.
http::Result<IntegrationInput> ValidateRequest(IntegrationInput input,
                                               const std::function<bool(const std::string&)>& department_exists);

}  // namespace egovbox::integrations
