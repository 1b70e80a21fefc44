#include "notify/notify_routes.h"

#include <algorithm>
#include <cctype>

#include "http/problem_catalog.h"

namespace egovbox::notify {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kMaxIdLength = 64;

// "?limit=": digits only, 1..100; absent means the default.
http::Result<int> LimitParam(const Request& request) {
  const auto text = request.QueryParam("limit");
  if (!text) return NotificationCentre::kDefaultLimit;
  const auto invalid = http::InvalidField("limit");
  if (text->empty() || text->size() > 3 ||
      !std::all_of(text->begin(), text->end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    return invalid;
  }
  const int limit = std::stoi(*text);
  if (limit < 1 || limit > NotificationCentre::kMaxLimit) return invalid;
  return limit;
}

Response List(NotificationCentre& centre, Request& request) {
  auto limit = LimitParam(request);
  if (!limit) return Response::FromProblem(limit.problem());
  auto before = request.QueryParam("before");
  if (before && (before->empty() || before->size() > kMaxIdLength)) {
    return Response::FromProblem(http::InvalidField("before"));
  }
  auto page = centre.List(request.principal->subject_id, *limit, before);
  if (!page) return Response::FromProblem(page.problem());
  return Response::Json(200, NotificationPageJson(*page));
}

}  // namespace

void AddNotifyRoutes(http::Router& router, NotificationCentre& centre) {
  router.Add({Method::kGet, "/api/v1/notifications", Access::kSignedIn,
              [&centre](Request& request) { return List(centre, request); }});
  router.Add({Method::kPost, "/api/v1/notifications/read-all", Access::kSignedIn, [&centre](Request& request) {
                centre.MarkAllRead(request.principal->subject_id);
                return Response::NoContent();
              }});
  router.Add({Method::kPost, "/api/v1/notifications/{id}/read", Access::kSignedIn, [&centre](Request& request) {
                const std::string& id = request.PathParam("id");
                if (id.size() > kMaxIdLength)
                  return Response::FromProblem(http::MakeProblem(404, "notification-not-found"));
                return Response::FromStatus(centre.MarkRead(request.principal->subject_id, id));
              }});
}

void RegisterNotifyProblems() {
  auto& catalog = http::ProblemCatalog::Instance();
  catalog.Register("notification-not-found",
                   {"Няма такова известие", "Известието не съществува или е изтрито.", "Notification not found",
                    "The notification does not exist or has been deleted."});
}

}  // namespace egovbox::notify
