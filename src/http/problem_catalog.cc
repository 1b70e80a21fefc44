#include "http/problem_catalog.h"

#include "http/problem.h"

namespace egovbox::http {

Problem MakeProblem(int status, std::string slug, nlohmann::json params) {
  Problem problem;
  problem.status = status;
  problem.slug = std::move(slug);
  problem.params = std::move(params);
  return problem;
}

Problem InvalidField(const std::string& field) {
  return MakeProblem(400, "invalid-field", {{"field", field}});
}

ProblemCatalog& ProblemCatalog::Instance() {
  static ProblemCatalog catalog;
  return catalog;
}

// The problems the HTTP layer itself raises; domain modules add their own.
ProblemCatalog::ProblemCatalog() {
  Register("not-found",
           {"Не е намерено", "Няма такъв адрес или запис.", "Not found", "There is no such address or record."});
  Register("method-not-allowed", {"Методът не е позволен", "Този адрес не приема метод {method}.", "Method not allowed",
                                  "This address does not accept {method}."});
  Register("payload-too-large", {"Заявката е твърде голяма", "Тялото на заявката надхвърля {limit} байта.",
                                 "Request too large", "The request body exceeds {limit} bytes."});
  Register("headers-too-large", {"Заглавията са твърде големи", "Заглавията на заявката са твърде големи.",
                                 "Headers too large", "The request headers are too large."});
  Register("bad-request", {"Невалидна заявка", "Заявката не може да бъде прочетена.", "Bad request",
                           "The request could not be read."});
  Register("malformed-json", {"Невалиден JSON", "Тялото на заявката не е валиден JSON: {reason}", "Malformed JSON",
                              "The request body is not valid JSON: {reason}"});
  Register("unsupported-media-type", {"Неподдържан формат", "Очаква се тяло с Content-Type {expected}.",
                                      "Unsupported media type", "A body with Content-Type {expected} is expected."});
  Register("invalid-field", {"Невалидни данни", "Полето „{field}“ липсва или е невалидно.", "Invalid input",
                             "The field \"{field}\" is missing or invalid."});
  Register("unauthenticated",
           {"Необходим е вход", "Влезте в системата, за да продължите.", "Sign-in required", "Sign in to continue."});
  Register("session-expired", {"Сесията е изтекла", "Сесията ви изтече. Влезте отново.", "Session expired",
                               "Your session has expired. Sign in again."});
  Register("csrf-token-invalid",
           {"Липсва защитен токен", "Заявката няма валиден заглавен ред X-CSRF-Token. Презаредете страницата.",
            "Missing security token", "The request has no valid X-CSRF-Token header. Reload the page."});
  Register("forbidden",
           {"Нямате достъп", "Нямате права за това действие.", "Forbidden", "You are not allowed to do this."});
  Register("insufficient-scope", {"Недостатъчен обхват", "Токенът за достъп не позволява това действие.",
                                  "Insufficient scope", "The access token does not allow this action."});
  Register("origin-not-allowed", {"Непозволен произход", "Заявката идва от друг сайт.", "Origin not allowed",
                                  "The request comes from another site."});
  Register("service-unavailable", {"Услугата е недостъпна", "Сървърът спира или е претоварен. Опитайте отново.",
                                   "Service unavailable", "The server is stopping or overloaded. Try again."});
  Register("uploads-busy",
           {"Твърде много качвания", "Сървърът приема много файлове в момента. Опитайте отново след малко.",
            "Too many uploads", "The server is receiving many files right now. Try again shortly."});
  Register("internal-error", {"Вътрешна грешка", "Нещо се обърка от наша страна. Грешката е записана.",
                              "Internal error", "Something went wrong on our side. The error has been logged."});
}

void ProblemCatalog::Register(const std::string& slug, ProblemText text) {
  texts_[slug] = std::move(text);
}

std::string ProblemCatalog::Title(const std::string& slug, Language language) const {
  const auto found = texts_.find(slug);
  if (found == texts_.end()) return slug;
  return language == Language::kBulgarian ? found->second.title_bg : found->second.title_en;
}

std::string ProblemCatalog::Detail(const std::string& slug, Language language, const nlohmann::json& params) const {
  const auto found = texts_.find(slug);
  if (found == texts_.end()) return slug;
  const std::string& text = language == Language::kBulgarian ? found->second.detail_bg : found->second.detail_en;
  // One pass over the template: a value that itself contains "{name}" (it may come
  // from the request) is copied as it is, never filled in again.
  std::string out;
  std::size_t done = 0;
  for (auto open = text.find('{'); open != std::string::npos; open = text.find('{', done)) {
    const auto close = text.find('}', open);
    if (close == std::string::npos) break;
    const auto param = params.find(text.substr(open + 1, close - open - 1));
    out.append(text, done, open - done);
    if (param == params.end()) {
      out.append(text, open, close + 1 - open);
    } else {
      out += param->is_string() ? param->get<std::string>() : param->dump();
    }
    done = close + 1;
  }
  out.append(text, done, std::string::npos);
  return out;
}

}  // namespace egovbox::http
