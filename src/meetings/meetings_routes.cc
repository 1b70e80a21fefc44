#include "meetings/meetings_routes.h"

#include <algorithm>
#include <cctype>

#include "http/json_input.h"
#include "identity/employee.h"
#include "meetings/sofia_time.h"

namespace egovbox::meetings {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxAgenda = 20000;
constexpr std::size_t kMaxComment = 1000;
constexpr std::size_t kMaxId = 64;
constexpr std::int64_t kDefaultUpcomingSeconds = std::int64_t{7} * 86400;

const std::vector<std::string> kHallManagers = {std::string(identity::kRoleAdministrator),
                                                std::string(identity::kRoleClerk)};

const std::string& Me(const Request& request) {
  return request.principal->subject_id;
}

http::Result<std::int64_t> TimeField(const json& body, const std::string& field) {
  const auto value = body.find(field);
  if (value == body.end() || !value->is_string()) return http::InvalidField(field);
  const auto parsed = ParseRfc3339(value->get<std::string>());
  if (!parsed) return http::InvalidField(field);
  return *parsed;
}

http::Result<std::optional<std::vector<std::int64_t>>> OffsetsField(const json& body, const std::string& field) {
  const auto value = body.find(field);
  if (value == body.end() || value->is_null()) return std::optional<std::vector<std::int64_t>>();
  if (!value->is_array()) return http::InvalidField(field);
  std::vector<std::int64_t> offsets;
  for (const auto& offset : *value) {
    if (!offset.is_number_integer()) return http::InvalidField(field);
    offsets.push_back(offset.get<std::int64_t>());
  }
  return std::optional<std::vector<std::int64_t>>(std::move(offsets));
}

http::Result<MeetingInput> ReadMeetingInput(const json& body, bool for_availability) {
  MeetingInput input;
  if (!for_availability) {
    auto title = http::RequiredString(body, "title", kMaxTitle);
    if (!title) return title.problem();
    if (title->find_first_not_of(" \t\r\n") == std::string::npos) return http::InvalidField("title");
    input.title = *title;
  }
  auto agenda = http::OptionalString(body, "agenda", kMaxAgenda);
  if (!agenda) return agenda.problem();
  input.agenda = agenda->value_or("");
  auto kind = http::OptionalString(body, "kind", 32);
  if (!kind) return kind.problem();
  input.kind = kind->value_or("general");
  auto room = http::OptionalString(body, "room_id", kMaxId);
  if (!room) return room.problem();
  input.room_id = *room;
  auto starts = TimeField(body, "starts_at");
  if (!starts) return starts.problem();
  input.starts_at = *starts;
  auto ends = TimeField(body, "ends_at");
  if (!ends) return ends.problem();
  input.ends_at = *ends;
  if (const auto recurrence = body.find("recurrence"); recurrence != body.end() && !recurrence->is_null()) {
    auto parsed = RecurrenceFromJson(*recurrence);
    if (!parsed) return parsed.problem();
    input.recurrence = *parsed;
  }
  if (const auto invitees = body.find("invitees"); invitees != body.end() && !invitees->is_null()) {
    if (!invitees->is_array()) return http::InvalidField("invitees");
    for (const auto& invitee : *invitees) {
      if (!invitee.is_object()) return http::InvalidField("invitees");
      auto id = http::RequiredString(invitee, "employee_id", kMaxId);
      if (!id) return http::InvalidField("invitees.employee_id");
      auto role = http::OptionalString(invitee, "role", 32);
      if (!role) return http::InvalidField("invitees.role");
      input.invitees.push_back({*id, role->value_or(std::string(kRoleParticipant))});
    }
  }
  if (const auto departments = body.find("departments"); departments != body.end() && !departments->is_null()) {
    if (!departments->is_array()) return http::InvalidField("departments");
    for (const auto& department : *departments) {
      if (!department.is_string()) return http::InvalidField("departments");
      input.departments.push_back(department.get<std::string>());
    }
  }
  auto offsets = OffsetsField(body, "reminder_offsets");
  if (!offsets) return offsets.problem();
  input.reminder_offsets = *offsets;
  if (const auto allow = body.find("allow_conflicts"); allow != body.end() && !allow->is_null()) {
    if (!allow->is_boolean()) return http::InvalidField("allow_conflicts");
    input.allow_conflicts = allow->get<bool>();
  }
  auto meeting_id = http::OptionalString(body, "meeting_id", kMaxId);
  if (!meeting_id) return meeting_id.problem();
  input.meeting_id = *meeting_id;
  return input;
}

http::Result<HallInput> ReadHallInput(const json& body) {
  HallInput input;
  auto name = http::RequiredString(body, "name", 120);
  if (!name) return name.problem();
  input.name = *name;
  auto description = http::OptionalString(body, "description", 2000);
  if (!description) return description.problem();
  input.description = description->value_or("");
  if (const auto capacity = body.find("capacity"); capacity != body.end() && !capacity->is_null()) {
    if (!capacity->is_number_integer()) return http::InvalidField("capacity");
    input.capacity = capacity->get<std::int64_t>();
  }
  if (const auto lobby = body.find("lobby"); lobby != body.end() && !lobby->is_null()) {
    if (!lobby->is_boolean()) return http::InvalidField("lobby");
    input.lobby = lobby->get<bool>();
  }
  return input;
}

json PassJson(const JoinPass& pass) {
  return {{"meeting_id", pass.meeting_id},
          {"capability", pass.capability},
          {"expires_at", FormatRfc3339Utc(pass.expires_at)}};
}

Response Calendar(const http::Result<std::string>& calendar, const std::string& filename) {
  if (!calendar) return Response::FromProblem(calendar.problem());
  Response response;
  response.body = calendar.value();
  response.SetHeader("Content-Type", "text/calendar; charset=utf-8");
  response.SetHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  response.SetHeader("Cache-Control", "private, no-store");
  return response;
}

// Runs `handler(body)` with the parsed JSON object, or answers the parse problem.
template <typename Handler>
Response WithBody(Request& request, Handler&& handler) {
  auto body = http::ParseJsonObject(request);
  if (!body) return Response::FromProblem(body.problem());
  return handler(*body);
}

Response CreateMeeting(MeetingService& meetings, Request& request) {
  return WithBody(request, [&](const json& body) {
    auto input = ReadMeetingInput(body, false);
    if (!input) return Response::FromProblem(input.problem());
    return Response::FromResult(meetings.Create(Me(request), *input), 201);
  });
}

Response UpdateMeeting(MeetingService& meetings, Request& request) {
  return WithBody(request, [&](const json& body) {
    auto input = ReadMeetingInput(body, false);
    if (!input) return Response::FromProblem(input.problem());
    return Response::FromResult(meetings.Update(Me(request), request.PathParam("id"), *input));
  });
}

Response Availability(MeetingService& meetings, Request& request) {
  return WithBody(request, [&](const json& body) {
    auto input = ReadMeetingInput(body, true);
    if (!input) return Response::FromProblem(input.problem());
    return Response::FromResult(meetings.Availability(Me(request), *input));
  });
}

Response Upcoming(MeetingService& meetings, Request& request) {
  std::int64_t from = meetings.Now();
  std::optional<std::int64_t> to;
  if (const auto text = request.QueryParam("from")) {
    const auto parsed = ParseRfc3339(*text);
    if (!parsed) return Response::FromProblem(http::InvalidField("from"));
    from = *parsed;
  }
  if (const auto text = request.QueryParam("to")) {
    to = ParseRfc3339(*text);
    if (!to) return Response::FromProblem(http::InvalidField("to"));
  }
  return Response::FromResult(meetings.Upcoming(Me(request), from, to.value_or(from + kDefaultUpcomingSeconds)));
}

Response Respond(MeetingService& meetings, Request& request) {
  return WithBody(request, [&](const json& body) {
    auto response = http::RequiredString(body, "response", 32);
    if (!response) return Response::FromProblem(response.problem());
    auto comment = http::OptionalString(body, "comment", kMaxComment);
    if (!comment) return Response::FromProblem(comment.problem());
    return Response::FromResult(
        meetings.Respond(Me(request), request.PathParam("id"), *response, comment->value_or("")));
  });
}

Response SetReminders(MeetingService& meetings, Request& request) {
  return WithBody(request, [&](const json& body) {
    auto offsets = OffsetsField(body, "offsets");
    if (!offsets) return Response::FromProblem(offsets.problem());
    return Response::FromResult(meetings.SetMyReminders(Me(request), request.PathParam("id"), *offsets));
  });
}

http::Result<std::int64_t> OccurrenceParam(const Request& request) {
  const auto parsed = ParseRfc3339(request.PathParam("occurrence"));
  if (!parsed) return http::InvalidField("occurrence");
  return *parsed;
}

Response MoveOccurrence(MeetingService& meetings, Request& request) {
  auto occurrence = OccurrenceParam(request);
  if (!occurrence) return Response::FromProblem(occurrence.problem());
  return WithBody(request, [&](const json& body) {
    auto starts = TimeField(body, "starts_at");
    if (!starts) return Response::FromProblem(starts.problem());
    auto ends = TimeField(body, "ends_at");
    if (!ends) return Response::FromProblem(ends.problem());
    return Response::FromResult(
        meetings.MoveOccurrence(Me(request), request.PathParam("id"), *occurrence, *starts, *ends));
  });
}

Response CancelOccurrence(MeetingService& meetings, Request& request) {
  auto occurrence = OccurrenceParam(request);
  if (!occurrence) return Response::FromProblem(occurrence.problem());
  return Response::FromStatus(meetings.CancelOccurrence(Me(request), request.PathParam("id"), *occurrence));
}

Response Join(MeetingService& meetings, Request& request) {
  auto pass = meetings.Join(Me(request), request.PathParam("id"));
  if (!pass) return Response::FromProblem(pass.problem());
  return Response::Json(200, PassJson(*pass));
}

Response EnterRoom(RoomService& rooms, Request& request) {
  auto pass = rooms.Enter(Me(request), request.PathParam("id"));
  if (!pass) return Response::FromProblem(pass.problem());
  return Response::Json(200, PassJson(*pass));
}

Response SaveHall(RoomService& rooms, Request& request, bool create) {
  return WithBody(request, [&](const json& body) {
    auto input = ReadHallInput(body);
    if (!input) return Response::FromProblem(input.problem());
    if (create) return Response::FromResult(rooms.CreateHall(Me(request), *input), 201);
    return Response::FromResult(rooms.UpdateHall(Me(request), request.PathParam("id"), *input));
  });
}

Response StartCall(CallService& calls, Request& request) {
  return WithBody(request, [&](const json& body) {
    auto callee = http::RequiredString(body, "callee_id", kMaxId);
    if (!callee) return Response::FromProblem(callee.problem());
    return Response::FromResult(calls.Start(Me(request), *callee), 201);
  });
}

Response SetPresence(const MeetingsApi& api, Request& request) {
  return WithBody(request, [&](const json& body) {
    const auto dnd = body.find("do_not_disturb");
    if (dnd == body.end() || !dnd->is_boolean()) return Response::FromProblem(http::InvalidField("do_not_disturb"));
    const bool on = dnd->get<bool>();
    api.database.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
      tx.Execute(
          "INSERT INTO presence_choices (employee_id, do_not_disturb) VALUES (?, ?)"
          " ON CONFLICT (employee_id) DO UPDATE SET do_not_disturb = excluded.do_not_disturb",
          {Me(request), static_cast<std::int64_t>(on)});
    });
    api.hub.SetDoNotDisturb(Me(request), on);
    return Response::Json(
        200, {{"presence", realtime::PresenceName(api.hub.PresenceOf(Me(request)))}, {"do_not_disturb", on}});
  });
}

