// The host controls' HTTP routes (docs/api/openapi.yaml, docs/media.md "Host controls").
#include "http/json_input.h"
#include "meetings/host_controls.h"

namespace egovbox::meetings {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::size_t kMaxId = 64;
constexpr std::size_t kMaxSource = 16;  // "microphone", "camera"

const std::string& Me(const Request& request) {
  return request.principal->subject_id;
}

template <typename Handler>
Response WithBody(Request& request, Handler&& handler) {
  auto body = http::ParseJsonObject(request);
  if (!body) return Response::FromProblem(body.problem());
  return handler(*body);
}

Response Mute(HostControls& controls, Request& request) {
  return WithBody(request, [&](const json& body) {
    auto source = http::RequiredString(body, "source", kMaxSource);
    if (!source) return Response::FromProblem(source.problem());
    return Response::FromStatus(
        controls.Mute(Me(request), request.PathParam("id"), request.PathParam("participant"), *source));
  });
}

Response Remove(HostControls& controls, Request& request) {
  return WithBody(request, [&](const json& body) {
    auto employee = http::RequiredString(body, "employee_id", kMaxId);
    if (!employee) return Response::FromProblem(employee.problem());
    return Response::FromStatus(controls.Remove(Me(request), request.PathParam("id"), *employee));
  });
}

Response Lock(HostControls& controls, Request& request) {
  return WithBody(request, [&](const json& body) {
    const auto locked = body.find("locked");
    if (locked == body.end() || !locked->is_boolean()) return Response::FromProblem(http::InvalidField("locked"));
    return Response::FromResult(controls.SetLocked(Me(request), request.PathParam("id"), locked->get<bool>()));
  });
}

}  // namespace

void AddHostControlRoutes(http::Router& router, HostControls& controls) {
  const auto add = [&router](Method method, const char* pattern, http::Handler handler) {
    router.Add({method, pattern, Access::kSignedIn, std::move(handler)});
  };
  const auto id = [](const Request& request) -> const std::string& { return request.PathParam("id"); };
  add(Method::kGet, "/api/v1/meetings/{id}/controls",
      [&controls, id](Request& r) { return Response::FromResult(controls.State(Me(r), id(r))); });
  add(Method::kGet, "/api/v1/meetings/{id}/lobby",
      [&controls, id](Request& r) { return Response::FromResult(controls.Lobby(Me(r), id(r))); });
  add(Method::kPut, "/api/v1/meetings/{id}/lock", [&controls](Request& r) { return Lock(controls, r); });
  add(Method::kPost, "/api/v1/meetings/{id}/end",
      [&controls, id](Request& r) { return Response::FromStatus(controls.End(Me(r), id(r))); });
  add(Method::kPost, "/api/v1/meetings/{id}/mute-all",
      [&controls, id](Request& r) { return Response::FromResult(controls.MuteAll(Me(r), id(r))); });
  add(Method::kPost, "/api/v1/meetings/{id}/participants/{participant}/mute",
      [&controls](Request& r) { return Mute(controls, r); });
  add(Method::kPost, "/api/v1/meetings/{id}/removals", [&controls](Request& r) { return Remove(controls, r); });
  add(Method::kDelete, "/api/v1/meetings/{id}/removals/{employee}", [&controls, id](Request& r) {
    return Response::FromStatus(controls.LetBack(Me(r), id(r), r.PathParam("employee")));
  });
  add(Method::kDelete, "/api/v1/meetings/{id}/hands/{participant}", [&controls, id](Request& r) {
    return Response::FromStatus(controls.LowerHand(Me(r), id(r), r.PathParam("participant")));
  });
}

}  // namespace egovbox::meetings
