// Texts of the consent API's problems, in Bulgarian and English. The OAuth
// endpoints themselves answer with the specifications' error codes, not problems.
#include "http/problem_catalog.h"
#include "integrations/oidc_routes.h"

namespace egovbox::integrations {

void RegisterOidcProblems() {
  auto& catalog = http::ProblemCatalog::Instance();
  catalog.Register("oidc-request-not-found",
                   {"Заявката за вход не е намерена",
                    "Заявката за вход в портала е изтекла, вече е решена или е отворена от друг човек. Върнете се в "
                    "портала и опитайте отново.",
                    "Sign-in request not found",
                    "The portal's sign-in request has expired, was decided already, or was opened by someone else. Go "
                    "back to the portal and try again."});
  catalog.Register("oidc-client-not-approved",
                   {"Порталът не е одобрен",
                    "Интеграцията на този портал не е одобрена от служител по сигурността и не може да ви впише.",
                    "Portal not approved",
                    "This portal's integration is not approved by a security officer and cannot sign you in."});
}

}  // namespace egovbox::integrations