Response GetPresence(const MeetingsApi& api, Request& request) {
  const auto id = request.QueryParam("ids").value_or(Me(request));
  json presence = json::object();
  std::size_t start = 0;
  for (int count = 0; start <= id.size() && count < 200; ++count) {
    const auto comma = id.find(',', start);
    const std::string one = id.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!one.empty()) presence[one] = realtime::PresenceName(api.hub.PresenceOf(one));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return Response::Json(200, {{"presence", std::move(presence)}});
}

}  // namespace

void AddMeetingsRoutes(http::Router& router, MeetingsApi api) {
  auto& meetings = api.meetings;
  auto& rooms = api.rooms;
  auto& calls = api.calls;
  const auto signed_in = [&router](Method method, const char* pattern, http::Handler handler,
                                   std::vector<std::string> roles = {}) {
    router.Add({method, pattern, Access::kSignedIn, std::move(handler), std::move(roles)});
  };
  const auto id = [](const Request& request) -> const std::string& { return request.PathParam("id"); };

  signed_in(Method::kGet, "/api/v1/rooms", [&rooms](Request& r) { return Response::FromResult(rooms.List(Me(r))); });
  signed_in(Method::kGet, "/api/v1/rooms/{id}",
            [&rooms, id](Request& r) { return Response::FromResult(rooms.Get(id(r))); });
  signed_in(Method::kGet, "/api/v1/employees/{id}/room",
            [&rooms, id](Request& r) { return Response::FromResult(rooms.PersonalRoomOf(id(r))); });
  signed_in(
      Method::kPost, "/api/v1/rooms", [&rooms](Request& r) { return SaveHall(rooms, r, true); }, kHallManagers);
  signed_in(
      Method::kPut, "/api/v1/rooms/{id}", [&rooms](Request& r) { return SaveHall(rooms, r, false); }, kHallManagers);
  signed_in(
      Method::kDelete, "/api/v1/rooms/{id}",
      [&rooms, id](Request& r) { return Response::FromStatus(rooms.ArchiveHall(Me(r), id(r))); }, kHallManagers);
  signed_in(Method::kPost, "/api/v1/rooms/{id}/join", [&rooms](Request& r) { return EnterRoom(rooms, r); });
  signed_in(Method::kPost, "/api/v1/rooms/{id}/knocks",
            [&rooms, id](Request& r) { return Response::FromResult(rooms.Knock(Me(r), id(r)), 201); });
  signed_in(Method::kGet, "/api/v1/knocks/{id}",
            [&rooms, id](Request& r) { return Response::FromResult(rooms.GetKnock(Me(r), id(r))); });
  signed_in(Method::kPost, "/api/v1/knocks/{id}/admit",
            [&rooms, id](Request& r) { return Response::FromResult(rooms.AnswerKnock(Me(r), id(r), true)); });
  signed_in(Method::kPost, "/api/v1/knocks/{id}/decline",
            [&rooms, id](Request& r) { return Response::FromResult(rooms.AnswerKnock(Me(r), id(r), false)); });
  signed_in(Method::kDelete, "/api/v1/knocks/{id}",
            [&rooms, id](Request& r) { return Response::FromStatus(rooms.WithdrawKnock(Me(r), id(r))); });

  signed_in(Method::kPost, "/api/v1/meetings", [&meetings](Request& r) { return CreateMeeting(meetings, r); });
  signed_in(Method::kPost, "/api/v1/meetings/availability",
            [&meetings](Request& r) { return Availability(meetings, r); });
  signed_in(Method::kGet, "/api/v1/meetings/upcoming", [&meetings](Request& r) { return Upcoming(meetings, r); });
  signed_in(Method::kGet, "/api/v1/meetings/{id}",
            [&meetings, id](Request& r) { return Response::FromResult(meetings.Get(Me(r), id(r))); });
  signed_in(Method::kPut, "/api/v1/meetings/{id}", [&meetings](Request& r) { return UpdateMeeting(meetings, r); });
  signed_in(Method::kDelete, "/api/v1/meetings/{id}",
            [&meetings, id](Request& r) { return Response::FromStatus(meetings.Cancel(Me(r), id(r))); });
  signed_in(Method::kPut, "/api/v1/meetings/{id}/occurrences/{occurrence}",
            [&meetings](Request& r) { return MoveOccurrence(meetings, r); });
  signed_in(Method::kDelete, "/api/v1/meetings/{id}/occurrences/{occurrence}",
            [&meetings](Request& r) { return CancelOccurrence(meetings, r); });
  signed_in(Method::kPut, "/api/v1/meetings/{id}/rsvp", [&meetings](Request& r) { return Respond(meetings, r); });
  signed_in(Method::kPut, "/api/v1/meetings/{id}/reminders",
            [&meetings](Request& r) { return SetReminders(meetings, r); });
  signed_in(Method::kPost, "/api/v1/meetings/{id}/join", [&meetings](Request& r) { return Join(meetings, r); });
  signed_in(Method::kPost, "/api/v1/meetings/{id}/leave", [&meetings, &media = api.media, id](Request& r) {
    auto meeting = meetings.Get(Me(r), id(r));
    if (!meeting) return Response::FromProblem(meeting.problem());
    media.LeaveMeeting(Me(r), id(r));
    return Response::NoContent();
  });
  signed_in(Method::kGet, "/api/v1/meetings/{id}/attendance",
            [&media = api.media, id](Request& r) { return Response::FromResult(media.Attendance(Me(r), id(r))); });
  signed_in(Method::kGet, "/api/v1/meetings/{id}/calendar.ics",
            [&meetings, id](Request& r) { return Calendar(meetings.CalendarFile(Me(r), id(r)), "meeting.ics"); });

  signed_in(Method::kGet, "/api/v1/me/calendar-feed",
            [&meetings](Request& r) { return Response::FromResult(meetings.FeedUrl(Me(r))); });
  signed_in(Method::kPost, "/api/v1/me/calendar-feed",
            [&meetings](Request& r) { return Response::FromResult(meetings.CreateFeed(Me(r)), 201); });
  signed_in(Method::kDelete, "/api/v1/me/calendar-feed",
            [&meetings](Request& r) { return Response::FromStatus(meetings.RevokeFeed(Me(r))); });
  router.Add({Method::kGet, "/api/v1/calendar/{token}", Access::kPublic, [&meetings](Request& r) {
                std::string token = r.PathParam("token");
                if (token.size() > 4 && token.ends_with(".ics")) token.resize(token.size() - 4);
                return Calendar(meetings.FeedCalendar(token), "egovbox.ics");
              }});

  signed_in(Method::kPost, "/api/v1/calls", [&calls](Request& r) { return StartCall(calls, r); });
  signed_in(Method::kGet, "/api/v1/calls/{id}",
            [&calls, id](Request& r) { return Response::FromResult(calls.Get(Me(r), id(r))); });
  signed_in(Method::kPost, "/api/v1/calls/{id}/accept",
            [&calls, id](Request& r) { return Response::FromResult(calls.Accept(Me(r), id(r))); });
  signed_in(Method::kPost, "/api/v1/calls/{id}/decline",
            [&calls, id](Request& r) { return Response::FromResult(calls.Decline(Me(r), id(r))); });
  signed_in(Method::kDelete, "/api/v1/calls/{id}",
            [&calls, id](Request& r) { return Response::FromStatus(calls.HangUp(Me(r), id(r))); });

  signed_in(Method::kPut, "/api/v1/me/presence", [api](Request& r) { return SetPresence(api, r); });
  signed_in(Method::kGet, "/api/v1/presence", [api](Request& r) { return GetPresence(api, r); });
}

