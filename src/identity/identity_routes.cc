#include "identity/identity_routes.h"

#include "http/json_input.h"
#include "http/rfc3339.h"
#include "identity/personal_code.h"

namespace egovbox::identity {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::size_t kMaxSecretLength = 1024;  // passwords; far above the policy's maximum
constexpr std::size_t kMaxShortField = 64;      // codes

const std::vector<std::string> kAdministrators = {std::string(kRoleAdministrator)};

Actor ActorOf(const Request& request) {
  return {request.principal->subject_id, request.client_address, "api"};
}

json SessionJson(const std::string& csrf_token, bool must_change_password, bool must_enroll_totp) {
  return {{"csrf_token", csrf_token},
          {"must_change_password", must_change_password},
          {"must_enroll_totp", must_enroll_totp}};
}

json CreatedJson(const CreatedEmployee& created) {
  json out = DirectoryJson(created.employee);
  out["roles"] = created.employee.roles;
  out["one_time_password"] = created.one_time_password;
  return out;
}

// "roles": an array of strings (which roles exist is the service's rule).
http::Result<std::vector<std::string>> RolesField(const json& body) {
  const auto roles = body.find("roles");
  const auto invalid = http::InvalidField("roles");
  if (roles == body.end() || !roles->is_array()) return invalid;
  std::vector<std::string> names;
  for (const auto& role : *roles) {
    if (!role.is_string()) return invalid;
    names.push_back(role.get<std::string>());
  }
  return names;
}

Response SignIn(SessionService& sessions, Request& request) {
  auto body = http::ParseJsonObject(request);
  if (!body) return Response::FromProblem(body.problem());
  auto code = http::RequiredString(*body, "code", kMaxShortField);
  if (!code) return Response::FromProblem(code.problem());
  auto password = http::RequiredString(*body, "password", kMaxSecretLength);
  if (!password) return Response::FromProblem(password.problem());
  auto totp = http::OptionalString(*body, "totp", kMaxShortField);
  if (!totp) return Response::FromProblem(totp.problem());
  auto recovery = http::OptionalString(*body, "recovery_code", kMaxShortField);
  if (!recovery) return Response::FromProblem(recovery.problem());
  auto outcome = sessions.SignIn(
      {*code, *password, *totp, *recovery, request.client_address, std::string(request.Header("user-agent"))});
  if (!outcome) return Response::FromProblem(outcome.problem());
  Response response =
      Response::Json(200, SessionJson(outcome->csrf_token, outcome->must_change_password, outcome->must_enroll_totp));
  response.SetHeader("Set-Cookie", SessionService::SessionCookie(outcome->token));
  return response;
}

Response CurrentSession(AccountService& accounts, Request& request) {
  auto me = accounts.Me(*request.principal);
  if (!me) return Response::FromProblem(me.problem());
  return Response::Json(200,
                        SessionJson(request.principal->csrf_token, me->must_change_password, me->MustEnrollTotp()));
}

Response SignOut(SessionService& sessions, Request& request) {
  sessions.SignOut(*request.principal, request.client_address);
  Response response = Response::NoContent();
  response.SetHeader("Set-Cookie", SessionService::ClearedCookie());
  return response;
}

Response ChangePassword(AccountService& accounts, Request& request) {
  auto body = http::ParseJsonObject(request);
  if (!body) return Response::FromProblem(body.problem());
  auto current = http::RequiredString(*body, "current", kMaxSecretLength);
  if (!current) return Response::FromProblem(current.problem());
  auto replacement = http::RequiredString(*body, "new", kMaxSecretLength);
  if (!replacement) return Response::FromProblem(replacement.problem());
  return Response::FromStatus(
      accounts.ChangePassword(*request.principal, *current, *replacement, request.client_address));
}

Response ListSessions(AccountService& accounts, Request& request) {
  auto sessions = accounts.ListSessions(*request.principal);
  if (!sessions) return Response::FromProblem(sessions.problem());
  json items = json::array();
  for (const auto& session : *sessions) {
    items.push_back({{"id", session.id},
                     {"created_at", http::FormatRfc3339Utc(session.created_at)},
                     {"last_seen_at", http::FormatRfc3339Utc(session.last_seen_at)},
                     {"expires_at", http::FormatRfc3339Utc(session.expires_at)},
                     {"user_agent", session.user_agent},
                     {"client_address", session.client_address},
                     {"current", session.id == request.principal->session_id}});
  }
  return Response::Json(200, {{"items", items}});
}

Response RevokeSession(AccountService& accounts, Request& request) {
  const std::string& id = request.PathParam("id");
  auto status = accounts.RevokeSession(*request.principal, id, request.client_address);
  Response response = Response::FromStatus(status);
  if (status && id == request.principal->session_id) response.SetHeader("Set-Cookie", SessionService::ClearedCookie());
  return response;
}

Response StartTotp(AccountService& accounts, Request& request) {
  auto enrollment = accounts.StartTotp(*request.principal);
  if (!enrollment) return Response::FromProblem(enrollment.problem());
  return Response::Json(
      200,
      {{"secret", enrollment->secret}, {"otpauth_uri", enrollment->provisioning_uri}, {"qr_svg", enrollment->qr_svg}});
}

Response ConfirmTotp(AccountService& accounts, Request& request) {
  auto body = http::ParseJsonObject(request);
  if (!body) return Response::FromProblem(body.problem());
  auto code = http::RequiredString(*body, "totp", kMaxShortField);
  if (!code) return Response::FromProblem(code.problem());
  auto codes = accounts.ConfirmTotp(*request.principal, *code, request.client_address);
  if (!codes) return Response::FromProblem(codes.problem());
  return Response::Json(200, {{"recovery_codes", *codes}});
}

Response DisableTotp(AccountService& accounts, Request& request) {
  auto body = http::ParseJsonObject(request);
  if (!body) return Response::FromProblem(body.problem());
  auto password = http::RequiredString(*body, "password", kMaxSecretLength);
  if (!password) return Response::FromProblem(password.problem());
  return Response::FromStatus(accounts.DisableTotp(*request.principal, *password, request.client_address));
}

Response Directory(EmployeeService& employees, Request& request) {
  const std::string query = request.QueryParam("q").value_or("");
  if (query.size() > 200) return Response::FromProblem(http::InvalidField("q"));
  json items = json::array();
  for (const auto& employee : employees.Search(query, request.QueryParam("department"))) {
    items.push_back(DirectoryJson(employee));
  }
  return Response::Json(200, {{"items", items}});
}

Response Departments(EmployeeService& employees, Request&) {
  json items = json::array();
  for (const auto& summary : employees.Departments()) {
    items.push_back(
        {{"id", summary.department.id}, {"name", summary.department.name}, {"employee_count", summary.employee_count}});
  }
  return Response::Json(200, {{"items", items}});
}

Response CreateEmployee(EmployeeService& employees, Request& request) {
  auto body = http::ParseJsonObject(request);
  if (!body) return Response::FromProblem(body.problem());
  NewEmployee input;
  for (auto [field, target] : {std::pair{"name", &input.name}, std::pair{"email", &input.email},
                               std::pair{"department", &input.department}, std::pair{"position", &input.position}}) {
    auto value = http::OptionalString(*body, field, 1000);
    if (!value) return Response::FromProblem(value.problem());
    *target = value->value_or("");
  }
  if (body->contains("roles")) {
    auto roles = RolesField(*body);
    if (!roles) return Response::FromProblem(roles.problem());
    input.roles = std::move(*roles);
  }
  auto created = employees.Create(ActorOf(request), input);
  if (!created) return Response::FromProblem(created.problem());
  return Response::Json(201, CreatedJson(*created));
}

Response ImportEmployees(EmployeeService& employees, Request& request) {
  if (request.Header("content-type").substr(0, 8) != "text/csv") {
    return Response::FromProblem(http::MakeProblem(415, "unsupported-media-type", {{"expected", "text/csv"}}));
  }
  auto created = employees.Import(ActorOf(request), request.body);
  if (!created) return Response::FromProblem(created.problem());
  json items = json::array();
  for (const auto& employee : *created) items.push_back(CreatedJson(employee));
  return Response::Json(201, {{"created", created->size()}, {"items", items}});
}

Response SetRoles(EmployeeService& employees, Request& request) {
  auto body = http::ParseJsonObject(request);
  if (!body) return Response::FromProblem(body.problem());
  auto roles = RolesField(*body);
  if (!roles) return Response::FromProblem(roles.problem());
  return Response::FromStatus(employees.SetRoles(ActorOf(request), request.PathParam("id"), *roles));
}

}  // namespace

