#include "meetings/call_service.h"

#include "crypto/random.h"
#include "meetings/meeting_repository.h"
#include "notify/notification.h"

namespace egovbox::meetings {
namespace {

using http::MakeProblem;
using nlohmann::json;

struct CallRecord {
  std::string id;
  Person caller;
  Person callee;
  std::string status;
  std::optional<std::string> meeting_id;
  std::int64_t created_at = 0;
};

std::optional<CallRecord> FindCall(store::Connection& tx, const std::string& call_id) {
  const auto row =
      tx.QueryOne("SELECT id, caller_id, callee_id, status, meeting_id, created_at FROM calls WHERE id = ?", {call_id});
  if (!row) return std::nullopt;
  CallRecord call{row->Text(0), {}, {}, row->Text(3), row->OptionalText(4), row->Int(5)};
  const auto name_of = [&](const std::string& id) {
    const auto person = tx.QueryOne("SELECT id, name, email FROM employees WHERE id = ?", {id});
    return Person{person->Text(0), person->Text(1), person->Text(2), ""};
  };
  call.caller = name_of(row->Text(1));
  call.callee = name_of(row->Text(2));
  return call;
}

json CallJson(const CallRecord& call) {
  return {{"id", call.id},
          {"status", call.status},
          {"caller", {{"id", call.caller.id}, {"name", call.caller.name}}},
          {"callee", {{"id", call.callee.id}, {"name", call.callee.name}}},
          {"meeting_id", call.meeting_id ? json(*call.meeting_id) : json()}};
}

void TellBoth(Messenger::Batch& batch, const CallRecord& call, const std::string& type) {
  const json message = {{"type", type}, {"call", CallJson(call)}};
  Messenger::Event(batch, call.caller.id, message);
  Messenger::Event(batch, call.callee.id, message);
}

}  // namespace

CallService::CallService(store::Database& database, MeetingService& meetings, Messenger& messenger,
                         std::int64_t ring_seconds)
    : database_(database), meetings_(meetings), messenger_(messenger), ring_seconds_(ring_seconds) {}

http::Result<json> CallService::Start(const std::string& caller_id, const std::string& callee_id) {
  if (caller_id == callee_id) return http::InvalidField("callee_id");
  const std::int64_t now = meetings_.Now();
  Messenger::Batch batch;
  auto started =
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
        if (!MeetingRepository::FindPerson(tx, callee_id)) return MakeProblem(404, "employee-not-found");
        const auto presence = messenger_.hub().PresenceOf(callee_id);
        const bool ringing_already =
            tx.QueryOne("SELECT 1 FROM calls WHERE callee_id = ? AND status = 'ringing'", {callee_id}).has_value();
        if (presence == realtime::Presence::kInMeeting || presence == realtime::Presence::kDoNotDisturb ||
            ringing_already) {
          return MakeProblem(409, "callee-busy");
        }
        const std::string id = crypto::RandomToken(12);
        tx.Execute("INSERT INTO calls (id, caller_id, callee_id, status, created_at) VALUES (?, ?, ?, 'ringing', ?)",
                   {id, caller_id, callee_id, now});
        const auto call = FindCall(tx, id);
        Messenger::Event(batch, callee_id, {{"type", "call.ringing"}, {"call", CallJson(*call)}});
        return CallJson(*call);
      });
  if (started) messenger_.Deliver(batch);
  return started;
}

http::Result<json> CallService::Get(const std::string& actor_id, const std::string& call_id) {
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<json> {
    const auto call = FindCall(tx, call_id);
    if (!call || (call->caller.id != actor_id && call->callee.id != actor_id))
      return MakeProblem(404, "call-not-found");
    return CallJson(*call);
  });
}

http::Result<json> CallService::Accept(const std::string& actor_id, const std::string& call_id) {
  const std::int64_t now = meetings_.Now();
  Messenger::Batch batch;
  auto accepted =
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
        auto call = FindCall(tx, call_id);
        if (!call || call->callee.id != actor_id) return MakeProblem(404, "call-not-found");
        if (call->status != "ringing") return MakeProblem(409, "call-ended");
        // Rung out, though the job that marks it missed has not run yet.
        if (call->created_at <= now - ring_seconds_) return MakeProblem(409, "call-ended");
        const Room room = MeetingRepository::PersonalRoomOf(tx, call->caller.id);
        Meeting meeting = meetings_.EnsureRoomMeeting(tx, room, "one-to-one", now);
        const auto callee = MeetingRepository::FindPerson(tx, actor_id);
        if (!callee) return MakeProblem(404, "call-not-found");  // suspended meanwhile
        meetings_.AddParticipant(tx, meeting, *callee, now);
        call->status = "accepted";
        call->meeting_id = meeting.id;
        tx.Execute("UPDATE calls SET status = 'accepted', meeting_id = ?, ended_at = ? WHERE id = ?",
                   {meeting.id, now, call->id});
        TellBoth(batch, *call, "call.accepted");
        return CallJson(*call);
      });
  if (accepted) messenger_.Deliver(batch);
  return accepted;
}

http::Result<json> CallService::Decline(const std::string& actor_id, const std::string& call_id) {
  return End(actor_id, call_id, "declined");
}

http::Status CallService::HangUp(const std::string& actor_id, const std::string& call_id) {
  auto ended = End(actor_id, call_id, "cancelled");
  if (!ended) return ended.problem();
  return http::Ok();
}

// Declined by the callee, or cancelled by the caller.
http::Result<json> CallService::End(const std::string& actor_id, const std::string& call_id,
                                    const std::string& status) {
  const std::int64_t now = meetings_.Now();
  Messenger::Batch batch;
  auto ended =
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
        auto call = FindCall(tx, call_id);
        const bool allowed = call && (status == "declined" ? call->callee.id == actor_id : call->caller.id == actor_id);
        if (!allowed) return MakeProblem(404, "call-not-found");
        if (call->status != "ringing") return MakeProblem(409, "call-ended");
        call->status = status;
        tx.Execute("UPDATE calls SET status = ?, ended_at = ? WHERE id = ?", {status, now, call->id});
        TellBoth(batch, *call, status == "declined" ? "call.declined" : "call.cancelled");
        return CallJson(*call);
      });
  if (ended) messenger_.Deliver(batch);
  return ended;
}

void CallService::ExpireUnanswered() {
  const std::int64_t now = meetings_.Now();
  const bool any_due = database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) {
    return tx.QueryOne("SELECT 1 FROM calls WHERE status = 'ringing' AND created_at <= ?", {now - ring_seconds_})
        .has_value();
  });
  if (!any_due) return;
  Messenger::Batch batch;
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
    for (const auto& row :
         tx.Query("SELECT id FROM calls WHERE status = 'ringing' AND created_at <= ?", {now - ring_seconds_})) {
      auto call = FindCall(tx, row.Text(0));
      call->status = "missed";
      tx.Execute("UPDATE calls SET status = 'missed', ended_at = ? WHERE id = ?", {now, call->id});
      messenger_.Notify(batch, tx, call->callee.id, notify::kKindCallMissed,
                        {{"call_id", call->id}, {"caller", {{"id", call->caller.id}, {"name", call->caller.name}}}},
                        now);
      TellBoth(batch, *call, "call.missed");
    }
  });
  messenger_.Deliver(batch);
}

}  // namespace egovbox::meetings