void LoadPresenceChoices(store::Database& database, realtime::Hub& hub) {
  database.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) {
    for (const auto& row : tx.Query("SELECT employee_id FROM presence_choices WHERE do_not_disturb = 1")) {
      hub.SetDoNotDisturb(row.Text(0), true);
    }
  });
}

namespace {

constexpr std::size_t kMaxLimitDigits = 3;

// "?limit=": digits only, 1..MeetingChat::kMaxLimit; absent means the default.
http::Result<int> ChatLimitParam(const Request& request) {
  const auto text = request.QueryParam("limit");
  if (!text) return MeetingChat::kDefaultLimit;
  if (text->empty() || text->size() > kMaxLimitDigits ||
      !std::all_of(text->begin(), text->end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    return http::InvalidField("limit");
  }
  const int limit = std::stoi(*text);
  if (limit < 1 || limit > MeetingChat::kMaxLimit) return http::InvalidField("limit");
  return limit;
}

Response ListChat(MeetingChat& chat, Request& request) {
  auto limit = ChatLimitParam(request);
  if (!limit) return Response::FromProblem(limit.problem());
  const auto before = request.QueryParam("before");
  if (before && (before->empty() || before->size() > kMaxId)) {
    return Response::FromProblem(http::InvalidField("before"));
  }
  auto messages = chat.List(Me(request), request.PathParam("id"), before, *limit);
  if (!messages) return Response::FromProblem(messages.problem());
  json out = json::array();
  for (const auto& message : *messages) out.push_back(ChatMessageJson(message));
  return Response::Json(200, {{"messages", std::move(out)}});
}

Response PostChat(MeetingChat& chat, Request& request) {
  return WithBody(request, [&](const json& body) {
    const auto text = body.find("text");
    if (text == body.end() || !text->is_string()) return Response::FromProblem(http::InvalidField("text"));
    auto message = chat.Post(Me(request), request.PathParam("id"), text->get_ref<const std::string&>());
    if (!message) return Response::FromProblem(message.problem());
    return Response::Json(201, ChatMessageJson(*message));
  });
}

}  // namespace

void AddMeetingChatRoutes(http::Router& router, MeetingChat& chat) {
  router.Add({Method::kGet, "/api/v1/meetings/{id}/chat", Access::kSignedIn,
              [&chat](Request& r) { return ListChat(chat, r); }});
  router.Add({Method::kPost, "/api/v1/meetings/{id}/chat", Access::kSignedIn,
              [&chat](Request& r) { return PostChat(chat, r); }});
}

}  // namespace egovbox::meetings
