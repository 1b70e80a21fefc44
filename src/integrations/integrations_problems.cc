// Texts of the integrations module's problems, in Bulgarian and English.
#include "http/problem_catalog.h"
#include "integrations/integrations_routes.h"

namespace egovbox::integrations {

void RegisterIntegrationsProblems() {
  auto& catalog = http::ProblemCatalog::Instance();
  catalog.Register("integration-field-required",
                   {"Липсват данни", "Попълнете полето „{field}“.", "Missing input", "Fill in the field \"{field}\"."});
  catalog.Register("integration-level-unknown",
                   {"Непознато ниво", "Нивото „{level}“ не съществува; изберете link, embed, sso или api.",
                    "Unknown level", "There is no level \"{level}\"; choose link, embed, sso or api."});
  catalog.Register("integration-url-invalid",
                   {"Невалиден адрес",
                    "„{value}“ в полето „{field}“ не е пълен https адрес (с малки букви в името на хоста, без "
                    "потребител и парола; адресът за пренасочване е без #фрагмент).",
                    "Invalid address",
                    "\"{value}\" in the field \"{field}\" is not a complete https address (host name in lower case, "
                    "no user name or password; a redirect URI has no #fragment)."});
  catalog.Register("integration-origin-invalid",
                   {"Невалиден произход",
                    "„{value}“ не е точен произход: пишете https://хост или https://хост:порт, с малки букви, без "
                    "път, без наклонена черта накрая и без :443.",
                    "Invalid origin",
                    "\"{value}\" is not an exact origin: write https://host or https://host:port, in lower case, "
                    "with no path, no trailing slash and no :443."});
  catalog.Register("integration-launch-origin-unlisted",
                   {"Липсва произходът на адреса",
                    "Вграденият портал се показва от {origin}; добавете този произход към списъка с произходи.",
                    "Origin of the address missing",
                    "The embedded portal is shown from {origin}; add this origin to the list of origins."});
  catalog.Register("integration-field-not-for-level",
                   {"Полето не се използва за това ниво", "Полето „{field}“ трябва да е празно за ниво „{level}“.",
                    "Field not used at this level", "The field \"{field}\" must be empty at the level \"{level}\"."});
  catalog.Register("integration-scope-not-allowed",
                   {"Непозволен обхват", "Обхватът „{scope}“ не може да се поиска за ниво „{level}“.",
                    "Scope not allowed", "The scope \"{scope}\" cannot be requested at the level \"{level}\"."});
  catalog.Register("integration-openid-required",
                   {"Липсва обхват openid", "Единният вход (sso) изисква обхвата „openid“.", "Scope openid missing",
                    "Single sign-on (sso) requires the scope \"openid\"."});
  catalog.Register("integration-role-unknown", {"Непозната роля", "Ролята „{role}“ не съществува.", "Unknown role",
                                                "There is no role \"{role}\"."});
  catalog.Register("integration-department-unknown",
                   {"Непознат отдел", "Няма отдел с идентификатор „{department}“.", "Unknown department",
                    "There is no department with the id \"{department}\"."});
  catalog.Register("integration-not-found", {"Няма такава интеграция", "Интеграцията не съществува.",
                                             "No such integration", "The integration does not exist."});
  catalog.Register("integration-own-request",
                   {"Собствена заявка",
                    "Не можете да одобрите или възстановите интеграция, която сами сте заявили; това прави друг "
                    "служител по сигурността.",
                    "Your own request",
                    "You cannot approve or reinstate an integration you requested yourself; another security officer "
                    "does that."});
  catalog.Register("integration-transition-not-allowed",
                   {"Действието не е възможно", "Интеграция в състояние „{status}“ не може да бъде „{action}“.",
                    "Action not possible", "An integration in the state \"{status}\" cannot be \"{action}\"."});
  catalog.Register("integration-reason-required",
                   {"Необходима е причина", "Посочете причина за отказа или за оттеглянето.", "Reason required",
                    "Give a reason for the rejection or the revocation."});
  catalog.Register(
      "invalid-token",
      {"Невалиден токен",
       "Токенът за достъп е непознат, изтекъл или оттеглен, или интеграцията му не е "
       "одобрена.",
       "Invalid token", "The access token is unknown, expired or revoked, or its integration is not approved."});
  catalog.Register(
      "integration-rate-limited",
      {"Твърде много заявки", "Интеграцията надхвърли разрешения брой заявки. Опитайте отново след {seconds} s.",
       "Too many requests", "The integration has exceeded its request rate. Try again in {seconds} s."});
}

}  // namespace egovbox::integrations
