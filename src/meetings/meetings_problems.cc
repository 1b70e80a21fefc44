// Texts of the meetings module's problems, in Bulgarian and English.
#include "http/problem_catalog.h"
#include "meetings/meetings_routes.h"

namespace egovbox::meetings {

void RegisterMeetingsProblems() {
  auto& catalog = http::ProblemCatalog::Instance();
  catalog.Register("meeting-not-found", {"Няма такава среща", "Срещата не съществува или не сте поканени на нея.",
                                         "No such meeting", "The meeting does not exist or you are not invited."});
  catalog.Register("room-not-found", {"Няма такава стая", "Стаята не съществува или е закрита.", "No such room",
                                      "The room does not exist or has been closed."});
  catalog.Register("room-not-yours",
                   {"Чужда лична стая", "Можете да насрочвате срещи само в своята лична стая или в зала.",
                    "Someone else's room", "You can schedule meetings only in your own personal room or in a hall."});
  catalog.Register("unknown-invitee", {"Непознат поканен", "Един от поканените не е служител или профилът му е спрян.",
                                       "Unknown invitee", "One of the invitees is not an employee or is suspended."});
  catalog.Register("unknown-department", {"Непознат отдел", "Няма отдел „{name}“.", "Unknown department",
                                          "There is no department \"{name}\"."});
  catalog.Register("invitees-busy",
                   {"Поканени са заети", "{count} от поканените имат друга среща по това време.", "Invitees are busy",
                    "{count} of the invitees have another meeting at that time."});
  catalog.Register("hall-busy",
                   {"Залата е заета", "Залата е заета по това време. Изберете друго време или зала.",
                    "The hall is booked", "The hall is booked at that time. Choose another time or hall."});
  catalog.Register("not-meeting-host", {"Нямате право", "Само организаторът и съорганизаторите променят срещата.",
                                        "Not allowed", "Only the organiser and the co-hosts change the meeting."});
  catalog.Register("not-meeting-organiser",
                   {"Нямате право", "Само организаторът отменя срещата и променя ролите.", "Not allowed",
                    "Only the organiser cancels the meeting or changes roles."});
  catalog.Register("meeting-not-recurring",
                   {"Срещата не се повтаря", "Променете самата среща: тя има само едно провеждане.",
                    "Not a recurring meeting", "Change the meeting itself: it has only one occurrence."});
  catalog.Register("meeting-cancelled",
                   {"Срещата е отменена", "Срещата е отменена.", "Meeting cancelled", "The meeting is cancelled."});
  catalog.Register("meeting-not-on",
                   {"Срещата не е започнала", "Влизането е възможно от 10 минути преди началото до края на срещата.",
                    "The meeting is not on", "You can join from 10 minutes before the start until the end."});
  catalog.Register("occurrence-not-found", {"Няма такова провеждане", "Срещата няма провеждане на тази дата.",
                                            "No such occurrence", "The meeting has no occurrence at that time."});
  catalog.Register("calendar-feed-not-found", {"Няма такъв календар", "Адресът на календара е невалиден или отменен.",
                                               "No such calendar", "The calendar address is invalid or revoked."});
  catalog.Register("knock-required",
                   {"Почукайте", "Това е лична стая на колега. Почукайте и изчакайте да ви покани.", "Knock first",
                    "This is a colleague's personal room. Knock and wait to be let in."});
  catalog.Register("not-invited", {"Не сте поканени", "В залата се влиза само с покана за среща, която тече в нея.",
                                   "Not invited", "You enter a hall only with an invitation to a meeting on in it."});
  catalog.Register("knock-not-needed", {"Не е нужно да чукате", "Можете да влезете направо.", "No need to knock",
                                        "You can go straight in."});
  catalog.Register("room-owner-away", {"Колегата не е на линия", "Колегата не е на линия и не може да отвори.",
                                       "Your colleague is away", "Your colleague is offline and cannot let you in."});
  catalog.Register("knock-not-found", {"Няма такова почукване", "Почукването не съществува.", "No such knock",
                                       "The knock does not exist."});
  catalog.Register("knock-answered", {"Вече е отговорено", "На почукването вече е отговорено.", "Already answered",
                                      "The knock has already been answered."});
  catalog.Register("room-in-use", {"Залата се използва", "В залата има насрочени срещи. Преместете ги първо.",
                                   "The hall is in use", "Meetings are scheduled in the hall. Move them first."});
  catalog.Register("employee-not-found", {"Няма такъв служител", "Служителят не съществува или е спрян.",
                                          "No such employee", "The employee does not exist or is suspended."});
  catalog.Register("call-not-found",
                   {"Няма такова обаждане", "Обаждането не съществува.", "No such call", "The call does not exist."});
  catalog.Register("call-ended", {"Обаждането е приключило", "Обаждането вече е приключило.", "The call has ended",
                                  "The call has already ended."});
  catalog.Register("callee-busy",
                   {"Колегата е зает", "Колегата е в среща или не желае да бъде безпокоен.", "Your colleague is busy",
                    "Your colleague is in a meeting or does not want to be disturbed."});
  catalog.Register(
      "removed-from-meeting",
      {"Отстранени сте", "Домакинът ви отстрани от срещата. Можете да влезете отново само ако ви допусне.",
       "You were removed", "The host removed you from the meeting. You may enter again only if they let you back."});
  catalog.Register("meeting-ended", {"Срещата е приключила", "Домакинът приключи срещата за всички.",
                                     "The meeting has ended", "The host ended the meeting for everyone."});
  catalog.Register("meeting-locked",
                   {"Срещата е заключена", "Домакинът заключи срещата: нови участници не се допускат.",
                    "The meeting is locked", "The host locked the meeting: nobody new may join."});
  catalog.Register("participant-not-found", {"Няма такъв участник", "Участникът не е в срещата.", "No such participant",
                                             "The participant is not in the meeting."});
  catalog.Register("cannot-remove-organiser", {"Не може", "Организаторът не може да бъде отстранен.", "Not possible",
                                               "The organiser cannot be removed."});
  catalog.Register("removal-not-found", {"Не е отстранен", "Този човек не е отстранен от срещата.", "Not removed",
                                         "That person was not removed from the meeting."});
  catalog.Register("too-many-messages",
                   {"Твърде много съобщения", "Изпращате съобщения твърде често. Опитайте отново след {seconds} s.",
                    "Too many messages", "You are sending messages too fast. Try again in {seconds} s."});
}

}  // namespace egovbox::meetings
