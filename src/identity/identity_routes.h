// The identity module's HTTP API (see docs/api/openapi.yaml): session, me,
// sessions, second factor, the directory and employee administration.
#pragma once

#include "http/router.h"
#include "identity/account_service.h"
#include "identity/employee_service.h"
#include "identity/session_service.h"

namespace egovbox::identity {

void AddIdentityRoutes(http::Router& router, SessionService& sessions, AccountService& accounts,
                       EmployeeService& employees);
// Problem texts for this module's slugs.
void RegisterIdentityProblems();

}  // namespace egovbox::identity