void AddIdentityRoutes(http::Router& router, SessionService& sessions, AccountService& accounts,
                       EmployeeService& employees) {
  const auto with = [](auto& service, Response (*handler)(std::remove_reference_t<decltype(service)>&, Request&)) {
    return [&service, handler](Request& request) { return handler(service, request); };
  };
  router.Add({Method::kPost, "/api/v1/session", Access::kPublic, with(sessions, SignIn)});
  router.Add({Method::kGet, "/api/v1/session", Access::kPendingStep, with(accounts, CurrentSession)});
  router.Add({Method::kDelete, "/api/v1/session", Access::kPendingStep, with(sessions, SignOut)});
  router.Add({Method::kGet,
              "/api/v1/me",
              Access::kPendingStep,
              [&accounts](Request& request) {
                auto me = accounts.Me(*request.principal);
                if (!me) return Response::FromProblem(me.problem());
                return Response::Json(200, SelfJson(*me));
              },
              {},
              [&sessions](Request& request) -> std::optional<Response> {
                auto me = sessions.RememberedSelfJson(request);
                if (!me) return std::nullopt;
                Response response;
                response.body = std::move(*me);
                response.SetHeader("Content-Type", "application/json");
                return response;
              }});
  router.Add({Method::kPost, "/api/v1/me/password", Access::kPendingStep, with(accounts, ChangePassword)});
  router.Add({Method::kGet, "/api/v1/me/sessions", Access::kSignedIn, with(accounts, ListSessions)});
  router.Add({Method::kDelete, "/api/v1/me/sessions/{id}", Access::kSignedIn, with(accounts, RevokeSession)});
  // Enrolment is reachable while it is the pending step; turning it off is not.
  router.Add({Method::kPost, "/api/v1/me/totp", Access::kPendingStep, with(accounts, StartTotp)});
  router.Add({Method::kPost, "/api/v1/me/totp/confirm", Access::kPendingStep, with(accounts, ConfirmTotp)});
  router.Add({Method::kDelete, "/api/v1/me/totp", Access::kSignedIn, with(accounts, DisableTotp)});
  router.Add({Method::kGet, "/api/v1/employees", Access::kSignedIn, with(employees, Directory)});
  router.Add({Method::kGet, "/api/v1/departments", Access::kSignedIn, with(employees, Departments)});
  router.Add({Method::kPost, "/api/v1/employees", Access::kSignedIn, with(employees, CreateEmployee), kAdministrators});
  router.Add({Method::kPost, "/api/v1/employees/import", Access::kSignedIn, with(employees, ImportEmployees),
              kAdministrators});
  router.Add(
      {Method::kPut, "/api/v1/employees/{id}/roles", Access::kSignedIn, with(employees, SetRoles), kAdministrators});
  router.Add({Method::kPost, "/api/v1/employees/{id}/suspend", Access::kSignedIn,
              [&employees](Request& request) {
                return Response::FromStatus(employees.Suspend(ActorOf(request), request.PathParam("id")));
              },
              kAdministrators});
  router.Add({Method::kPost, "/api/v1/employees/{id}/reactivate", Access::kSignedIn,
              [&employees](Request& request) {
                return Response::FromStatus(employees.Reactivate(ActorOf(request), request.PathParam("id")));
              },
              kAdministrators});
  router.Add({Method::kPost, "/api/v1/employees/{id}/password-reset", Access::kSignedIn,
              [&employees](Request& request) {
                auto password = employees.ResetPassword(ActorOf(request), request.PathParam("id"));
                if (!password) return Response::FromProblem(password.problem());
                return Response::Json(200, {{"one_time_password", *password}});
              },
              kAdministrators});
}

}  // namespace egovbox::identity
